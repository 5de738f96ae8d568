// Decision 011 for card payments: Stripe's time decides, never the webhook's arrival. At the deadline the order's
// open checkouts are expired through Stripe; erasure waits for their outcome (expired, or the completed payment's
// webhook), at most CARD_OUTCOME_MAX_HOURS. Stripe is outside the machine: msw answers its API (test/msw/stripe.ts).
import { http, HttpResponse } from "msw";
import { beforeAll, describe, expect, it, vi } from "vitest";

const WEBHOOK_SECRET = vi.hoisted(() => {
  // why: env() is read once per module graph; Stripe's secrets must be in place before the modules load.
  process.env.STRIPE_SECRET_KEY = "sk_test_moica_card_lag";
  process.env.STRIPE_WEBHOOK_SECRET = "whsec_moica_card_lag_test_secret";
  return process.env.STRIPE_WEBHOOK_SECRET;
});

import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { deleteUnpaidOrder, sweepUnpaidOrders } from "~/orders/deletion.server";
import { action as stripeWebhook } from "~/routes/webhooks.stripe";
import { importBankFileForDayOf } from "../../test/factories/bank-days";
import { createOrderFixture } from "../../test/factories/orders";
import { serveStripeCheckoutFake } from "../../test/msw/server";
import { STRIPE_API, signedStripeWebhook, type CheckoutSessionsFake } from "../../test/msw/stripe";
import { startCardCheckout } from "./card-checkout.server";
import { closeUnpaidOrder, expireLapsedCheckouts } from "./checkout-expiry.server";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

let stripe: CheckoutSessionsFake;
const server = serveStripeCheckoutFake((fake) => (stripe = fake));

// Only the card's lag is under test here: the bank's daily files are in for every day these orders touch.
beforeAll(async () => {
  await importBankFileForDayOf(new Date(Date.now() + 30 * 24 * HOUR));
});

async function deliver(event: unknown) {
  const { body, headers } = signedStripeWebhook({ event, secret: WEBHOOK_SECRET });
  const request = new Request("http://moica.test/webhooks/stripe", { method: "POST", body, headers });
  const response = await stripeWebhook({ request, params: {}, context: { clientIp: "127.0.0.1" } });
  return { status: response.status, body: (await response.json()) as { outcome?: string } };
}

/** An order created 48 h before `deadline`, with a Stripe page opened through the real checkout code 2 h before it. */
async function orderWithCheckout(deadline: Date) {
  const { order } = await createOrderFixture({ createdAt: new Date(deadline.getTime() - 48 * HOUR), paymentDeadline: deadline });
  const { sessionId } = await startCardCheckout({
    holderId: order.holderId, orderNumber: order.orderNumber, requestOrigin: "http://moica.test", now: new Date(deadline.getTime() - 2 * HOUR),
  });
  return { order, sessionId };
}

async function state(orderId: string) {
  return prisma.reissueOrder.findUniqueOrThrow({
    where: { id: orderId },
    include: { payments: true, outboxMails: true, financeExceptions: true, application: true },
  });
}

const deletions = (orderId: string) => prisma.auditEvent.count({ where: { action: "order.deleted_unpaid", subjectId: orderId } });
const expireCalls = (sessionId: string) => stripe.requests.filter((r) => r.path === `/v1/checkout/sessions/${sessionId}/expire`).length;

