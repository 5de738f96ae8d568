import { describe, expect, it, vi } from "vitest";

// env() caches on first read, and importing the database module reads it: set Stripe's key before any import.
vi.hoisted(() => {
  process.env.STRIPE_SECRET_KEY = "sk_test_moica_checkout";
  delete process.env.PUBLIC_BASE_URL;
});

import { prisma } from "~/lib/db.server";
import { action as payByCard } from "~/routes/reissue.orders.$orderNumber.pay.card";
import { createOrderFixture, testApplication } from "../../test/factories/orders";
import { citizenSessionCookie } from "../../test/factories/sessions";
import { serveStripeCheckoutFake } from "../../test/msw/server";
import { type CheckoutSessionsFake } from "../../test/msw/stripe";
import { CHECKOUT_LINE_ITEM_NAME, cardCheckoutErrorMessage, checkoutExpiresAt, startCardCheckout } from "./card-checkout.server";

const MINUTE = 60_000;
const ORIGIN = "http://moica.test";
let stripe: CheckoutSessionsFake;
serveStripeCheckoutFake((fake) => (stripe = fake));

const creates = () => stripe.requests.filter((r) => r.method === "POST" && r.path === "/v1/checkout/sessions");

async function checkout(order: { holderId: string; orderNumber: string }, now = new Date()) {
  return startCardCheckout({ holderId: order.holderId, orderNumber: order.orderNumber, requestOrigin: ORIGIN, now });
}

async function paymentsOf(orderId: string) {
  return prisma.payment.findMany({ where: { orderId }, orderBy: { createdAt: "asc" } });
}

