// Decision 011: an order's erasure waits for the outcome of every card checkout still open at its deadline. At the
// deadline each one is expired through Stripe's API, so Stripe itself says what became of it: expired (nothing can
// pay through it any more) or complete (the payment was made in time and its webhook is on its way, maybe hours
// late: erasure waits for it, up to CARD_OUTCOME_MAX_HOURS). The expiry webhook would say the same; reading
// Stripe's answer here lets the deletion go ahead without waiting for that delivery.
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { logger } from "~/lib/logger.server";
import { deleteUnpaidOrder, type DeletionResult } from "~/orders/deletion.server";
import { deletionCertainAt } from "~/orders/payment-window.server";
import { stripe } from "./stripe.server";

export type CheckoutOutcome = "expired" | "complete" | "unknown";

/** Closes one Checkout Session at Stripe and says what it is now; "unknown" when Stripe could not be asked. */
async function expireAtStripe(sessionId: string): Promise<CheckoutOutcome> {
  try {
    const session = await stripe().checkout.sessions.expire(sessionId);
    return session.status === "expired" ? "expired" : "unknown";
  } catch (error) {
    // Stripe refuses to expire a session that is no longer open: ask what became of it.
    try {
      const session = await stripe().checkout.sessions.retrieve(sessionId);
      if (session.status === "expired") return "expired";
      if (session.status === "complete") return "complete";
    } catch {
      // Stripe unreachable: the checkout stays open in our books and the next pass asks again.
    }
    logger().warn({ sessionId, err: error instanceof Error ? error.message : String(error) }, "checkout session not expired at the deadline");
    return "unknown";
  }
}

/**
 * Expires, at Stripe, the open checkouts of orders whose deadline has passed (one order, or the oldest `limit`),
 * and records those Stripe confirms expired. A session Stripe reports complete stays PENDING: its payment is
 * settled by its webhook. Safe with several workers: expiring twice is refused by Stripe and read back as expired.
 */
export async function expireLapsedCheckouts({ orderId, now, limit = 200 }: { orderId?: string; now: Date; limit?: number }): Promise<Record<CheckoutOutcome, number>> {
  const open = await prisma.payment.findMany({
    where: {
      provider: "stripe", status: "PENDING", providerReference: { not: null },
      ...(orderId ? { orderId } : {}),
      order: { status: "AWAITING_PAYMENT", paymentDeadline: { lte: now } },
    },
    select: { id: true, orderId: true, providerReference: true },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
  const counts: Record<CheckoutOutcome, number> = { expired: 0, complete: 0, unknown: 0 };
  for (const payment of open) {
    const outcome = await expireAtStripe(payment.providerReference!);
    counts[outcome]++;
    if (outcome !== "expired") continue;
    await prisma.$transaction(async (tx) => {
      const changed = await tx.payment.updateMany({ where: { id: payment.id, status: "PENDING" }, data: { status: "EXPIRED" } });
      if (changed.count === 0) return;
      await recordAuditEvent(
        {
          actor: { type: "SYSTEM" },
          action: "payment.card_checkout_expired",
          subject: { type: "order", id: payment.orderId },
          details: { paymentId: payment.id, sessionId: payment.providerReference },
        },
        tx,
      );
    });
  }
  return counts;
}

export interface UnpaidOrderClosing {
  result: DeletionResult;
  /** For "waiting": when the order is erased whatever is still unreported (the bounded wait's end). */
  retryAt?: Date;
}

/**
 * The per-order deletion job (002: unpaid after 2 days): closes the order's open checkouts at Stripe, then deletes
 * the order if no payment made in time can still be reported. Otherwise it waits: the expiry or payment webhook,
 * the bank file's import (the sweeper erases within 10 minutes of it), or the bounded wait's end, `retryAt`.
 */
export async function closeUnpaidOrder({ orderId, now }: { orderId: string; now?: Date }): Promise<UnpaidOrderClosing> {
  await expireLapsedCheckouts({ orderId, now: now ?? new Date() });
  const result = await deleteUnpaidOrder({ orderId, now });
  if (result !== "waiting") return { result };
  const order = await prisma.reissueOrder.findUniqueOrThrow({ where: { id: orderId }, select: { paymentDeadline: true } });
  return { result, retryAt: deletionCertainAt(order.paymentDeadline) };
}
