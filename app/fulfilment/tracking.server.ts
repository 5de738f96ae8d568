// Registered-mail tracking: what the post reports about a letter, applied to the letter and its order.
// Polls arrive late, repeated and out of order, so every event is recorded once and the letter's status is derived
// from all events ever recorded — never from the latest poll alone — and never moves back.
// 002: delivered shows on the status page; a returned letter, like "delivered but not received", goes to support.
import type { Prisma, TrackingStatus } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { PostTrackingError, type PostTracking, type TrackingReport } from "./post-client.server";
import { openSupportCase } from "./support-cases.server";

export type ReportedEvent = TrackingReport["events"][number];

export interface TrackingOutcome {
  status: TrackingStatus;
  /** The letter's status moved with this report. */
  changed: boolean;
  /** Events this report added (repeats of recorded ones do not count). */
  newEvents: number;
}

const TERMINAL: ReadonlySet<TrackingStatus> = new Set(["DELIVERED", "RETURNED"]);
const RANK: Record<TrackingStatus, number> = { ACCEPTED: 0, IN_TRANSIT: 1, DELIVERED: 2, RETURNED: 2 };

export function isTerminalTrackingStatus(status: TrackingStatus): boolean {
  return TERMINAL.has(status);
}

/**
 * The letter's status from every event recorded for it: ACCEPTED < IN_TRANSIT < delivered or returned. When both
 * terminal statuses appear, the later one wins (a tie goes to RETURNED, which a person must look at). `at` is the
 * latest occurrence of the winning status. Null when there are no events.
 */
export function deriveTrackingStatus(events: ReadonlyArray<Pick<ReportedEvent, "status" | "occurredAt">>): { status: TrackingStatus; at: Date } | null {
  let best: { status: TrackingStatus; at: Date } | null = null;
  for (const event of events) {
    if (!best) {
      best = { status: event.status, at: event.occurredAt };
      continue;
    }
    const rank = RANK[event.status] - RANK[best.status];
    const later = event.occurredAt.getTime() - best.at.getTime();
    const wins =
      rank > 0 ||
      (rank === 0 && event.status === best.status && later > 0) ||
      (rank === 0 && event.status !== best.status && (later > 0 || (later === 0 && event.status === "RETURNED")));
    if (wins) best = { status: event.status, at: event.occurredAt };
  }
  return best;
}

interface LockedMail {
  id: string;
  order_id: string;
  status: TrackingStatus;
  status_at: Date;
}

async function lockRegisteredMail(tx: Prisma.TransactionClient, registeredMailId: string): Promise<LockedMail> {
  const [row] = await tx.$queryRaw<LockedMail[]>`
    SELECT id::text, order_id::text, status::text AS status, status_at
      FROM registered_mail WHERE id = ${registeredMailId}::uuid FOR UPDATE`;
  if (!row) throw new Error(`registered mail ${registeredMailId} not found`);
  return row;
}

/** Taipei calendar date of an instant, for reasons support reads. */
function taipeiDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}

/** What reaching a terminal status means for the order. */
async function onStatusReached(tx: Prisma.TransactionClient, mail: LockedMail, status: TrackingStatus, at: Date, office: string | null) {
  if (status === "DELIVERED") {
    // Only a MAILED order becomes DELIVERED: an ACTIVATED one is further along and stays so.
    const { count } = await tx.reissueOrder.updateMany({ where: { id: mail.order_id, status: "MAILED" }, data: { status: "DELIVERED" } });
    await recordAuditEvent(
      {
        actor: { type: "SYSTEM" },
        action: "order.delivered",
        subject: { type: "order", id: mail.order_id },
        details: { registeredMailId: mail.id, deliveredAt: at.toISOString(), orderStatusChanged: count === 1 },
      },
      tx,
    );
  } else if (status === "RETURNED") {
    await recordAuditEvent(
      {
        actor: { type: "SYSTEM" },
        action: "order.mail_returned",
        subject: { type: "order", id: mail.order_id },
        details: { registeredMailId: mail.id, returnedAt: at.toISOString(), office },
      },
      tx,
    );
    await openSupportCase(tx, {
      kind: "MAIL_RETURNED",
      dedupeKey: `MAIL_RETURNED:${mail.id}`,
      orderId: mail.order_id,
      reason: `registered mail returned to sender on ${taipeiDate(at)}${office ? ` (office ${office})` : ""}; registered mail ${mail.id}`,
      openedBy: "system",
    });
  }
}

/** Applies a report inside the caller's transaction; `extra` is written to the letter's row with the status. */
async function applyReportInTransaction(
  tx: Prisma.TransactionClient,
  registeredMailId: string,
  events: ReportedEvent[],
  extra: Prisma.RegisteredMailUpdateInput = {},
): Promise<TrackingOutcome> {
  const mail = await lockRegisteredMail(tx, registeredMailId);
  const { count: newEvents } = await tx.trackingEvent.createMany({
    data: events.map((event) => ({
      registeredMailId,
      status: event.status,
      occurredAt: event.occurredAt,
      office: event.office?.slice(0, 100) ?? null,
    })),
    // The same event in a later poll (or twice in one) is ON CONFLICT DO NOTHING on (letter, status, occurredAt).
    skipDuplicates: true,
  });
  const recorded = await tx.trackingEvent.findMany({
    where: { registeredMailId },
    select: { status: true, occurredAt: true, office: true },
  });
  const derived = deriveTrackingStatus(recorded);

  let status = mail.status;
  let statusAt = mail.status_at;
  if (derived) {
    const rank = RANK[derived.status] - RANK[mail.status];
    // Forward only: a higher rank, the same status seen later, or the other terminal status occurring later.
    if (rank > 0 || (rank === 0 && (derived.status === mail.status || derived.at > mail.status_at))) {
      status = derived.status;
      statusAt = derived.at;
    }
  }
  const changed = status !== mail.status;
  await tx.registeredMail.update({ where: { id: registeredMailId }, data: { ...extra, status, statusAt } });
  if (changed) {
    const office = recorded.find((event) => event.status === status && event.occurredAt.getTime() === statusAt.getTime())?.office ?? null;
    await onStatusReached(tx, mail, status, statusAt, office);
  }
  return { status, changed, newEvents };
}

