// 002: 線上續卡申請成功後請於二天內完成繳費，未於時間內完成繳費之訂單，系統會自動刪除申請資料.
// Deletion erases the application's personal data and keeps a tombstone (order number, amount, virtual account,
// deadline) so money that arrives later is matched to it and refunded through finance's exception list.
// Erased only once no payment made in time can still be reported (decision 011). One implementation
// (eraseUnpaidOrders): the per-order delayed job, a payment that finds deletion due and Stripe's expiry webhook call
// it for one locked order; the sweeper, the safety net behind the job, for a locked batch.
import type { Prisma } from "~/generated/prisma/client";
import { auditEventSchema } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { lockOrder } from "./order-lock.server";
import { lastBankDayReported, paymentReportsFor } from "./payment-reports.server";
import { deletionBoundsAt, deletionDueAt, isDeletionDue } from "./payment-window.server";

/** "waiting": the payment window has closed but a payment made in time may still be reported (decision 011). */
export type DeletionResult = "deleted" | "not_due" | "waiting" | "not_awaiting_payment" | "not_found";

const DELETED_UNPAID_EVENT = auditEventSchema.parse({ actor: { type: "SYSTEM" }, action: "order.deleted_unpaid" });

/** Erases unpaid orders the caller has locked: one audit event per order, so each order's timeline shows it. */
async function eraseUnpaidOrders(tx: Prisma.TransactionClient, orderIds: string[], now: Date): Promise<void> {
  if (orderIds.length === 0) return;
  const these = { in: orderIds };
  await tx.reissueApplication.deleteMany({ where: { orderId: these } });
  await tx.reissueOrder.updateMany({ where: { id: these }, data: { status: "DELETED_UNPAID", deletedAt: now } });
  // A checkout never finished can no longer pay these orders; a late one becomes a finance exception.
  await tx.payment.updateMany({ where: { orderId: these, status: "PENDING" }, data: { status: "EXPIRED" } });
  await tx.auditEvent.createMany({
    data: orderIds.map((id) => ({
      actorType: DELETED_UNPAID_EVENT.actor.type,
      action: DELETED_UNPAID_EVENT.action,
      subjectType: "order",
      subjectId: id,
    })),
  });
}

/**
 * Erases an unpaid order the caller has locked (lockOrder). Shared by the deletion job and by a payment that
 * arrives once deletion is due, so both orders of the race end in the same state.
 */
export async function eraseUnpaidOrder(tx: Prisma.TransactionClient, orderId: string, now: Date): Promise<void> {
  await eraseUnpaidOrders(tx, [orderId], now);
}

/**
 * Whether the unpaid order the caller has locked is due for deletion at `now`, by the deadline and what has been
 * reported since (decision 011). Shared by the deletion job, the Stripe expiry webhook and settlement.
 */
export async function unpaidOrderDeletionState(tx: Prisma.TransactionClient, order: { id: string; paymentDeadline: Date }, now: Date): Promise<"due" | "not_due" | "waiting"> {
  if (now.getTime() < deletionDueAt(order.paymentDeadline).getTime()) return "not_due";
  return isDeletionDue(order.paymentDeadline, now, await paymentReportsFor(tx, order.id)) ? "due" : "waiting";
}

/** Idempotent: deleting twice, or deleting an order that was paid meanwhile, changes nothing. */
export async function deleteUnpaidOrder({ orderId, now }: { orderId: string; now?: Date }): Promise<DeletionResult> {
  return prisma.$transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order) return "not_found";
    // The clock is read once the lock is held, so a payment that held it first is judged on an earlier time.
    const at = now ?? new Date();
    if (order.status !== "AWAITING_PAYMENT") return "not_awaiting_payment";
    const state = await unpaidOrderDeletionState(tx, order, at);
    if (state !== "due") return state;
    await eraseUnpaidOrder(tx, orderId, at);
    return "deleted";
  });
}

export interface SweepReport {
  deleted: number;
  batches: number;
}

/**
 * The safety net behind the per-order job (Redis may have lost it, or been down when the order was made), and
 * the path by which orders waiting for the bank's daily file are erased once it is in (within 10 minutes):
 * deletes every unpaid order whose deletion is due, one transaction per batch. SKIP LOCKED leaves an order a
 * payment or the per-order job holds to that side, which decides it itself (docs/decisions/004, 011).
 * The SQL selects exactly the orders isDeletionDue accepts, so a batch of waiting orders never blocks due ones.
 */
export async function sweepUnpaidOrders({ now, batchSize = 1000 }: { now: Date; batchSize?: number }): Promise<SweepReport> {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError("batchSize is a positive whole number");
  const report: SweepReport = { deleted: 0, batches: 0 };
  for (;;) {
    const erased = await prisma.$transaction(async (tx) => {
      const lastDay = await lastBankDayReported(tx);
      const bound = deletionBoundsAt(now, lastDay);
      const rows = await tx.$queryRaw<Array<{ id: string; payment_deadline: Date; open_checkouts: number }>>`
        SELECT o.id::text, o.payment_deadline,
               (SELECT count(*)::int FROM payment p WHERE p.order_id = o.id AND p.provider = 'stripe' AND p.status = 'PENDING') AS open_checkouts
          FROM reissue_order o
         WHERE o.status = 'AWAITING_PAYMENT' AND o.payment_deadline <= ${bound.windowClosedBy}
           AND (o.payment_deadline < ${bound.bankDayReportedBefore} OR o.payment_deadline <= ${bound.atmReportOverdueBy})
           AND (o.payment_deadline <= ${bound.cardOutcomeOverdueBy}
                OR NOT EXISTS (SELECT 1 FROM payment p WHERE p.order_id = o.id AND p.provider = 'stripe' AND p.status = 'PENDING'))
         ORDER BY o.payment_deadline
         LIMIT ${batchSize}
           FOR UPDATE OF o SKIP LOCKED`;
      const due = rows
        .filter((row) => isDeletionDue(row.payment_deadline, now, { lastBankDayReported: lastDay, openCheckouts: row.open_checkouts }))
        .map((row) => row.id);
      await eraseUnpaidOrders(tx, due, now);
      return rows.length === 0 ? -1 : due.length;
    }, { timeout: 60_000 });
    if (erased < 0) break;
    report.batches++;
    report.deleted += erased;
    if (erased < batchSize) break;
  }
  return report;
}
