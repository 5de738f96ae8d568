// A real SMTP server (smtp-server) that keeps what it receives, for tests that check the mail sent. It can be
// stopped and started again on the same port (SMTP down, then up), or made to refuse mail with an SMTP error.
import { SMTPServer } from "smtp-server";
import { freePort } from "./free-port";

export interface CapturedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpCapture {
  url: string;
  port: number;
  received: CapturedMail[];
  /** Stops listening: a sender now finds nobody on the port (ECONNREFUSED). */
  stop(): Promise<void>;
  /** Listens again on the same port, keeping what was received. */
  restart(): Promise<void>;
  /** While set, every recipient is refused with this reply (e.g. 450 and a text that echoes the address). */
  refuseWith(reply: { responseCode: number; message: string } | null): void;
}

export async function startSmtpCapture(options: { port?: number } = {}): Promise<SmtpCapture> {
  const received: CapturedMail[] = [];
  let refusal: { responseCode: number; message: string } | null = null;
  const port = options.port ?? (await freePort());
  let server: SMTPServer | undefined;

  const listen = async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onRcptTo(address, _session, callback) {
        if (!refusal) return callback();
        const error = Object.assign(new Error(refusal.message.replace("{address}", address.address)), {
          responseCode: refusal.responseCode,
        });
        callback(error);
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString("utf8"),
          });
          callback();
        });
      },
    });
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once("error", reject);
      listening.listen(port, "127.0.0.1", () => {
        listening.off("error", reject);
        resolve();
      });
    });
  };
  await listen();

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    stop: async () => {
      const closing = server;
      server = undefined;
      if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
    },
    restart: async () => {
      if (!server) await listen();
    },
    refuseWith: (reply) => {
      refusal = reply;
    },
  };
}
