// When a payment still counts and when an unpaid order is deleted. One place for both, so the two sides of the
// payment-vs-deletion race read the same clock rules (docs/decisions/004-payment-vs-deletion.md).
import type { PaymentMethod } from "~/generated/prisma/client";
import { env } from "~/lib/env.server";

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

/** 002: 未完成繳費之訂單二天後系統會自動刪除 — once no payment dated in time can still pay it. */
export function deletionDueAt(deadline: Date): Date {
  return new Date(deadline.getTime() + atmGraceMs());
}

/** The inverse of deletionDueAt: orders whose deadline is at or before this are due for deletion at `now`. */
export function latestDeadlineDueForDeletion(now: Date): Date {
  return new Date(now.getTime() - atmGraceMs());
}

export function isDeletionDue(deadline: Date, now: Date): boolean {
  return now.getTime() >= deletionDueAt(deadline).getTime();
}
