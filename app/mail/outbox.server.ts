// Sends what the domain wrote to mail_outbox in the same transaction as its change — the paid e-mail (settlePayment)
// and the mailed e-mail (the dispatch of the card) — once per order and kind even if SMTP is down for a while (it
// is retried with backoff and never dropped).
//
// Exactly one e-mail: each row is claimed with SELECT … FOR UPDATE SKIP LOCKED and kept locked, in its own
// transaction, until the send has finished and the row says SENT — so two workers never send the same row, and a
// crash before the commit leaves it PENDING to be sent again. The price is a row lock and a database connection
// held for the length of one SMTP conversation (one row at a time per worker), bounded by SEND_TIMEOUT_MS. The
// one gap SMTP itself leaves — the server accepted the mail but its answer was lost or came after the timeout —
// can only mean a second copy, never none; it carries the same Message-ID, which mail systems deduplicate on.
import type { OutboxMailKind, Prisma } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { sendMail } from "~/lib/mailer.server";
import { renderMailedMail } from "./mailed-mail";
import { renderPaidMail } from "./paid-mail";

const SEND_TIMEOUT_MS = 30_000;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60 * 1000;
/** After this many failures each further one is logged as needing a person (the row keeps retrying hourly). */
const ATTEMPTS_BEFORE_ALARM = 10;

/** 30 s, 1 min, 2 min … capped at 1 h: a mail server down for a day costs 24 tries an hour apart, not thousands. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

/**
 * The same Message-ID on every attempt of one outbox row, so a repeated delivery is recognisable as one mail; a
 * resend that support asked for (`resends`) is a new mail, with an ID of its own that no mail system drops as a
 * duplicate of the first.
 */
export function outboxMessageId(outboxId: string, resends = 0): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(env().MAIL_FROM)?.[1] ?? "moica.nat.gov.tw";
  return `<outbox-${outboxId}${resends > 0 ? `-r${resends}` : ""}@${domain}>`;
}

/**
 * What is kept of an SMTP failure: codes only. Servers echo the recipient in their messages ("550 <a@b>: no such
 * user"), and lastError must hold no personal data.
 */
export function describeSendError(error: unknown): string {
  const e = (error ?? {}) as { code?: unknown; responseCode?: unknown; command?: unknown; name?: unknown };
  const parts = [
    typeof e.code === "string" ? e.code : undefined,
    typeof e.responseCode === "number" ? `SMTP ${e.responseCode}` : undefined,
    typeof e.command === "string" ? `at ${e.command.split(" ")[0]}` : undefined,
  ].filter(Boolean);
  if (parts.length === 0) parts.push(typeof e.name === "string" ? e.name : "unknown error");
  return parts.join(" ").slice(0, 500);
}

