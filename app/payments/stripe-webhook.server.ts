// Stripe's word on a card payment. Stripe signs each delivery, retries it for up to 3 days, and may send events
// twice, out of order or concurrently. So: verify the signature on the raw bytes, record each event.id once in the
// same transaction as its effect (a duplicate finds the row and does nothing; a failure rolls both back and the
// 500 makes Stripe retry), and make every effect safe in any order — money moves only through settlePayment.
import Stripe from "stripe";
import type { Prisma } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { recordFinanceException } from "~/finance/exceptions.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { AppError } from "~/lib/errors.server";
import { readRawBody } from "~/lib/http.server";
import { logger } from "~/lib/logger.server";
import { eraseUnpaidOrder, unpaidOrderDeletionState } from "~/orders/deletion.server";
import { lockOrder, type LockedOrder } from "~/orders/order-lock.server";
import { fromStripeAmount } from "./money";
import { settlePayment } from "./settlement.server";

/** Checkout Session events are a few kilobytes; anything near this is not Stripe. */
export const STRIPE_WEBHOOK_MAX_BYTES = 256 * 1024;

const BAD_SIGNATURE = new AppError("STRIPE_SIGNATURE_INVALID", { "zh-TW": "簽章驗證失敗。", en: "The Stripe signature does not verify." }, 400);

const WEBHOOKS_DISABLED = new AppError(
  "STRIPE_WEBHOOK_DISABLED",
  { "zh-TW": "信用卡付款通知尚未設定。", en: "Stripe webhooks are not configured." },
  503,
);

/** `t=<unix seconds>` and at least one `v1=<64 hex>`: anything else is refused before the SDK parses it. */
const SIGNATURE_HEADER = /^(?=.*(?:^|,)t=\d{1,12}(?:,|$))(?=.*(?:^|,)v1=[0-9a-fA-F]{64}(?:,|$))[\x21-\x7e]{1,2048}$/;

/** The event in a webhook delivery, once its Stripe-Signature verifies over the exact bytes received (400 if not). */
export async function verifyStripeWebhook(request: Request): Promise<Stripe.Event> {
  const signature = request.headers.get("Stripe-Signature");
  // A missing or malformed header is the sender's fault (400) whatever our configuration: it could never verify.
  if (!signature || !SIGNATURE_HEADER.test(signature)) throw BAD_SIGNATURE;
  const secret = env().STRIPE_WEBHOOK_SECRET;
  // Misconfiguration, not a bad request: a 503 (as the bank callback answers) keeps Stripe retrying until it is set.
  if (!secret) throw WEBHOOKS_DISABLED;
  const payload = await readRawBody(request, STRIPE_WEBHOOK_MAX_BYTES);
  try {
    return await Stripe.webhooks.constructEventAsync(payload, signature, secret);
  } catch (error) {
    logger().warn({ reason: error instanceof Error ? error.message : String(error) }, "stripe webhook refused: bad signature");
    throw BAD_SIGNATURE;
  }
}

export type StripeEventOutcome =
  | "duplicate" // this event.id was handled before
  | "ignored" // a type or a session this service does not act on
  | "settled" // money recorded through settlePayment (applied or sent to finance)
  | "processing" // completed with an asynchronous method: paid only when Stripe says so later
  | "failed"
  | "expired"
  | "unmatched"; // paid money that names no order of ours: on finance's exception list

export interface StripeEventResult {
  outcome: StripeEventOutcome;
  orderId?: string;
}

type Tx = Prisma.TransactionClient;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type SessionMatch =
  | { kind: "order"; order: LockedOrder; payment: { id: string; status: string } | null }
  | { kind: "foreign" }
  | { kind: "unmatched"; reason: string };

/** Which of our orders a session pays, with the order row locked (the same lock settlement and deletion take). */
async function matchSession(tx: Tx, session: Stripe.Checkout.Session): Promise<SessionMatch> {
  const orderId = session.metadata?.orderId;
  if (!orderId && !session.client_reference_id) return { kind: "foreign" };
  if (!orderId || orderId !== session.client_reference_id || !UUID.test(orderId)) {
    return { kind: "unmatched", reason: "client_reference_id and metadata.orderId disagree" };
  }
  const order = await lockOrder(tx, orderId);
  if (!order) return { kind: "unmatched", reason: "names an order that does not exist" };
  const payment = await tx.payment.findUnique({
    where: { provider_providerReference: { provider: "stripe", providerReference: session.id } },
    select: { id: true, status: true, orderId: true },
  });
  if (payment && payment.orderId !== order.id) return { kind: "unmatched", reason: "its payment row belongs to another order" };
  return { kind: "order", order, payment };
}

/**
 * Money Stripe took that cannot be tied to an order (or is not whole TWD) still goes on finance's list: it is
 * acknowledged, not retried, because no retry can make it match — the list is where a person refunds it.
 */
async function recordUnmatchedCardPayment(tx: Tx, event: Stripe.Event, session: Stripe.Checkout.Session, reason: string, orderId?: string) {
  const minor = session.amount_total ?? 0;
  const twd = session.currency === "twd" && minor % 100 === 0;
  await recordFinanceException(tx, {
    kind: orderId ? "WRONG_AMOUNT" : "UNMATCHED_TRANSFER",
    method: "CARD",
    amountNtd: twd ? fromStripeAmount(minor) : 0,
    paidAt: new Date(event.created * 1000),
    orderId: orderId ?? null,
    detail: `Stripe Checkout Session ${session.id} paid ${minor} ${session.currency ?? "?"} (minor units): ${reason}; refund in Stripe`,
  });
  logger().error({ eventId: event.id, sessionId: session.id, reason }, "stripe payment not matched to an order; listed for finance");
  return { outcome: "unmatched" as const, orderId };
}

