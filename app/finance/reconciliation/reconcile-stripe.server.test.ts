import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

// env() caches on first read, and importing the database module reads it: set Stripe's key before any import.
vi.hoisted(() => {
  process.env.STRIPE_SECRET_KEY = "sk_test_moica_reconcile";
});

import { prisma } from "~/lib/db.server";
import { handleStripeEvent } from "~/payments/stripe-webhook.server";
import { startCardCheckout } from "~/payments/card-checkout.server";
import { createCardPaymentFixture, seedStripeFixtureDay, STRIPE_FIXTURE_DAY } from "../../../test/factories/finance";
import { createOrderFixture } from "../../../test/factories/orders";
import { createMswServer } from "../../../test/msw/server";
import { createCheckoutSessionsFake } from "../../../test/msw/stripe";
import { balanceTransaction, chargeSource, loadStripeBalanceFixture, stripeBalanceTransactionsHandler, type BalanceListRequest } from "../../../test/msw/stripe-balance";
import { reconcileStripeDay } from "./reconcile-stripe.server";

const server = createMswServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const finance = { id: "0195f000-0000-7000-8000-0000000000f1", roles: ["FINANCE" as const] };
const NOW = new Date("2026-11-24T09:00:00+08:00");

describe("reconcileStripeDay on the fixture day", () => {
  it("matches, flags the mismatch, the stranger charge and the missing payment once, and a re-run adds nothing", async () => {
    const ours = await seedStripeFixtureDay();
    const requests: BalanceListRequest[] = [];
    server.use(stripeBalanceTransactionsHandler(loadStripeBalanceFixture(), { pageSize: 2, requests }));

    const first = await reconcileStripeDay({ staff: finance, day: STRIPE_FIXTURE_DAY, now: NOW });
    // The Taipei day: 2026-11-22T16:00Z up to (not including) 2026-11-23T16:00Z, every page asked with the source expanded.
    expect(requests[0]).toMatchObject({ gte: Date.parse("2026-11-22T16:00:00Z") / 1000, lt: Date.parse("2026-11-23T16:00:00Z") / 1000, limit: 100, startingAfter: null, expandSource: true });
    expect(requests.length).toBe(3);
    expect(requests.every((r) => r.expandSource)).toBe(true);
    expect(first).toMatchObject({
      source: "STRIPE", day: STRIPE_FIXTURE_DAY, transactions: 5, charges: 3, others: 2,
      matched: 1, matchedNtd: 228, feeNtd: 8, netNtd: 220,
      exceptions: 3, newExceptions: 3,
      exceptionsByKind: { STRIPE_AMOUNT_MISMATCH: 1, STRIPE_CHARGE_UNMATCHED: 1, CARD_NOT_IN_STRIPE: 1 },
    });

    const exceptions = await prisma.financeException.findMany({ where: { reconciliationRunId: first.runId }, orderBy: { kind: "asc" } }); // enum order
    expect(exceptions.map((e) => [e.kind, e.amountNtd, e.orderId, e.stripeBalanceTransactionId, e.paymentId])).toEqual([
      ["CARD_NOT_IN_STRIPE", 228, ours.missing.order.id, null, ours.missing.payment.id],
      ["STRIPE_CHARGE_UNMATCHED", 228, null, "txn_fixture_stranger", null],
      ["STRIPE_AMOUNT_MISMATCH", 200, ours.mismatch.order.id, "txn_fixture_mismatch", null],
    ]);

    const stored = await prisma.stripeBalanceTransaction.findMany({ orderBy: { id: "asc" } });
    expect(stored.map((t) => [t.id, t.type, t.amountNtd, t.feeNtd, t.netNtd, t.paymentId])).toEqual([
      ["txn_fixture_matched", "charge", 228, 8, 220, ours.matched.payment.id],
      ["txn_fixture_mismatch", "charge", 200, 7, 193, ours.mismatch.payment.id],
      ["txn_fixture_payout", "payout", -1500, 0, -1500, null],
      ["txn_fixture_refund", "refund", -228, 0, -228, null],
      ["txn_fixture_stranger", "charge", 228, 8, 220, null],
    ]);
    expect(await prisma.reconciliationRun.findUniqueOrThrow({ where: { id: first.runId } })).toMatchObject({
      source: "STRIPE", day: new Date("2026-11-23T00:00:00Z"), startedBy: finance.id, finishedAt: NOW, matched: 1, exceptions: 3, matchedNtd: 228, feeNtd: 8,
    });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "finance.reconciled", subjectId: first.runId } });
    expect(audit).toMatchObject({ actorType: "STAFF", actorId: finance.id, details: expect.objectContaining({ source: "STRIPE", day: STRIPE_FIXTURE_DAY, matched: 1, exceptions: 3 }) });

    const again = await reconcileStripeDay({ staff: finance, day: STRIPE_FIXTURE_DAY, now: new Date(NOW.getTime() + 60_000) });
    expect(again).toMatchObject({ matched: 1, exceptions: 3, newExceptions: 0 });
    expect(again.runId).not.toBe(first.runId);
    expect(await prisma.financeException.count()).toBe(3);
    expect(await prisma.stripeBalanceTransaction.count()).toBe(5);
    // The open exceptions now point at the newest run that found them.
    expect(await prisma.financeException.count({ where: { reconciliationRunId: again.runId } })).toBe(3);
  });

  it("refuses staff without the finance role and a day that has not begun", async () => {
    await expect(reconcileStripeDay({ staff: { id: finance.id, roles: ["SUPPORT"] }, day: "2026-11-23", now: NOW })).rejects.toMatchObject({ status: 403 });
    await expect(reconcileStripeDay({ staff: finance, day: "2026-11-25", now: NOW })).rejects.toMatchObject({ code: "DAY_IN_FUTURE" });
    await expect(reconcileStripeDay({ staff: finance, day: "2026-02-30", now: NOW })).rejects.toMatchObject({ code: "DAY_INVALID" });
  });
});