class SendTimeout extends Error {
  code = "ETIMEDOUT_SEND";
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new SendTimeout(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

interface ClaimedRow {
  id: string;
  order_id: string;
  kind: OutboxMailKind;
  attempts: number;
  resends: number;
}

function statusPageUrl(): string | undefined {
  const base = env().PUBLIC_BASE_URL;
  return base ? new URL("/reissue", base).toString() : undefined;
}

/** A @db.Date column comes back as UTC midnight of the stored calendar date. */
const calendarDate = (date: Date) => date.toISOString().slice(0, 10);

async function renderPaid(tx: Prisma.TransactionClient, orderId: string) {
  const order = await tx.reissueOrder.findUniqueOrThrow({
    where: { id: orderId },
    select: {
      orderNumber: true, cardFeeNtd: true, postageFeeNtd: true, paidAt: true,
      application: { select: { email: true, outlyingIsland: true } },
    },
  });
  // A paid order keeps its application (002: frozen once paid); without one there is nobody to write to.
  if (!order.application || !order.paidAt) return null;
  const mail = renderPaidMail({
    orderNumber: order.orderNumber,
    cardFeeNtd: order.cardFeeNtd,
    postageFeeNtd: order.postageFeeNtd,
    paidAt: order.paidAt,
    outlyingIsland: order.application.outlyingIsland,
    statusUrl: statusPageUrl(),
  });
  return { to: order.application.email, ...mail };
}

async function renderMailed(tx: Prisma.TransactionClient, orderId: string) {
  const order = await tx.reissueOrder.findUniqueOrThrow({
    where: { id: orderId },
    select: {
      orderNumber: true,
      application: { select: { email: true, outlyingIsland: true } },
      registeredMail: { select: { mailNumber: true, dispatchedAt: true, estimatedFrom: true, estimatedTo: true } },
    },
  });
  if (!order.application) return null;
  // The MAILED row is written in the dispatch's own transaction, beside the RegisteredMail: one without the other is a bug.
  if (!order.registeredMail) throw Object.assign(new Error("no registered mail"), { code: "NO_REGISTERED_MAIL" });
  const letter = order.registeredMail;
  const mail = renderMailedMail({
    orderNumber: order.orderNumber,
    mailNumber: letter.mailNumber,
    dispatchedAt: letter.dispatchedAt,
    estimate: { from: calendarDate(letter.estimatedFrom), to: calendarDate(letter.estimatedTo) },
    outlyingIsland: order.application.outlyingIsland,
    statusUrl: statusPageUrl(),
  });
  return { to: order.application.email, ...mail };
}

type RenderedMail = { to: string; subject: string; text: string };
const RENDER: Record<OutboxMailKind, (tx: Prisma.TransactionClient, orderId: string) => Promise<RenderedMail | null>> = {
  PAID: renderPaid,
  MAILED: renderMailed,
};

const SENT_ACTION: Record<OutboxMailKind, string> = {
  PAID: "mail.paid_sent",
  MAILED: "mail.mailed_sent",
};

type RowOutcome = "sent" | "failed" | "none";

/** Claims, sends and records one due row in its own transaction. */
async function sendOneDueMail(now: Date): Promise<RowOutcome> {
  return prisma.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<ClaimedRow[]>`
        SELECT id::text, order_id::text, kind::text AS kind, attempts, resends FROM mail_outbox
         WHERE status = 'PENDING' AND next_attempt_at <= ${now}
         ORDER BY next_attempt_at
         LIMIT 1
           FOR UPDATE SKIP LOCKED`;
      if (!row) return "none";
      const messageId = outboxMessageId(row.id, row.resends);
      let problem: string | undefined;
      try {
        const mail = await RENDER[row.kind](tx, row.order_id);
        if (!mail) throw Object.assign(new Error("no recipient"), { code: "NO_RECIPIENT" });
        await withTimeout(sendMail({ ...mail, messageId }), SEND_TIMEOUT_MS);
      } catch (error) {
        problem = describeSendError(error);
      }
      if (problem === undefined) {
        await tx.mailOutbox.update({
          where: { id: row.id },
          data: { status: "SENT", sentAt: new Date(), messageId, attempts: row.attempts + 1, lastError: null },
        });
        await recordAuditEvent(
          {
            actor: { type: "SYSTEM" },
            action: SENT_ACTION[row.kind],
            subject: { type: "order", id: row.order_id },
            details: { outboxId: row.id, attempts: row.attempts + 1 },
          },
          tx,
        );
        return "sent";
      }
      const attempts = row.attempts + 1;
      const nextAttemptAt = new Date(now.getTime() + retryDelayMs(attempts));
      await tx.mailOutbox.update({ where: { id: row.id }, data: { attempts, nextAttemptAt, lastError: problem } });
      const log = { outboxId: row.id, orderId: row.order_id, kind: row.kind, attempts, nextAttemptAt, err: problem };
      if (attempts >= ATTEMPTS_BEFORE_ALARM) logger().error(log, "outbox mail still not sent; check SMTP");
      else logger().warn(log, "outbox mail not sent; will retry");
      return "failed";
    },
    // Longer than the send timeout, so the transaction outlives the SMTP conversation it guards.
    { timeout: SEND_TIMEOUT_MS + 15_000 },
  );
}

export interface DrainReport {
  sent: number;
  failed: number;
}

/** Sends up to `limit` due outbox mails; safe to run in any number of workers at once. */
export async function sendPendingMail({ now = new Date(), limit = 50 }: { now?: Date; limit?: number } = {}): Promise<DrainReport> {
  const report: DrainReport = { sent: 0, failed: 0 };
  while (report.sent + report.failed < limit) {
    const outcome = await sendOneDueMail(now);
    if (outcome === "none") break;
    report[outcome]++;
    // A failure usually means the server is down: leave the rest for the next drain (seconds away) instead of
    // knocking on a closed door once per row. The failed row has moved back, so it does not block the others.
    if (outcome === "failed") break;
  }
  return report;
}