describe("card payments are decided by Stripe's time (decision 011)", () => {
  it("pays an order by a payment made 1 s before the deadline whose webhook arrives 10 minutes after it", async () => {
    // The deadline passed 10 minutes ago: the webhook below is delivered now, at deadline + 10 min.
    const deadline = new Date(Math.floor((Date.now() - 10 * MINUTE) / SECOND) * SECOND);
    const { order, sessionId } = await orderWithCheckout(deadline);
    stripe.complete(sessionId);
    const event = stripe.event("checkout.session.completed", sessionId, { created: new Date(deadline.getTime() - SECOND) });

    // The deletion job ran at the deadline: Stripe refuses to expire a completed page, so erasure waits.
    expect(await closeUnpaidOrder({ orderId: order.id, now: deadline })).toEqual({
      result: "waiting", retryAt: new Date(deadline.getTime() + env().CARD_OUTCOME_MAX_HOURS * HOUR),
    });
    expect(expireCalls(sessionId)).toBe(1);
    expect(await sweepUnpaidOrders({ now: new Date(deadline.getTime() + 5 * MINUTE) })).toMatchObject({ deleted: 0 });

    expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: "settled" } });
    const after = await state(order.id);
    expect(after).toMatchObject({ status: "PAID", paidAt: new Date(deadline.getTime() - SECOND), financeExceptions: [] });
    expect(after.application).not.toBeNull();
    expect(after.payments).toMatchObject([{ providerReference: sessionId, status: "SUCCEEDED", outcome: "APPLIED" }]);
    expect(after.outboxMails).toMatchObject([{ kind: "PAID" }]);
    expect(await deletions(order.id)).toBe(0);
  });

  it("expires a checkout still open at the deadline through Stripe, then erases the order", async () => {
    const deadline = new Date(Date.now() + 3 * HOUR);
    const { order, sessionId } = await orderWithCheckout(deadline);
    expect(await closeUnpaidOrder({ orderId: order.id, now: new Date(deadline.getTime() - SECOND) })).toEqual({ result: "not_due" });
    expect(expireCalls(sessionId)).toBe(0);

    expect(await closeUnpaidOrder({ orderId: order.id, now: deadline })).toEqual({ result: "deleted" });
    expect(expireCalls(sessionId)).toBe(1);
    expect(stripe.session(sessionId).status).toBe("expired");
    const after = await state(order.id);
    expect(after).toMatchObject({ status: "DELETED_UNPAID", application: null, payments: [{ status: "EXPIRED" }] });
    expect(await prisma.auditEvent.count({ where: { action: "payment.card_checkout_expired", subjectId: order.id } })).toBe(1);
  });

  it("erases on checkout.session.expired an order that waited for its checkout (Stripe unreachable at the deadline)", async () => {
    const deadline = new Date(Date.now() - 20 * MINUTE);
    const { order, sessionId } = await orderWithCheckout(deadline);
    const down = () => HttpResponse.json({ error: { type: "api_error", message: "Stripe is down" } }, { status: 500 });
    server.use(http.post(`${STRIPE_API}/v1/checkout/sessions/:id/expire`, down), http.get(`${STRIPE_API}/v1/checkout/sessions/:id`, down));

    expect((await closeUnpaidOrder({ orderId: order.id, now: deadline })).result).toBe("waiting");
    expect(await deleteUnpaidOrder({ orderId: order.id, now: new Date(deadline.getTime() + 10 * MINUTE) })).toBe("waiting");
    expect(await state(order.id)).toMatchObject({ status: "AWAITING_PAYMENT", payments: [{ status: "PENDING" }] });

    stripe.expire(sessionId);
    expect((await deliver(stripe.event("checkout.session.expired", sessionId))).body.outcome).toBe("expired");
    expect(await state(order.id)).toMatchObject({ status: "DELETED_UNPAID", application: null, payments: [{ status: "EXPIRED" }] });
    expect(await deletions(order.id)).toBe(1);
  });

  it("expires through the sweeper the checkout of an order whose deletion job was lost, then erases the order", async () => {
    const deadline = new Date(Date.now() + 4 * HOUR);
    const { order, sessionId } = await orderWithCheckout(deadline);
    const now = new Date(deadline.getTime() + 10 * MINUTE);
    // What the maintenance job runs every 10 minutes (workers/maintenance.ts).
    expect(await expireLapsedCheckouts({ now })).toEqual({ expired: 1, complete: 0, unknown: 0 });
    expect(expireCalls(sessionId)).toBe(1);
    expect(await sweepUnpaidOrders({ now })).toMatchObject({ deleted: 1 });
    expect(await state(order.id)).toMatchObject({ status: "DELETED_UNPAID", payments: [{ status: "EXPIRED" }] });
  });

  it("waits for a completed checkout's webhook a bounded time (CARD_OUTCOME_MAX_HOURS), then erases the order", async () => {
    const deadline = new Date(Date.now() + 5 * HOUR);
    const { order, sessionId } = await orderWithCheckout(deadline);
    stripe.complete(sessionId);
    const bound = new Date(deadline.getTime() + env().CARD_OUTCOME_MAX_HOURS * HOUR);
    expect(env().CARD_OUTCOME_MAX_HOURS).toBe(72);

    expect(await closeUnpaidOrder({ orderId: order.id, now: deadline })).toEqual({ result: "waiting", retryAt: bound });
    expect(await deleteUnpaidOrder({ orderId: order.id, now: new Date(bound.getTime() - SECOND) })).toBe("waiting");
    expect(await sweepUnpaidOrders({ now: new Date(bound.getTime() - SECOND) })).toMatchObject({ deleted: 0 });
    expect(await sweepUnpaidOrders({ now: bound })).toMatchObject({ deleted: 1 });
    expect(await state(order.id)).toMatchObject({ status: "DELETED_UNPAID", application: null });
  });
});