function paymentIntentId(session: Stripe.Checkout.Session): string | undefined {
  const intent = session.payment_intent;
  return typeof intent === "string" ? intent : (intent?.id ?? undefined);
}

async function settleCheckout(tx: Tx, event: Stripe.Event, session: Stripe.Checkout.Session, now: Date): Promise<StripeEventResult> {
  const match = await matchSession(tx, session);
  if (match.kind === "foreign") return { outcome: "ignored" };
  if (match.kind === "unmatched") return recordUnmatchedCardPayment(tx, event, session, match.reason);
  const { order } = match;
  if (session.currency !== "twd" || !session.amount_total || session.amount_total <= 0 || session.amount_total % 100 !== 0) {
    return recordUnmatchedCardPayment(tx, event, session, "not a whole TWD amount", order.id);
  }
  // Card time is Stripe's time (decision 004): the event's creation, when Stripe learnt the money moved.
  await settlePayment(tx, {
    orderId: order.id,
    method: "CARD",
    provider: "stripe",
    providerReference: session.id,
    amountNtd: fromStripeAmount(session.amount_total),
    paidAt: new Date(event.created * 1000),
    receivedAt: now,
    // Finance reconciles Stripe's balance by the charge's PaymentIntent; the session id alone is not in it.
    providerPaymentId: paymentIntentId(session),
  });
  return { outcome: "settled", orderId: order.id };
}

/**
 * A failed or lapsed page ends its pending payment; a payment Stripe has confirmed is never downgraded. An order
 * whose erasure waited only for this checkout's outcome is erased now (decision 011).
 */
async function closeCheckout(tx: Tx, event: Stripe.Event, session: Stripe.Checkout.Session, status: "FAILED" | "EXPIRED", now: Date): Promise<StripeEventResult> {
  const match = await matchSession(tx, session);
  if (match.kind !== "order") return { outcome: "ignored" };
  if (match.payment) await tx.payment.updateMany({ where: { id: match.payment.id, status: "PENDING" }, data: { status } });
  const { order } = match;
  if (order.status === "AWAITING_PAYMENT" && (await unpaidOrderDeletionState(tx, order, now)) === "due") {
    await eraseUnpaidOrder(tx, order.id, now);
  }
  if (status === "FAILED") {
    await recordAuditEvent(
      { actor: { type: "SYSTEM" }, action: "payment.card_failed", subject: { type: "order", id: match.order.id }, details: { sessionId: session.id, eventId: event.id } },
      tx,
    );
  }
  return { outcome: status === "FAILED" ? "failed" : "expired", orderId: match.order.id };
}

async function noteProcessing(tx: Tx, event: Stripe.Event, session: Stripe.Checkout.Session): Promise<StripeEventResult> {
  const match = await matchSession(tx, session);
  if (match.kind !== "order") return { outcome: "ignored" };
  // The page is done but the money is not: the payment stays PENDING until async_payment_succeeded/failed.
  await recordAuditEvent(
    { actor: { type: "SYSTEM" }, action: "payment.card_processing", subject: { type: "order", id: match.order.id }, details: { sessionId: session.id, eventId: event.id } },
    tx,
  );
  return { outcome: "processing", orderId: match.order.id };
}

async function applyStripeEvent(tx: Tx, event: Stripe.Event, now: Date): Promise<StripeEventResult> {
  if (!event.type.startsWith("checkout.session.")) return { outcome: "ignored" };
  const session = event.data.object as Stripe.Checkout.Session;
  if (session.mode !== "payment") return { outcome: "ignored" };
  switch (event.type) {
    case "checkout.session.completed":
      return session.payment_status === "paid" ? settleCheckout(tx, event, session, now) : noteProcessing(tx, event, session);
    case "checkout.session.async_payment_succeeded":
      return settleCheckout(tx, event, session, now);
    case "checkout.session.async_payment_failed":
      return closeCheckout(tx, event, session, "FAILED", now);
    case "checkout.session.expired":
      return closeCheckout(tx, event, session, "EXPIRED", now);
    default:
      return { outcome: "ignored" };
  }
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/**
 * Records the event and applies it in one transaction. A second delivery of the same event.id — sequential or
 * concurrent (its insert waits for the first transaction, then violates the key) — changes nothing.
 */
export async function handleStripeEvent(event: Stripe.Event, { now = new Date() }: { now?: Date } = {}): Promise<StripeEventResult> {
  try {
    const result = await prisma.$transaction(
      async (tx) => {
        await tx.providerEvent.create({ data: { provider: "stripe", eventId: event.id, type: event.type, receivedAt: now } });
        return applyStripeEvent(tx, event, now);
      },
      { maxWait: 10_000, timeout: 20_000 },
    );
    logger().info({ eventId: event.id, type: event.type, outcome: result.outcome, orderId: result.orderId }, "stripe event handled");
    return result;
  } catch (error) {
    if (isUniqueViolation(error)) {
      const seen = await prisma.providerEvent.findUnique({ where: { provider_eventId: { provider: "stripe", eventId: event.id } } });
      if (seen) return { outcome: "duplicate" };
    }
    throw error;
  }
}
