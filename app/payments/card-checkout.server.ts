// Card payment starts on Stripe's hosted Checkout page. This module only opens the page: the order is paid when
// Stripe's signed webhook says so (stripe-webhook.server.ts), never because the browser came back from Stripe.
import type Stripe from "stripe";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { AppError, type Bilingual } from "~/lib/errors.server";
import { lockOrder } from "~/orders/order-lock.server";
import { toStripeAmount } from "./money";
import { stripe } from "./stripe.server";

/** 002: the fee is the card (工本費) plus registered post (掛號郵資); Stripe shows this on its page. */
export const CHECKOUT_LINE_ITEM_NAME = "自然人憑證 IC 卡工本費及掛號郵資";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
/** Stripe accepts expires_at between 30 minutes and 24 hours after it receives the request. */
const STRIPE_MIN_OPEN_MS = 30 * MINUTE;
/** Our clock and the request's trip to Stripe must not push expires_at under Stripe's minimum. */
const CLOCK_MARGIN_MS = MINUTE;
/** An open session closer than this to its end is replaced rather than sent to the payer again. */
const REUSE_MIN_REMAINING_MS = 5 * MINUTE;

const CHECKOUT_ERRORS = {
  ORDER_NOT_FOUND: { "zh-TW": "查無此訂單。", en: "No such order." },
  ORDER_ALREADY_PAID: { "zh-TW": "此訂單已完成繳費，不需再付款。", en: "This order has already been paid; there is nothing more to pay." },
  ORDER_DELETED: {
    "zh-TW": "此申請已因未於 2 天內繳費而刪除，無法再付款。如仍需續卡，請重新申請。",
    en: "This application was deleted because it was not paid within 2 days; it can no longer be paid. Please apply again.",
  },
  PAYMENT_DEADLINE_PASSED: {
    "zh-TW": "已超過繳費期限（申請成功後 2 天），無法再付款。",
    en: "The payment deadline (2 days after applying) has passed; the order can no longer be paid.",
  },
  CARD_CHECKOUT_TOO_LATE: {
    "zh-TW": "距繳費期限已不足 30 分鐘，無法再開啟信用卡付款。請於期限前以 ATM 轉帳至本訂單的虛擬帳號繳費。",
    en: "Less than 30 minutes remain before the payment deadline, too little to open a card payment. Please pay by ATM transfer to this order's virtual account before the deadline.",
  },
  CARD_PAYMENT_PROCESSING: {
    "zh-TW": "您的信用卡付款正在處理中，請稍候並查看訂單狀態，勿重複付款。",
    en: "Your card payment is being processed. Please check the order status and do not pay again.",
  },
} satisfies Record<string, Bilingual>;

export type CardCheckoutErrorCode = keyof typeof CHECKOUT_ERRORS;

/** For the status page: the message of a checkout refusal the pay route redirected back with (?checkout_error=CODE). */
export function cardCheckoutErrorMessage(code: string | null | undefined): Bilingual | undefined {
  return code && Object.hasOwn(CHECKOUT_ERRORS, code) ? CHECKOUT_ERRORS[code as CardCheckoutErrorCode] : undefined;
}

const STATUS: Record<CardCheckoutErrorCode, number> = {
  ORDER_NOT_FOUND: 404,
  ORDER_ALREADY_PAID: 409,
  ORDER_DELETED: 410,
  PAYMENT_DEADLINE_PASSED: 410,
  CARD_CHECKOUT_TOO_LATE: 409,
  CARD_PAYMENT_PROCESSING: 409,
};

function refuse(code: CardCheckoutErrorCode): AppError {
  return new AppError(code, CHECKOUT_ERRORS[code], STATUS[code]);
}

/** 002: pay within 2 days; a card payment page must also stay open as long as Stripe requires (30 minutes). */
export function assertCardPayable(order: { status: string; paymentDeadline: Date }, now: Date): void {
  if (order.status === "DELETED_UNPAID") throw refuse("ORDER_DELETED");
  if (order.status !== "AWAITING_PAYMENT") throw refuse("ORDER_ALREADY_PAID");
  const remaining = order.paymentDeadline.getTime() - now.getTime();
  if (remaining <= 0) throw refuse("PAYMENT_DEADLINE_PASSED");
  if (remaining < STRIPE_MIN_OPEN_MS + CLOCK_MARGIN_MS) throw refuse("CARD_CHECKOUT_TOO_LATE");
}

/**
 * When the Stripe page stops taking payment: at the payment deadline (a later payment would only be refunded),
 * at most a day ahead (Stripe's limit). The day is counted from the start of the current hour so that a retried
 * request within the hour sends identical parameters, which Stripe's idempotency key requires.
 */
export function checkoutExpiresAt(paymentDeadline: Date, now: Date): Date {
  const hourStart = Math.floor(now.getTime() / HOUR) * HOUR;
  return new Date(Math.min(paymentDeadline.getTime(), hourStart + 24 * HOUR - 5 * MINUTE));
}

