import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";

// env() caches on first read, and importing the database module reads it: set Stripe's secrets before any import.
const WEBHOOK_SECRET = vi.hoisted(() => {
  process.env.STRIPE_SECRET_KEY = "sk_test_moica_webhook";
  process.env.STRIPE_WEBHOOK_SECRET = "whsec_moica_webhook_test_secret";
  return process.env.STRIPE_WEBHOOK_SECRET;
});

import { prisma } from "~/lib/db.server";
import { deleteUnpaidOrder } from "~/orders/deletion.server";
import { cardOutcomeAwaitedUntil } from "~/orders/payment-window.server";
import { action as stripeWebhook } from "~/routes/webhooks.stripe";
import { importBankFileForDayOf } from "../../test/factories/bank-days";
import { createOrderFixture } from "../../test/factories/orders";
import { serveStripeCheckoutFake } from "../../test/msw/server";
import { checkoutEvent, signedStripeWebhook, type CheckoutSessionsFake } from "../../test/msw/stripe";
import { startCardCheckout } from "./card-checkout.server";

let stripe: CheckoutSessionsFake;
serveStripeCheckoutFake((fake) => (stripe = fake));

function webhookRequest(body: string, headers: Record<string, string>) {
  return new Request("http://moica.test/webhooks/stripe", { method: "POST", body, headers });
}

async function deliver(event: unknown, secret = WEBHOOK_SECRET) {
  const { body, headers } = signedStripeWebhook({ event, secret });
  const response = await stripeWebhook({ request: webhookRequest(body, headers), params: {}, context: { clientIp: "127.0.0.1" } });
  return { status: response.status, body: (await response.json()) as { outcome?: string; error?: { code: string } } };
}

/** An order with a Stripe page opened through the real checkout code (the fake holds the session's state). */
async function openCheckout(options: Parameters<typeof createOrderFixture>[0] = {}) {
  const { order } = await createOrderFixture(options);
  const { sessionId } = await startCardCheckout({ holderId: order.holderId, orderNumber: order.orderNumber, requestOrigin: "http://moica.test" });
  return { order, sessionId };
}

async function state(orderId: string) {
  return prisma.reissueOrder.findUniqueOrThrow({
    where: { id: orderId },
    include: { payments: true, outboxMails: true, financeExceptions: true, application: true },
  });
}

const eventsRecorded = (eventId: string) => prisma.providerEvent.count({ where: { provider: "stripe", eventId } });

describe("POST /webhooks/stripe: the signature", () => {
  it("refuses a missing, wrong or stale signature and a tampered body with 400, recording nothing", async () => {
    const { order, sessionId } = await openCheckout();
    stripe.complete(sessionId);
    const event = stripe.event("checkout.session.completed", sessionId);
    const signed = signedStripeWebhook({ event, secret: WEBHOOK_SECRET });
    const attempts = [
      webhookRequest(signed.body, { "Content-Type": "application/json" }),
      webhookRequest(signed.body, signedStripeWebhook({ event, secret: "whsec_someone_else" }).headers),
      webhookRequest(signed.body, signedStripeWebhook({ event, secret: WEBHOOK_SECRET, timestamp: Math.floor(Date.now() / 1000) - 3600 }).headers),
      webhookRequest(signed.body.replace('"amount_total": 22800', '"amount_total": 100'), signed.headers),
      webhookRequest(JSON.stringify(event), signed.headers), // same JSON, other bytes: the raw body is what is signed
    ];
    for (const request of attempts) {
      const response = await stripeWebhook({ request, params: {}, context: { clientIp: "127.0.0.1" } });
      expect(response.status).toBe(400);
    }
    expect(await eventsRecorded(event.id)).toBe(0);
    expect(await state(order.id)).toMatchObject({ status: "AWAITING_PAYMENT", outboxMails: [] });
  });

  it("answers a missing or malformed Stripe-Signature with 400 STRIPE_SIGNATURE_INVALID, never 500", async () => {
    const event = { id: `evt_malformed_${Date.now()}`, object: "event", type: "checkout.session.completed", data: { object: {} } };
    const { body } = signedStripeWebhook({ event, secret: WEBHOOK_SECRET });
    const now = Math.floor(Date.now() / 1000);
    const malformed = [
      undefined, "", " ", "garbage", "t=", "v1=", `t=${now}`, `v1=${"a".repeat(64)}`, `t=abc,v1=${"a".repeat(64)}`,
      `t=${now},v1=not-hex`, `t=${now},v1=${"a".repeat(64)},v0=`, "t=1,v1=1,,,", "=,=,=", `t=${now};v1=${"a".repeat(64)}`,
    ];
    for (const signature of malformed) {
      const headers: Record<string, string> = { "Content-Type": "application/json" };
      if (signature !== undefined) headers["Stripe-Signature"] = signature;
      for (const request of [webhookRequest(body, headers), new Request("http://moica.test/webhooks/stripe", { method: "POST", headers })]) {
        const response = await stripeWebhook({ request, params: {}, context: { clientIp: "127.0.0.1" } });
        expect({ signature, status: response.status }).toEqual({ signature, status: 400 });
        expect(await response.json()).toMatchObject({ error: { code: "STRIPE_SIGNATURE_INVALID" } });
      }
    }
    expect(await eventsRecorded(event.id)).toBe(0);
  });

  it("refuses an oversized body before reading it all", async () => {
    const { body, headers } = signedStripeWebhook({ event: { id: "evt_big", padding: "x".repeat(300 * 1024) }, secret: WEBHOOK_SECRET });
    const response = await stripeWebhook({ request: webhookRequest(body, headers), params: {}, context: { clientIp: "127.0.0.1" } });
    expect(response.status).toBe(413);
    expect(await eventsRecorded("evt_big")).toBe(0);
  });
});

