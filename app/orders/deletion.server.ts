// 002: 線上續卡申請成功後請於二天內完成繳費，未於時間內完成繳費之訂單，系統會自動刪除申請資料.
// Deletion erases the application's personal data and keeps a tombstone (order number, amount, virtual account,
// deadline) so money that arrives later is matched to it and refunded through finance's exception list.
import type { Prisma } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { lockOrder } from "./order-lock.server";
import { isDeletionDue } from "./payment-window.server";

export type DeletionResult = "deleted" | "not_due" | "not_awaiting_payment" | "not_found";

/**
 * Erases an unpaid order the caller has locked (lockOrder). Shared by the deletion job and by a payment that
 * arrives once deletion is due, so both orders of the race end in the same state.
 */
export async function eraseUnpaidOrder(tx: Prisma.TransactionClient, orderId: string, now: Date): Promise<void> {
  await tx.reissueApplication.deleteMany({ where: { orderId } });
  await tx.reissueOrder.update({ where: { id: orderId }, data: { status: "DELETED_UNPAID", deletedAt: now } });
  // A checkout never finished can no longer pay this order; a late one becomes a finance exception.
  await tx.payment.updateMany({ where: { orderId, status: "PENDING" }, data: { status: "EXPIRED" } });
  await recordAuditEvent(
    { actor: { type: "SYSTEM" }, action: "order.deleted_unpaid", subject: { type: "order", id: orderId } },
    tx,
  );
}

/** Idempotent: deleting twice, or deleting an order that was paid meanwhile, changes nothing. */
export async function deleteUnpaidOrder({ orderId, now = new Date() }: { orderId: string; now?: Date }): Promise<DeletionResult> {
  return prisma.$transaction(async (tx) => {
    const order = await lockOrder(tx, orderId);
    if (!order) return "not_found";
    if (order.status !== "AWAITING_PAYMENT") return "not_awaiting_payment";
    if (!isDeletionDue(order.paymentDeadline, now)) return "not_due";
    await eraseUnpaidOrder(tx, orderId, now);
    return "deleted";
  });
}
