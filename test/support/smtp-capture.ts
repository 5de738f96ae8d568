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

/** What a person reads in a captured single-part text mail: headers unfolded, subject and body decoded. */
export function readCapturedMail(raw: string): { headers: Record<string, string>; subject: string; text: string } {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const body = raw.slice(split + 4);
  const headers: Record<string, string> = {};
  for (const line of head.split("\r\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  // RFC 2047 encoded words (B or Q), adjacent ones joined without the space between them.
  const subject = (headers.subject ?? "")
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?UTF-8\?([BQ])\?([^?]*)\?=/gi, (_, kind: string, data: string) =>
      kind.toUpperCase() === "B"
        ? Buffer.from(data, "base64").toString("utf8")
        : decodeQuotedPrintable(data.replace(/_/g, " ")),
    );
  const encoding = (headers["content-transfer-encoding"] ?? "7bit").toLowerCase();
  const text =
    encoding === "base64"
      ? Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8")
      : encoding === "quoted-printable"
        ? decodeQuotedPrintable(body.replace(/=\r\n/g, ""))
        : body;
  return { headers, subject, text: text.replace(/\r\n/g, "\n") };
}

function decodeQuotedPrintable(data: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < data.length; i++) {
    if (data[i] === "=" && /^[0-9A-F]{2}$/i.test(data.slice(i + 1, i + 3))) {
      bytes.push(parseInt(data.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(data[i]!, "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}