describe("POST /webhooks/stripe: card payments", () => {
  it("marks the order paid at Stripe's time on checkout.session.completed (paid) and writes one paid e-mail", async () => {
    const { order, sessionId } = await openCheckout();
    stripe.complete(sessionId);
    const created = new Date(Math.floor(Date.now() / 1000) * 1000 - 5000);
    const event = stripe.event("checkout.session.completed", sessionId, { created });
    expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: "settled" } });
    const after = await state(order.id);
    expect(after).toMatchObject({ status: "PAID", paidAt: created });
    expect(after.payments).toMatchObject([{ providerReference: sessionId, status: "SUCCEEDED", outcome: "APPLIED", amountNtd: 228, paidAt: created }]);
    expect(after.outboxMails).toMatchObject([{ kind: "PAID", status: "PENDING" }]);
    expect(await eventsRecorded(event.id)).toBe(1);
  });

  it("applies the same event delivered twice, and ten times at once, exactly once", async () => {
    const { order, sessionId } = await openCheckout();
    stripe.complete(sessionId);
    const event = stripe.event("checkout.session.completed", sessionId);
    expect((await deliver(event)).body.outcome).toBe("settled");
    expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: "duplicate" } });

    const other = await openCheckout();
    stripe.complete(other.sessionId);
    const burst = stripe.event("checkout.session.completed", other.sessionId);
    const answers = await Promise.all(Array.from({ length: 10 }, () => deliver(burst)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(answers.map((a) => a.body.outcome).sort()).toEqual(["settled", ...Array(9).fill("duplicate")].sort());

    for (const id of [order.id, other.order.id]) {
      const after = await state(id);
      expect(after.status).toBe("PAID");
      expect(after.payments).toHaveLength(1);
      expect(after.outboxMails).toHaveLength(1);
      expect(after.financeExceptions).toEqual([]);
    }
    expect(await eventsRecorded(burst.id)).toBe(1);
  });

  it("settles once when two different events both say paid (completed + async_payment_succeeded)", async () => {
    const { order, sessionId } = await openCheckout();
    stripe.complete(sessionId);
    const completed = stripe.event("checkout.session.completed", sessionId);
    const succeeded = stripe.event("checkout.session.async_payment_succeeded", sessionId);
    await Promise.all([deliver(completed), deliver(succeeded)]);
    const after = await state(order.id);
    expect(after).toMatchObject({ status: "PAID", financeExceptions: [] });
    expect(after.payments).toHaveLength(1);
    expect(after.outboxMails).toHaveLength(1);
    expect(await prisma.auditEvent.count({ where: { subjectId: order.id, action: "order.paid" } })).toBe(1);
  });

  it("keeps a paid order paid when the events come in the wrong order", async () => {
    // expired after completed: the payment is not downgraded.
    const a = await openCheckout();
    stripe.complete(a.sessionId);
    await deliver(stripe.event("checkout.session.completed", a.sessionId));
    expect((await deliver(checkoutEvent({ type: "checkout.session.expired", session: { ...stripe.session(a.sessionId), status: "expired" } }))).status).toBe(200);
    expect(await state(a.order.id)).toMatchObject({ status: "PAID", payments: [{ status: "SUCCEEDED", outcome: "APPLIED" }] });

    // async_payment_succeeded before completed (unpaid): paid, and the late "processing" news changes nothing.
    const b = await openCheckout();
    const completedUnpaid = checkoutEvent({ type: "checkout.session.completed", session: stripe.complete(b.sessionId, { paymentStatus: "unpaid" }) });
    const succeeded = stripe.event("checkout.session.async_payment_succeeded", b.sessionId);
    stripe.settleAsync(b.sessionId, "succeeded");
    expect((await deliver(stripe.event("checkout.session.async_payment_succeeded", b.sessionId))).body.outcome).toBe("settled");
    expect((await deliver(completedUnpaid)).body.outcome).toBe("processing");
    expect((await deliver(succeeded)).body.outcome).toBe("settled");
    const afterB = await state(b.order.id);
    expect(afterB).toMatchObject({ status: "PAID", payments: [{ status: "SUCCEEDED" }] });
    expect(afterB.outboxMails).toHaveLength(1);

    // async_payment_failed arriving after the payment was confirmed does not downgrade it either.
    expect((await deliver(stripe.event("checkout.session.async_payment_failed", b.sessionId))).status).toBe(200);
    expect(await state(b.order.id)).toMatchObject({ status: "PAID", payments: [{ status: "SUCCEEDED" }] });
  });

  it("follows an asynchronous method: processing after completion, paid only on async_payment_succeeded", async () => {
    const { order, sessionId } = await openCheckout();
    stripe.complete(sessionId, { paymentStatus: "unpaid" });
    expect((await deliver(stripe.event("checkout.session.completed", sessionId))).body.outcome).toBe("processing");
    const processing = await state(order.id);
    expect(processing).toMatchObject({ status: "AWAITING_PAYMENT", paidAt: null, outboxMails: [], payments: [{ status: "PENDING", outcome: null }] });
    expect(await prisma.auditEvent.count({ where: { subjectId: order.id, action: "payment.card_processing" } })).toBe(1);

    stripe.settleAsync(sessionId, "succeeded");
    expect((await deliver(stripe.event("checkout.session.async_payment_succeeded", sessionId))).body.outcome).toBe("settled");
    const paid = await state(order.id);
    expect(paid).toMatchObject({ status: "PAID", payments: [{ status: "SUCCEEDED", outcome: "APPLIED" }] });
    expect(paid.outboxMails).toHaveLength(1);
  });

  it("marks an asynchronous failure FAILED, lets a late expiry leave it so, and lets the holder try again", async () => {
    const { order, sessionId } = await openCheckout();
    stripe.complete(sessionId, { paymentStatus: "unpaid" });
    await deliver(stripe.event("checkout.session.completed", sessionId));
    expect((await deliver(stripe.event("checkout.session.async_payment_failed", sessionId))).body.outcome).toBe("failed");
    expect(await state(order.id)).toMatchObject({ status: "AWAITING_PAYMENT", outboxMails: [], payments: [{ status: "FAILED" }] });
    expect(await prisma.auditEvent.count({ where: { subjectId: order.id, action: "payment.card_failed" } })).toBe(1);

    await deliver(checkoutEvent({ type: "checkout.session.expired", session: { ...stripe.session(sessionId), status: "expired" } }));
    expect((await state(order.id)).payments).toMatchObject([{ status: "FAILED" }]);

    const retry = await startCardCheckout({ holderId: order.holderId, orderNumber: order.orderNumber, requestOrigin: "http://moica.test" });
    expect(retry.sessionId).not.toBe(sessionId);
    stripe.complete(retry.sessionId);
    await deliver(stripe.event("checkout.session.completed", retry.sessionId));
    const after = await state(order.id);
    expect(after.status).toBe("PAID");
    expect(after.payments.map((p) => p.status).sort()).toEqual(["FAILED", "SUCCEEDED"]);
  });

  it("expires a pending payment when its page lapses unpaid", async () => {
    const { order, sessionId } = await openCheckout();
    stripe.expire(sessionId);
    expect((await deliver(stripe.event("checkout.session.expired", sessionId))).body.outcome).toBe("expired");
    expect(await state(order.id)).toMatchObject({ status: "AWAITING_PAYMENT", payments: [{ status: "EXPIRED" }] });
  });

  it("lists a payment for an order already deleted as a late payment for refund", async () => {
    const { order, sessionId } = await openCheckout({ paymentDeadline: new Date(Date.now() + 2 * 3600_000) });
    // Deleted once the wait for its open checkout's outcome (decision 011) was over, with the day's bank file in.
    await importBankFileForDayOf(order.paymentDeadline);
    expect(await deleteUnpaidOrder({ orderId: order.id, now: new Date(cardOutcomeAwaitedUntil(order.paymentDeadline).getTime() + 1000) })).toBe("deleted");
    stripe.complete(sessionId);
    expect((await deliver(stripe.event("checkout.session.completed", sessionId))).body.outcome).toBe("settled");
    const after = await state(order.id);
    expect(after).toMatchObject({ status: "DELETED_UNPAID", application: null, outboxMails: [] });
    expect(after.payments).toMatchObject([{ providerReference: sessionId, status: "SUCCEEDED", outcome: "LATE_PAYMENT" }]);
    expect(after.financeExceptions).toMatchObject([{ kind: "LATE_PAYMENT", method: "CARD", amountNtd: 228 }]);
  });

  it("lists money for an order that does not exist for finance, and acknowledges it (no retry could match it)", async () => {
    const { sessionId } = await openCheckout();
    const ghost = randomUUID();
    const session = { ...stripe.complete(sessionId), id: `cs_test_ghost_${Date.now()}`, client_reference_id: ghost, metadata: { orderId: ghost, orderNumber: "0" } };
    const event = checkoutEvent({ type: "checkout.session.completed", session });
    expect(await deliver(event)).toEqual({ status: 200, body: { received: true, outcome: "unmatched" } });
    expect(await eventsRecorded(event.id)).toBe(1);
    const listed = await prisma.financeException.findMany({ where: { detail: { contains: session.id } } });
    expect(listed).toMatchObject([{ kind: "UNMATCHED_TRANSFER", method: "CARD", amountNtd: 228, orderId: null }]);
  });

  it("records and ignores event types it does not act on, and sessions this service did not create", async () => {
    const other = { id: `evt_test_${Date.now()}`, object: "event", type: "payment_intent.succeeded", created: Math.floor(Date.now() / 1000), data: { object: { id: "pi_1", object: "payment_intent" } } };
    expect(await deliver(other)).toEqual({ status: 200, body: { received: true, outcome: "ignored" } });
    expect(await eventsRecorded(other.id)).toBe(1);

    const { sessionId } = await openCheckout();
    const foreign = { ...stripe.complete(sessionId), id: "cs_test_payment_link", client_reference_id: null, metadata: {} };
    expect((await deliver(checkoutEvent({ type: "checkout.session.completed", session: foreign }))).body.outcome).toBe("ignored");
  });

  it("answers 500 and leaves nothing behind when applying fails, so Stripe's retry applies it later", async () => {
    const { order, sessionId } = await openCheckout();
    stripe.complete(sessionId);
    const event = stripe.event("checkout.session.completed", sessionId);
    // The last write of the effect (the paid e-mail) fails: the order update and payment before it must roll back too.
    await prisma.$executeRawUnsafe(`CREATE FUNCTION refuse_outbox() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'outbox down'; END $$`);
    await prisma.$executeRawUnsafe(`CREATE TRIGGER refuse_outbox BEFORE INSERT ON mail_outbox FOR EACH ROW EXECUTE FUNCTION refuse_outbox()`);
    try {
      const failed = await deliver(event);
      expect(failed.status).toBe(500);
      expect(await eventsRecorded(event.id)).toBe(0);
      expect(await state(order.id)).toMatchObject({ status: "AWAITING_PAYMENT", paidAt: null, outboxMails: [], payments: [{ status: "PENDING", outcome: null }] });
    } finally {
      await prisma.$executeRawUnsafe(`DROP TRIGGER refuse_outbox ON mail_outbox`);
      await prisma.$executeRawUnsafe(`DROP FUNCTION refuse_outbox()`);
    }
    expect((await deliver(event)).body.outcome).toBe("settled");
    expect(await state(order.id)).toMatchObject({ status: "PAID", outboxMails: [{ kind: "PAID" }] });
  });
});