describe("reconcileStripeDay matching", () => {
  it("uses the PaymentIntent the webhook recorded from a real Checkout completion", async () => {
    const checkout = createCheckoutSessionsFake();
    server.use(...checkout.handlers);
    const paidAt = new Date("2026-10-05T12:00:00+08:00");
    const { order } = await createOrderFixture({ createdAt: new Date(paidAt.getTime() - 3_600_000) });
    const { sessionId } = await startCardCheckout({ holderId: order.holderId, orderNumber: order.orderNumber, requestOrigin: "http://moica.test", now: new Date(paidAt.getTime() - 60_000) });
    const session = checkout.complete(sessionId);
    await handleStripeEvent(checkout.event("checkout.session.completed", sessionId, { created: paidAt }), { now: paidAt });
    const payment = await prisma.payment.findFirstOrThrow({ where: { orderId: order.id } });
    expect(payment.providerPaymentId).toBe(session.payment_intent);

    server.use(stripeBalanceTransactionsHandler([
      balanceTransaction({ id: "txn_webhook", amount: 22800, fee: 900, created: paidAt, source: chargeSource({ id: "ch_webhook", paymentIntent: String(session.payment_intent), amount: 22800 }) }),
    ]));
    const result = await reconcileStripeDay({ staff: finance, day: "2026-10-05", now: new Date("2026-10-06T09:00:00+08:00") });
    expect(result).toMatchObject({ matched: 1, matchedNtd: 228, feeNtd: 9, exceptions: 0 });
  });

  it("falls back to the charge's metadata.orderId for a payment recorded without its PaymentIntent, and a second charge for it is unmatched", async () => {
    const paidAt = new Date("2026-10-07T09:00:00+08:00");
    const { order, payment } = await createCardPaymentFixture({ paidAt, providerPaymentId: null });
    const pi = () => `pi_${randomBytes(6).toString("hex")}`;
    server.use(stripeBalanceTransactionsHandler([
      balanceTransaction({ id: "txn_meta_1", amount: 22800, fee: 800, created: paidAt, source: chargeSource({ id: "ch_meta_1", paymentIntent: pi(), amount: 22800, orderId: order.id }) }),
      balanceTransaction({ id: "txn_meta_2", amount: 22800, fee: 800, created: new Date(paidAt.getTime() + 60_000), source: chargeSource({ id: "ch_meta_2", paymentIntent: pi(), amount: 22800, orderId: order.id }) }),
    ]));
    const result = await reconcileStripeDay({ staff: finance, day: "2026-10-07", now: new Date("2026-10-08T09:00:00+08:00") });
    expect(result).toMatchObject({ matched: 1, exceptionsByKind: { STRIPE_CHARGE_UNMATCHED: 1 } });
    expect((await prisma.stripeBalanceTransaction.findUniqueOrThrow({ where: { id: "txn_meta_1" } })).paymentId).toBe(payment.id);
    const unmatched = await prisma.financeException.findFirstOrThrow({ where: { stripeBalanceTransactionId: "txn_meta_2" } });
    expect(unmatched).toMatchObject({ kind: "STRIPE_CHARGE_UNMATCHED", orderId: null });
    expect(unmatched.detail).toContain("second charge");
  });

  it("closes a payment's CARD_NOT_IN_STRIPE when its charge turns up in the previous day's balance", async () => {
    // Paid 00:00:02 on the 10th by Stripe's event; the charge itself is dated 23:59:59 on the 9th.
    const { payment } = await createCardPaymentFixture({ paidAt: new Date("2026-10-10T00:00:02+08:00"), providerPaymentId: "pi_midnight" });
    server.use(stripeBalanceTransactionsHandler([
      balanceTransaction({ id: "txn_midnight", amount: 22800, fee: 800, created: new Date("2026-10-09T23:59:59+08:00"), source: chargeSource({ id: "ch_midnight", paymentIntent: "pi_midnight", amount: 22800 }) }),
    ]));
    const tenth = await reconcileStripeDay({ staff: finance, day: "2026-10-10", now: new Date("2026-10-11T09:00:00+08:00") });
    expect(tenth.exceptionsByKind).toEqual({ CARD_NOT_IN_STRIPE: 1 });
    const ninth = await reconcileStripeDay({ staff: finance, day: "2026-10-09", now: new Date("2026-10-11T09:05:00+08:00") });
    expect(ninth).toMatchObject({ matched: 1, exceptions: 0 });
    expect(await prisma.financeException.findUniqueOrThrow({ where: { paymentId: payment.id } })).toMatchObject({
      resolution: "NO_ACTION_NEEDED", resolvedBy: finance.id, resolvedAt: new Date("2026-10-11T09:05:00+08:00"),
    });
    // And the 10th, run again, no longer finds it missing.
    expect((await reconcileStripeDay({ staff: finance, day: "2026-10-10", now: new Date("2026-10-11T09:10:00+08:00") })).exceptions).toBe(0);
  });
});
