// Outgoing e-mail through SMTP (SMTP_URL). Callers are workers draining an outbox, never a request handler,
// so a slow or absent mail server delays mail but never a citizen's page.
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "./env.server";

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Stable per logical message, so a retried send can be recognised downstream. */
  messageId?: string;
}

let transport: Transporter | undefined;

function smtpTransport(): Transporter {
  const url = env().SMTP_URL;
  if (!url) throw new Error("SMTP_URL is not set: no mail server to send through");
  // nodemailer waits up to 10 minutes on a stuck server by default; the outbox retries sooner instead.
  transport ??= nodemailer.createTransport(
    { url, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 },
    { from: env().MAIL_FROM },
  );
  return transport;
}

export async function sendMail(mail: OutgoingMail): Promise<{ messageId: string }> {
  const info = await smtpTransport().sendMail({
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
  });
  return { messageId: info.messageId };
}

export function closeMailer(): void {
  transport?.close();
  transport = undefined;
}