export interface CardCheckout {
  /** Stripe's hosted payment page: the route redirects the payer there. */
  url: string;
  sessionId: string;
  /** A still-open page from an earlier click was handed out again instead of a new one. */
  reused: boolean;
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

/**
 * An earlier attempt still pending: reuse its page while open, refuse while a completed payment settles, and
 * forget it once Stripe has expired it. One live page per order, so the payer cannot pay twice by clicking twice.
 */
async function reusableCheckout(payments: Array<{ id: string; providerReference: string | null }>, now: Date): Promise<CardCheckout | null> {
  for (const payment of payments) {
    if (!payment.providerReference) continue;
    let session: Stripe.Checkout.Session = await stripe().checkout.sessions.retrieve(payment.providerReference);
    if (session.status === "complete") throw refuse("CARD_PAYMENT_PROCESSING");
    if (session.status === "open" && session.url && session.expires_at * 1000 - now.getTime() >= REUSE_MIN_REMAINING_MS) {
      return { url: session.url, sessionId: session.id, reused: true };
    }
    if (session.status === "open") {
      try {
        session = await stripe().checkout.sessions.expire(session.id);
      } catch (error) {
        // Expiring fails only when the page was completed meanwhile: that payment is on its way.
        if ((await stripe().checkout.sessions.retrieve(session.id)).status === "complete") throw refuse("CARD_PAYMENT_PROCESSING");
        throw error;
      }
    }
    // The expired webhook records the same; doing it here lets the next attempt start without waiting for it.
    await prisma.payment.updateMany({ where: { id: payment.id, status: "PENDING" }, data: { status: "EXPIRED" } });
  }
  return null;
}

/** Opens (or reopens) Stripe Checkout for the holder's own unpaid order; amount and deadline come from the order row. */
export async function startCardCheckout({ holderId, orderNumber, requestOrigin, now = new Date() }: {
  holderId: string;
  orderNumber: string;
  /** The origin the request came to; PUBLIC_BASE_URL wins when set (behind a proxy the request may say otherwise). */
  requestOrigin: string;
  now?: Date;
}): Promise<CardCheckout> {
  const order = await prisma.reissueOrder.findUnique({
    where: { orderNumber },
    select: {
      id: true, orderNumber: true, holderId: true, status: true, amountNtd: true, paymentDeadline: true,
      payments: { where: { provider: "stripe" }, select: { id: true, status: true, providerReference: true }, orderBy: { createdAt: "asc" } },
    },
  });
  // Someone else's order answers exactly like a missing one: order numbers are not secrets, but orders are.
  if (!order || order.holderId !== holderId) throw refuse("ORDER_NOT_FOUND");
  assertCardPayable(order, now);

  const reused = await reusableCheckout(order.payments.filter((p) => p.status === "PENDING"), now);
  if (reused) return reused;

  const base = (env().PUBLIC_BASE_URL ?? requestOrigin).replace(/\/+$/, "");
  const statusPage = `${base}/reissue/orders/${encodeURIComponent(order.orderNumber)}`;
  const expiresAt = checkoutExpiresAt(order.paymentDeadline, now);
  const expiresAtSeconds = Math.floor(expiresAt.getTime() / 1000);
  // Ids only: the e-mail and the rest of the application stay here (Stripe asks the payer for what it needs).
  const metadata = { orderId: order.id, orderNumber: order.orderNumber };
  const session = await stripe().checkout.sessions.create(
    {
      mode: "payment",
      line_items: [
        {
          quantity: 1,
          price_data: { currency: "twd", unit_amount: toStripeAmount(order.amountNtd), product_data: { name: CHECKOUT_LINE_ITEM_NAME } },
        },
      ],
      client_reference_id: order.id,
      metadata,
      payment_intent_data: { metadata },
      submit_type: "pay",
      success_url: `${statusPage}?checkout=returned`,
      cancel_url: `${statusPage}?checkout=cancelled`,
      expires_at: expiresAtSeconds,
    },
    // One key per order and attempt (n = earlier Stripe attempts): a double click or a retry after a lost answer
    // gets the same session back. expires_at is in the key because Stripe refuses a key reused with other parameters.
    { idempotencyKey: `checkout:${order.id}:${order.payments.length}:${expiresAtSeconds}` },
  );
  if (!session.url) throw new Error(`Stripe returned Checkout Session ${session.id} without a URL`);

  try {
    await prisma.$transaction(async (tx) => {
      const locked = await lockOrder(tx, order.id);
      // Paid (by ATM, say) or deleted while Stripe answered: nobody is sent to this page, and it lapses unpaid.
      if (!locked) throw refuse("ORDER_NOT_FOUND");
      assertCardPayable(locked, now);
      const payment = await tx.payment.create({
        data: { orderId: order.id, method: "CARD", provider: "stripe", providerReference: session.id, status: "PENDING", amountNtd: order.amountNtd },
      });
      await recordAuditEvent(
        {
          actor: { type: "CITIZEN", id: holderId },
          action: "payment.card_checkout_started",
          subject: { type: "order", id: order.id },
          details: { paymentId: payment.id, sessionId: session.id, amountNtd: order.amountNtd, expiresAt: expiresAt.toISOString() },
        },
        tx,
      );
    });
  } catch (error) {
    // A concurrent identical click got the same session from Stripe (same key) and recorded it first.
    if (!isUniqueViolation(error)) throw error;
    return { url: session.url, sessionId: session.id, reused: true };
  }
  return { url: session.url, sessionId: session.id, reused: false };
}
