// When a payment still counts and when an unpaid order is deleted. One place for both, so the two sides of the
// payment-vs-deletion race read the same clock rules (docs/decisions/004-payment-vs-deletion.md, 011 for the lag).
import type { PaymentMethod } from "~/generated/prisma/client";
import { env } from "~/lib/env.server";

const HOUR = 3_600_000;
/** Taiwan has kept UTC+8 without daylight saving since 1980: a bank day is a fixed 24 h window. */
const TAIPEI_OFFSET_MS = 8 * HOUR;

function atmGraceMs(): number {
  return env().ATM_PAYMENT_GRACE_MINUTES * 60_000;
}

/**
 * 002: pay within 2 days. A card payment counts when the provider took it by the deadline; an ATM transfer when
 * the bank dated it by the deadline plus the configured bank-lag grace (pretix #827: never judge by arrival time).
 */
export function paymentCountsUntil(deadline: Date, method: PaymentMethod): Date {
  return method === "ATM" ? new Date(deadline.getTime() + atmGraceMs()) : deadline;
}

/** 002: 未完成繳費之訂單二天後系統會自動刪除 — the earliest moment: no payment made from now on could count. */
export function deletionDueAt(deadline: Date): Date {
  return paymentCountsUntil(deadline, "ATM");
}


/** The Asia/Taipei calendar day (YYYY-MM-DD) of an instant: the day a bank statement is for. */
export function taipeiDay(at: Date): string {
  return new Date(at.getTime() + TAIPEI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The bank day whose file must be imported before an unpaid order is erased: the day its ATM window closed. */
export function bankDayToAwait(deadline: Date): string {
  return taipeiDay(deletionDueAt(deadline));
}

/** After this an ATM transfer that counts is no longer awaited: the bank's report is overdue (decision 011). */
export function atmReportAwaitedUntil(deadline: Date): Date {
  return new Date(deletionDueAt(deadline).getTime() + env().ATM_REPORTING_MAX_HOURS * HOUR);
}

/** After this a card checkout open at the deadline is no longer awaited (Stripe retries a webhook for 3 days). */
export function cardOutcomeAwaitedUntil(deadline: Date): Date {
  return new Date(deadline.getTime() + env().CARD_OUTCOME_MAX_HOURS * HOUR);
}

/** The latest an unpaid order can wait for reports: at this moment it is erased whatever is still unreported. */
export function deletionCertainAt(deadline: Date): Date {
  return new Date(Math.max(atmReportAwaitedUntil(deadline).getTime(), cardOutcomeAwaitedUntil(deadline).getTime()));
}

/** What the service has heard about payments that could still count for an unpaid order. */
export interface PaymentReports {
  /** The latest bank day whose daily file has been imported (lastBankDayReported), or null when none. */
  lastBankDayReported: string | null;
  /** Checkout Sessions of the order whose outcome Stripe has not told us yet (payments still PENDING). */
  openCheckouts: number;
}

/**
 * 004 + 011: an unpaid order is deleted once no payment made in time can still be reported — its ATM window has
 * closed and the bank file for that day is in (or the report is overdue), and no card checkout awaits its outcome
 * (or that is overdue). A payment made in time is never refunded for the lateness of its notice.
 */
export function isDeletionDue(deadline: Date, now: Date, reports: PaymentReports): boolean {
  if (now.getTime() < deletionDueAt(deadline).getTime()) return false;
  const bankReported = reports.lastBankDayReported !== null && reports.lastBankDayReported >= bankDayToAwait(deadline);
  const atmSettled = bankReported || now.getTime() >= atmReportAwaitedUntil(deadline).getTime();
  const cardSettled = reports.openCheckouts === 0 || now.getTime() >= cardOutcomeAwaitedUntil(deadline).getTime();
  return atmSettled && cardSettled;
}

/**
 * isDeletionDue turned around for the sweeper's SQL: the deadlines that have passed each bound at `now`
 * (at or before, except `bankDayReportedBefore`: strictly before), so one indexed range query finds the due orders.
 */
export function deletionBoundsAt(now: Date, lastBankDayReported: string | null) {
  const at = now.getTime();
  const closedBy = at - atmGraceMs();
  return {
    windowClosedBy: new Date(closedBy),
    atmReportOverdueBy: new Date(closedBy - env().ATM_REPORTING_MAX_HOURS * HOUR),
    cardOutcomeOverdueBy: new Date(at - env().CARD_OUTCOME_MAX_HOURS * HOUR),
    bankDayReportedBefore: lastBankDayReported
      ? new Date(Date.parse(`${lastBankDayReported}T00:00:00+08:00`) + 24 * HOUR - atmGraceMs())
      : new Date(0),
  };
}
