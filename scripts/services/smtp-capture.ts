// Development only: the mail server `npm start` gives web and workers when SMTP_URL is unset. It accepts every
// message on a loopback port and keeps each one as an .eml file under <LOCAL_DATA_DIR>/mail (.data/dev/mail by
// default) — open one in any mail program, or read it with `cat`. Nothing is relayed anywhere.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { SMTPServer } from "smtp-server";
import { LocalServiceError } from "./local-services";

export interface RunningSmtpCapture {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** A sortable, unique file name: the receipt time, then a counter for messages in the same millisecond. */
function emlName(at: Date, sequence: number): string {
  return `${at.toISOString().replace(/[:.]/g, "-")}-${String(sequence).padStart(4, "0")}.eml`;
}

export async function startSmtpCapture({ port, dir, log }: {
  port: number;
  dir: string;
  log: (line: string) => void;
}): Promise<RunningSmtpCapture> {
  mkdirSync(dir, { recursive: true });
  let sequence = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    banner: "local mail capture (development): messages are saved, never delivered",
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("error", callback);
      stream.on("end", () => {
        const file = path.join(dir, emlName(new Date(), ++sequence % 10_000));
        try {
          writeFileSync(file, Buffer.concat(chunks));
        } catch (error) {
          return callback(error as Error);
        }
        // One line per message, without addresses (they are personal data even in development).
        log(`received ${path.relative(process.cwd(), file)} (${Buffer.concat(chunks).length} bytes)`);
        callback();
      });
    },
  });
  let listening = false;
  server.on("error", (error) => {
    if (listening) log(`mail capture error: ${error.message}`);
  });
  await new Promise<void>((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(new LocalServiceError(
        error.code === "EADDRINUSE"
          ? `Port ${port} is in use: the local mail capture cannot start — set LOCAL_SMTP_PORT to a free port, or SMTP_URL to a mail server`
          : `The local mail capture cannot listen on 127.0.0.1:${port} (${error.message})`,
      ));
    server.server.once("error", failed);
    server.listen(port, "127.0.0.1", () => {
      server.server.off("error", failed);
      listening = true;
      resolve();
    });
  });
  return {
    url: `smtp://127.0.0.1:${port}`,
    dir,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
