import { describe, expect, it, vi } from "vitest";
import { prisma } from "~/lib/db.server";
import { settlePayment } from "~/payments/settlement.server";
import { formatVirtualAccount } from "~/payments/virtual-account";
import { importBankFileForDayOf } from "../../test/factories/bank-days";
import { createOrderFixture } from "../../test/factories/orders";
import { deleteUnpaidOrder } from "./deletion.server";
import { formatOrderNumber } from "./order-number";
import { loadOrderStatus } from "./order-status.server";

// The card button needs a configured Stripe account; set before any import can read (and cache) env().
vi.hoisted(() => {
  process.env.STRIPE_SECRET_KEY = "sk_test_moica_status";
});

const SECOND = 1000;
const HOUR = 3600 * SECOND;

async function audit(orderId: string, action: string, occurredAt: Date, details?: object) {
  await prisma.auditEvent.create({
    data: { actorType: "SYSTEM", action, subjectType: "order", subjectId: orderId, occurredAt, details: details ?? undefined },
  });
}

describe("loadOrderStatus", () => {
  it("shows an unpaid order: amount 200 + 28 = 228, deadline, seconds left, ATM account and the card button", async () => {
    const createdAt = new Date("2026-11-23T02:00:00Z");
    const { holder, order } = await createOrderFixture({ createdAt });
    const now = new Date(createdAt.getTime() + 47 * HOUR + 59 * 60 * SECOND + 30.6 * SECOND);
    const view = (await loadOrderStatus({ holderId: holder.id, orderNumber: order.orderNumber, now }))!;
    expect(view).toMatchObject({
      orderNumber: order.orderNumber,
      orderNumberFormatted: formatOrderNumber(order.orderNumber),
      status: "AWAITING_PAYMENT",
      phase: "AWAITING_PAYMENT",
      amount: { cardNtd: 200, postageNtd: 28, totalNtd: 228 },
      paymentDeadline: "2026-11-25T02:00:00.000Z",
      secondsRemaining: 29,
      atm: {
        bankCode: order.atmBankCode,
        virtualAccount: order.virtualAccount,
        virtualAccountFormatted: formatVirtualAccount(order.virtualAccount),
        amountNtd: 228,
        expiresAt: "2026-11-25T02:00:00.000Z",
      },
      card: { available: true, latest: null },
    });
    // The number as a person types it finds the same order.
    expect((await loadOrderStatus({ holderId: holder.id, orderNumber: formatOrderNumber(order.orderNumber), now }))?.orderNumber).toBe(order.orderNumber);
  });

  it("stops offering payment once the deadline has passed, before the deletion job has run", async () => {
    const { holder, order } = await createOrderFixture();
    const view = (await loadOrderStatus({ holderId: holder.id, orderNumber: order.orderNumber, now: new Date(order.paymentDeadline.getTime() + SECOND) }))!;
    expect(view).toMatchObject({ status: "AWAITING_PAYMENT", secondsRemaining: 0, atm: null, card: { available: false } });
  });

  it("answers null for someone else's order and for a number that fails its check digit", async () => {
    const { order } = await createOrderFixture();
    const { holder: other } = await createOrderFixture();
    expect(await loadOrderStatus({ holderId: other.id, orderNumber: order.orderNumber })).toBeNull();
    const wrong = order.orderNumber.slice(0, -1) + String((Number(order.orderNumber.slice(-1)) + 1) % 10);
    expect(await loadOrderStatus({ holderId: order.holderId, orderNumber: wrong })).toBeNull();
  });

  it("reads 'processing' after the return from checkout or while a card payment is pending — never paid", async () => {
    const { holder, order } = await createOrderFixture();
    const load = (checkoutReturned = false) => loadOrderStatus({ holderId: holder.id, orderNumber: order.orderNumber, checkoutReturned });
    expect((await load())!.phase).toBe("AWAITING_PAYMENT");
    expect((await load(true))!).toMatchObject({ phase: "PROCESSING", status: "AWAITING_PAYMENT", paidAt: null });

    await prisma.payment.create({
      data: { orderId: order.id, method: "CARD", amountNtd: 228, provider: "stripe", providerReference: "cs_test_status_1", status: "PENDING" },
    });
    expect((await load())!).toMatchObject({ phase: "PROCESSING", card: { available: true, latest: { status: "PENDING" } } });

    await prisma.$transaction((tx) =>
      settlePayment(tx, { orderId: order.id, method: "CARD", provider: "stripe", providerReference: "cs_test_status_1", amountNtd: 228, paidAt: new Date() }),
    );
    const paid = (await load(true))!;
    expect(paid).toMatchObject({ status: "PAID", phase: "PAID", atm: null, card: { available: false, latest: { status: "SUCCEEDED" } } });
    expect(paid.paidAt).not.toBeNull();
    expect(paid.timeline.map((entry) => entry.action)).toContain("order.paid");
    expect(paid.timeline.find((entry) => entry.action === "order.paid")!.method).toBe("CARD");
  });

  it("builds the timeline from the order's audit trail, oldest first, leaving out actions it cannot name", async () => {
    const createdAt = new Date("2026-11-23T02:00:00Z");
    const { holder, order } = await createOrderFixture({ createdAt, status: "PAID" });
    const { order: another } = await createOrderFixture();
    await audit(order.id, "mail.paid_sent", new Date(createdAt.getTime() + 3 * HOUR));
    await audit(order.id, "order.created", createdAt, { amountNtd: 228, outlyingIsland: false });
    await audit(order.id, "order.paid", new Date(createdAt.getTime() + 2 * HOUR), { method: "ATM", amountNtd: 228 });
    await audit(order.id, "payment.card_checkout_started", new Date(createdAt.getTime() + HOUR));
    await audit(order.id, "order.printing_exported", new Date(createdAt.getTime() + 4 * HOUR));
    await audit(another.id, "order.created", new Date(createdAt.getTime() + 30 * 60 * SECOND));
    const view = (await loadOrderStatus({ holderId: holder.id, orderNumber: order.orderNumber }))!;
    expect(view.timeline).toEqual([
      { action: "order.created", at: "2026-11-23T02:00:00.000Z" },
      { action: "payment.card_checkout_started", at: "2026-11-23T03:00:00.000Z" },
      { action: "order.paid", at: "2026-11-23T04:00:00.000Z", method: "ATM" },
      { action: "mail.paid_sent", at: "2026-11-23T05:00:00.000Z" },
    ]);
  });

  it("shows a deleted order as deleted, without payment options, with the deletion in its timeline", async () => {
    const { holder, order } = await createOrderFixture();
    await importBankFileForDayOf(order.paymentDeadline);
    expect(await deleteUnpaidOrder({ orderId: order.id, now: order.paymentDeadline })).toBe("deleted");
    const view = (await loadOrderStatus({ holderId: holder.id, orderNumber: order.orderNumber, checkoutReturned: true }))!;
    expect(view).toMatchObject({
      status: "DELETED_UNPAID",
      phase: "DELETED_UNPAID",
      atm: null,
      card: { available: false },
      deletedAt: order.paymentDeadline.toISOString(),
      outlyingIsland: null,
      amount: { totalNtd: 228 },
    });
    expect(view.timeline.map((entry) => entry.action)).toEqual(["order.deleted_unpaid"]);
  });
});