/**
 * Records what the post reported about one letter and moves the letter (and, when delivered, its order) forward.
 * Safe to call with the same report any number of times and with reports in any order.
 */
export async function applyTrackingReport(
  registeredMailId: string,
  events: Array<{ status: TrackingStatus; occurredAt: Date; office: string | null }>,
  options: { now?: Date } = {},
): Promise<TrackingOutcome> {
  const now = options.now ?? new Date();
  return prisma.$transaction((tx) => applyReportInTransaction(tx, registeredMailId, events, { lastPolledAt: now }));
}

/** After this many failed polls in a row each further one is logged as needing a person. */
const FAILURES_BEFORE_WARNING = 5;
const MAX_BACKOFF_SECONDS = 6 * 3600;

/** After n failures in a row: twice the interval, then four times…, capped at 6 h (or the interval, if longer). */
export function trackingBackoffSeconds(failures: number, intervalSeconds: number): number {
  return Math.min(intervalSeconds * 2 ** Math.min(Math.max(failures, 1), 20), Math.max(intervalSeconds, MAX_BACKOFF_SECONDS));
}

interface ClaimedMail {
  id: string;
  mail_number: string;
  poll_failures: number;
}

/**
 * Claims one due letter in a short transaction of its own: SKIP LOCKED passes over a letter another poller is
 * claiming, and moving nextPollAt ahead before the post is asked keeps every other poller off it meanwhile.
 */
async function claimDueLetter(now: Date, intervalSeconds: number): Promise<ClaimedMail | null> {
  const next = new Date(now.getTime() + intervalSeconds * 1000);
  const [row] = await prisma.$queryRaw<ClaimedMail[]>`
    UPDATE registered_mail SET next_poll_at = ${next}, updated_at = now()
     WHERE id = (
       SELECT id FROM registered_mail
        WHERE status IN ('ACCEPTED', 'IN_TRANSIT') AND next_poll_at <= ${now}
        ORDER BY next_poll_at
        LIMIT 1
          FOR UPDATE SKIP LOCKED)
    RETURNING id::text, mail_number, poll_failures`;
  return row ?? null;
}

async function recordPollFailure(mail: ClaimedMail, error: unknown, now: Date, intervalSeconds: number) {
  const code = error instanceof PostTrackingError ? error.code : "UNEXPECTED";
  const transient = error instanceof PostTrackingError ? error.transient : false;
  const failures = mail.poll_failures + 1;
  const nextPollAt = new Date(now.getTime() + trackingBackoffSeconds(failures, intervalSeconds) * 1000);
  await prisma.registeredMail.update({ where: { id: mail.id }, data: { pollFailures: failures, nextPollAt, lastPolledAt: now } });
  // Ids and codes only: the mail number is the post's, but the letter's id is what support looks up.
  const log = { registeredMailId: mail.id, pollFailures: failures, code, transient, nextPollAt };
  if (failures >= FAILURES_BEFORE_WARNING || !transient) logger().warn(log, "registered mail tracking keeps failing; check the post office adapter");
  else logger().info(log, "registered mail tracking failed; will retry");
}

export interface TrackingPollReport {
  /** Letters asked about. */
  polled: number;
  /** Letters whose status moved. */
  changed: number;
  /** Letters whose call failed (counted in polled). */
  failed: number;
}

/**
 * Asks the post about up to `limit` letters that are due (not delivered or returned, nextPollAt passed) and applies
 * each reply. Safe in any number of workers at once. No lock is held while the post is asked.
 */
export async function pollDueRegisteredMail({
  client,
  now = new Date(),
  limit = 50,
  intervalSeconds = env().TRACKING_POLL_INTERVAL_SECONDS,
}: {
  client: PostTracking;
  now?: Date;
  limit?: number;
  intervalSeconds?: number;
}): Promise<TrackingPollReport> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError("limit is a positive whole number");
  const report: TrackingPollReport = { polled: 0, changed: 0, failed: 0 };
  while (report.polled < limit) {
    const mail = await claimDueLetter(now, intervalSeconds);
    if (!mail) break;
    report.polled++;
    let tracked: TrackingReport;
    try {
      tracked = await client.track(mail.mail_number);
    } catch (error) {
      report.failed++;
      await recordPollFailure(mail, error, now, intervalSeconds);
      continue;
    }
    const outcome = await prisma.$transaction((tx) =>
      applyReportInTransaction(tx, mail.id, tracked.events, { pollFailures: 0, lastPolledAt: now }),
    );
    if (outcome.changed) report.changed++;
  }
  return report;
}
