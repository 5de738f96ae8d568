// Money received for an order — by card (Stripe webhook) or ATM transfer (bank callback or daily file) — is
// settled here and only here: recorded once, then either pays its order or goes to finance's exception list.
// Nothing is lost and nothing pays twice: the order row is locked first, so a payment racing the deletion job
// or another payment is decided by the provider's payment time against the deadline, not by which came first.
import type { PaymentMethod, PaymentOutcome, Prisma } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { recordFinanceException } from "~/finance/exceptions.server";
import { eraseUnpaidOrder, unpaidOrderDeletionState } from "~/orders/deletion.server";
import { lockOrder, type LockedOrder } from "~/orders/order-lock.server";
import { paymentCountsUntil } from "~/orders/payment-window.server";
import { AppError } from "~/lib/errors.server";

export interface ReceivedPayment {
  orderId: string;
  method: PaymentMethod;
  /** "stripe", or "bank:<code>" for ATM transfers. */
  provider: string;
  /** The provider's id for this payment (Checkout Session id, bank_txn_id): recorded once. */
  providerReference: string;
  amountNtd: number;
  /** When the provider says the money moved. */
  paidAt: Date;
  /** When we learnt of it (now, outside tests). */
  receivedAt?: Date;
  /** The bank's record of an ATM transfer, linked to the payment it became. */
  bankTransferId?: string;
  /** Stripe's PaymentIntent (pi_…) of a card payment: what its charge in Stripe's balance names (reconciliation). */
  providerPaymentId?: string;
}

export interface Settlement {
  paymentId: string;
  outcome: PaymentOutcome;
  /** This payment had been settled before (a duplicate notice): nothing changed. */
  alreadySettled: boolean;
}

function decide(order: LockedOrder, payment: ReceivedPayment): { outcome: PaymentOutcome; detail: string } {
  if (order.status === "DELETED_UNPAID") {
    return { outcome: "LATE_PAYMENT", detail: "received after the unpaid order was deleted; refund" };
  }
  if (order.status !== "AWAITING_PAYMENT") {
    return { outcome: "DUPLICATE_PAYMENT", detail: `the order was already paid (status ${order.status}); refund` };
  }
  if (payment.paidAt.getTime() > paymentCountsUntil(order.paymentDeadline, payment.method).getTime()) {
    return { outcome: "LATE_PAYMENT", detail: "paid after the 2-day payment deadline; refund" };
  }
  if (payment.amountNtd !== order.amountNtd) {
    return { outcome: "WRONG_AMOUNT", detail: `paid NT$${payment.amountNtd}, the order is NT$${order.amountNtd}; refund or match by hand` };
  }
  return { outcome: "APPLIED", detail: "" };
}

/** Settles one received payment inside the caller's transaction (which also records the provider's event). */
export async function settlePayment(tx: Prisma.TransactionClient, payment: ReceivedPayment): Promise<Settlement> {
  if (!Number.isSafeInteger(payment.amountNtd) || payment.amountNtd <= 0) throw new RangeError("a payment is a positive whole NT$ amount");
  const order = await lockOrder(tx, payment.orderId);
  if (!order) throw new AppError("ORDER_NOT_FOUND", { "zh-TW": "查無此訂單。", en: "No such order." }, 404);
  // The clock is read under the lock, as deleteUnpaidOrder does: a notice that waited for the lock while the job
  // deleted the order is judged at the moment it got the lock, so neither side can act on a stale "now".
  const receivedAt = payment.receivedAt ?? new Date();

  const reference = { provider: payment.provider, providerReference: payment.providerReference };
  const existing = await tx.payment.findUnique({ where: { provider_providerReference: reference } });
  if (existing?.outcome) return { paymentId: existing.id, outcome: existing.outcome, alreadySettled: true };
  if (existing && existing.orderId !== order.id) throw new Error(`payment ${existing.id} belongs to another order`);

  // Once deletion is due the order is deleted whichever side holds the lock first; the payment then finds a
  // tombstone. Without this, a job that happened to run a moment later would let the same payment through.
  // Deletion is due only once no payment made in time can still be reported (decision 011): this payment's own
  // checkout is still PENDING and the bank file of the deadline's day is not in, so a notice that is merely late
  // finds the order waiting for it.
  if (order.status === "AWAITING_PAYMENT" && (await unpaidOrderDeletionState(tx, order, receivedAt)) === "due") {
    await eraseUnpaidOrder(tx, order.id, receivedAt);
    order.status = "DELETED_UNPAID";
  }

  const { outcome, detail } = decide(order, payment);
  const data = {
    status: "SUCCEEDED" as const, amountNtd: payment.amountNtd, paidAt: payment.paidAt, outcome,
    ...(payment.providerPaymentId ? { providerPaymentId: payment.providerPaymentId } : {}),
  };
  const row = existing
    ? await tx.payment.update({ where: { id: existing.id }, data })
    : await tx.payment.create({ data: { ...data, ...reference, orderId: order.id, method: payment.method } });
  if (payment.bankTransferId) {
    await tx.bankTransfer.update({ where: { id: payment.bankTransferId }, data: { paymentId: row.id, orderId: order.id } });
  }

  if (outcome === "APPLIED") {
    await tx.reissueOrder.update({ where: { id: order.id }, data: { status: "PAID", paidAt: payment.paidAt } });
    // 002: the "線上申請續卡已繳費" e-mail marks the application complete; the outbox makes it exactly one.
    await tx.mailOutbox.create({ data: { orderId: order.id, kind: "PAID" } });
  } else {
    await recordFinanceException(tx, {
      kind: outcome,
      method: payment.method,
      amountNtd: payment.amountNtd,
      paidAt: payment.paidAt,
      orderId: order.id,
      paymentId: row.id,
      bankTransferId: payment.bankTransferId,
      detail,
    });
  }
  await recordAuditEvent(
    {
      actor: { type: "SYSTEM" },
      action: outcome === "APPLIED" ? "order.paid" : "payment.not_applied",
      subject: { type: "order", id: order.id },
      details: { paymentId: row.id, method: payment.method, amountNtd: payment.amountNtd, outcome, paidAt: payment.paidAt.toISOString() },
    },
    tx,
  );
  return { paymentId: row.id, outcome, alreadySettled: false };
}