describe("startCardCheckout", () => {
  it("opens a TWD Checkout Session for the order's NT$228 with an idempotency key and records a pending payment", async () => {
    const { order } = await createOrderFixture({ application: testApplication({ email: "secret.applicant@example.tw" }) });
    const now = new Date();
    const result = await checkout(order, now);

    expect(creates()).toHaveLength(1);
    const [request] = creates();
    const expiresAt = Math.floor(checkoutExpiresAt(order.paymentDeadline, now).getTime() / 1000);
    expect(request!.params).toMatchObject({
      mode: "payment",
      line_items: [{ quantity: "1", price_data: { currency: "twd", unit_amount: "22800", product_data: { name: CHECKOUT_LINE_ITEM_NAME } } }],
      client_reference_id: order.id,
      metadata: { orderId: order.id, orderNumber: order.orderNumber },
      success_url: `${ORIGIN}/reissue/orders/${order.orderNumber}?checkout=returned`,
      cancel_url: `${ORIGIN}/reissue/orders/${order.orderNumber}?checkout=cancelled`,
      expires_at: String(expiresAt),
    });
    expect(request!.idempotencyKey).toBe(`checkout:${order.id}:0:${expiresAt}`);
    // No personal data leaves for Stripe: not the e-mail, not the address, not the phone.
    const sent = JSON.stringify(request!.params);
    for (const personal of ["secret.applicant@example.tw", "0912345678", "重慶南路"]) expect(sent).not.toContain(personal);
    expect(request!.params).not.toHaveProperty("customer_email");

    expect(result).toEqual({ url: stripe.session(result.sessionId).url, sessionId: result.sessionId, reused: false });
    expect(await paymentsOf(order.id)).toMatchObject([
      { method: "CARD", provider: "stripe", providerReference: result.sessionId, status: "PENDING", amountNtd: 228, outcome: null },
    ]);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { subjectId: order.id, action: "payment.card_checkout_started" } });
    expect(audit).toMatchObject({ actorType: "CITIZEN", actorId: order.holderId, subjectType: "order" });
  });

  it("charges the amount on the order row", async () => {
    const { order } = await createOrderFixture();
    await prisma.reissueOrder.update({ where: { id: order.id }, data: { amountNtd: 250 } });
    await checkout(order);
    expect(creates()[0]!.params).toMatchObject({ line_items: [{ price_data: { unit_amount: "25000" } }] });
  });

  it("lets the page expire at the deadline when less than a day remains, and within a day otherwise", async () => {
    const now = new Date();
    const soon = await createOrderFixture({ paymentDeadline: new Date(now.getTime() + 2 * 60 * MINUTE) });
    await checkout(soon.order, now);
    expect(Number(creates()[0]!.params.expires_at)).toBe(Math.floor(soon.order.paymentDeadline.getTime() / 1000));

    const fresh = await createOrderFixture({ createdAt: now });
    await checkout(fresh.order, now);
    const expires = Number(creates()[1]!.params.expires_at) * 1000;
    expect(expires - now.getTime()).toBeGreaterThanOrEqual(22 * 60 * MINUTE);
    expect(expires - now.getTime()).toBeLessThan(24 * 60 * MINUTE);
  });

  it("refuses someone else's order, a paid order, a deleted order, after the deadline and with under 30 minutes left", async () => {
    const now = new Date();
    const mine = await createOrderFixture();
    const theirs = await createOrderFixture();
    await expect(startCardCheckout({ holderId: mine.holder.id, orderNumber: theirs.order.orderNumber, requestOrigin: ORIGIN, now }))
      .rejects.toMatchObject({ code: "ORDER_NOT_FOUND", status: 404 });

    const paid = await createOrderFixture({ status: "PAID" });
    await expect(checkout(paid.order, now)).rejects.toMatchObject({ code: "ORDER_ALREADY_PAID" });
    const deleted = await createOrderFixture({ status: "DELETED_UNPAID", withApplication: false });
    await expect(checkout(deleted.order, now)).rejects.toMatchObject({ code: "ORDER_DELETED" });

    const late = await createOrderFixture({ paymentDeadline: new Date(now.getTime() - 1000) });
    await expect(checkout(late.order, now)).rejects.toMatchObject({ code: "PAYMENT_DEADLINE_PASSED" });
    const tight = await createOrderFixture({ paymentDeadline: new Date(now.getTime() + 29 * MINUTE) });
    const refusal = await checkout(tight.order, now).catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: "CARD_CHECKOUT_TOO_LATE", userMessage: { "zh-TW": expect.stringContaining("30 分鐘"), en: expect.stringContaining("30 minutes") } });
    const enough = await createOrderFixture({ paymentDeadline: new Date(now.getTime() + 40 * MINUTE) });
    await expect(checkout(enough.order, now)).resolves.toMatchObject({ reused: false });

    expect(creates()).toHaveLength(1);
    expect(await prisma.payment.count({ where: { orderId: { in: [theirs.order.id, paid.order.id, late.order.id, tight.order.id] } } })).toBe(0);
  });

  it("hands out the same open page on a second click, and a new attempt once Stripe expired it", async () => {
    const { order } = await createOrderFixture();
    const first = await checkout(order);
    const again = await checkout(order);
    expect(again).toEqual({ ...first, reused: true });
    expect(creates()).toHaveLength(1);

    stripe.expire(first.sessionId);
    const next = await checkout(order);
    expect(next.sessionId).not.toBe(first.sessionId);
    expect(creates()[1]!.idempotencyKey).toMatch(new RegExp(`^checkout:${order.id}:1:\\d+$`));
    expect((await paymentsOf(order.id)).map((p) => [p.providerReference, p.status])).toEqual([
      [first.sessionId, "EXPIRED"],
      [next.sessionId, "PENDING"],
    ]);
  });

  it("replaces a page about to lapse, and refuses a new page while a completed payment is being confirmed", async () => {
    const { order } = await createOrderFixture();
    const now = new Date();
    const first = await checkout(order, now);
    const nearItsEnd = new Date(stripe.session(first.sessionId).expires_at * 1000 - 2 * MINUTE);
    const second = await checkout(order, nearItsEnd);
    expect(stripe.session(first.sessionId).status).toBe("expired");
    expect(stripe.requests.some((r) => r.path === `/v1/checkout/sessions/${first.sessionId}/expire`)).toBe(true);
    expect(second).toMatchObject({ reused: false });

    const other = await createOrderFixture();
    const opened = await checkout(other.order);
    stripe.complete(opened.sessionId, { paymentStatus: "unpaid" });
    await expect(checkout(other.order)).rejects.toMatchObject({ code: "CARD_PAYMENT_PROCESSING" });
    expect(cardCheckoutErrorMessage("CARD_PAYMENT_PROCESSING")?.["zh-TW"]).toContain("處理中");
  });

  it("gives two simultaneous clicks one Stripe session and one payment row", async () => {
    const { order } = await createOrderFixture();
    const now = new Date();
    const results = await Promise.all([checkout(order, now), checkout(order, now)]);
    expect(new Set(results.map((r) => r.sessionId)).size).toBe(1);
    expect(stripe.sessions.size).toBe(1);
    expect(await paymentsOf(order.id)).toHaveLength(1);
  });

  it("never marks an order paid because the payer came back from Stripe: only the webhook does", async () => {
    const { order } = await createOrderFixture();
    const { sessionId } = await checkout(order);
    stripe.complete(sessionId, { paymentStatus: "paid" });
    // The browser returns to success_url; no webhook has arrived.
    expect(await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).toMatchObject({ status: "AWAITING_PAYMENT", paidAt: null });
    expect(await paymentsOf(order.id)).toMatchObject([{ status: "PENDING", outcome: null }]);
    expect(await prisma.mailOutbox.count({ where: { orderId: order.id } })).toBe(0);
  });
});

describe("POST /reissue/orders/:orderNumber/pay/card", () => {
  async function post(order: { orderNumber: string }, holder: { id: string }, card: { id: string }, origin = ORIGIN) {
    const { cookie } = await citizenSessionCookie({ holderId: holder.id, cardId: card.id }, ORIGIN);
    const request = new Request(`${ORIGIN}/reissue/orders/${order.orderNumber}/pay/card`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: origin },
    });
    return payByCard({ request, params: { orderNumber: order.orderNumber }, context: { clientIp: "127.0.0.1" } });
  }

  it("redirects the holder to Stripe's page with 303", async () => {
    const { order, holder, card } = await createOrderFixture();
    const response = await post(order, holder, card);
    expect(response.status).toBe(303);
    const [payment] = await paymentsOf(order.id);
    expect(response.headers.get("Location")).toBe(stripe.session(payment!.providerReference!).url);
  });

  it("sends a refusal back to the status page as a code, refuses another site's form and another holder's order", async () => {
    const paid = await createOrderFixture({ status: "PAID" });
    const refused = await post(paid.order, paid.holder, paid.card);
    expect(refused.status).toBe(303);
    expect(refused.headers.get("Location")).toBe(`/reissue/orders/${paid.order.orderNumber}?checkout_error=ORDER_ALREADY_PAID`);

    const { order, holder, card } = await createOrderFixture();
    expect((await post(order, holder, card, "https://evil.example")).status).toBe(403);
    expect((await post(order, paid.holder, paid.card)).status).toBe(404);
    expect(creates()).toHaveLength(0);
  });
});
