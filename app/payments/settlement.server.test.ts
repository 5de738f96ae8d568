import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { deletionCertainAt } from "~/orders/payment-window.server";
import { createOrderFixture } from "../../test/factories/orders";
import { settlePayment, type ReceivedPayment } from "./settlement.server";

const SECOND = 1000;
let reference = 0;

function cardPayment(orderId: string, paidAt: Date, overrides: Partial<ReceivedPayment> = {}): ReceivedPayment {
  return { orderId, method: "CARD", provider: "stripe", providerReference: `cs_test_${++reference}`, amountNtd: 228, paidAt, receivedAt: paidAt, ...overrides };
}

const settle = (payment: ReceivedPayment) => prisma.$transaction((tx) => settlePayment(tx, payment));

async function orderState(orderId: string) {
  return prisma.reissueOrder.findUniqueOrThrow({
    where: { id: orderId },
    include: { application: true, payments: true, financeExceptions: true, outboxMails: true },
  });
}

describe("settlePayment at the 48-hour boundary", () => {
  it("applies a card payment taken 1 s before the deadline, even when the notice arrives later", async () => {
    const { order } = await createOrderFixture();
    const paidAt = new Date(order.paymentDeadline.getTime() - SECOND);
    const result = await settle(cardPayment(order.id, paidAt, { receivedAt: new Date(order.paymentDeadline.getTime() - 1) }));
    expect(result).toMatchObject({ outcome: "APPLIED", alreadySettled: false });
    const state = await orderState(order.id);
    expect(state).toMatchObject({ status: "PAID", paidAt });
    expect(state.outboxMails.map((m) => m.kind)).toEqual(["PAID"]);
    expect(state.financeExceptions).toEqual([]);
  });

  it("applies a payment at exactly the deadline", async () => {
    const { order } = await createOrderFixture();
    const result = await settle(cardPayment(order.id, order.paymentDeadline, { receivedAt: new Date(order.paymentDeadline.getTime() - 1) }));
    expect(result.outcome).toBe("APPLIED");
  });

  it("refuses a payment taken 1 s after the deadline and lists it for refund", async () => {
    const { order } = await createOrderFixture();
    const paidAt = new Date(order.paymentDeadline.getTime() + SECOND);
    const result = await settle(cardPayment(order.id, paidAt, { receivedAt: new Date(order.paymentDeadline.getTime() - 1) }));
    expect(result.outcome).toBe("LATE_PAYMENT");
    const state = await orderState(order.id);
    expect(state.status).toBe("AWAITING_PAYMENT");
    expect(state.financeExceptions).toMatchObject([{ kind: "LATE_PAYMENT", amountNtd: 228, paymentId: result.paymentId }]);
    expect(state.outboxMails).toEqual([]);
  });

  it("deletes the order itself when the notice comes after deletion was due, and lists the money for refund", async () => {
    const { order } = await createOrderFixture();
    // Due once the window has closed and no report is awaited any more (decision 011): here, the bounded wait's end.
    const receivedAt = deletionCertainAt(order.paymentDeadline);
    const result = await settle(cardPayment(order.id, new Date(order.paymentDeadline.getTime() - SECOND), { receivedAt }));
    expect(result.outcome).toBe("LATE_PAYMENT");
    const state = await orderState(order.id);
    expect(state).toMatchObject({ status: "DELETED_UNPAID", application: null });
    expect(state.payments).toHaveLength(1);
  });
});

describe("settlePayment records each payment once", () => {
  it("answers a repeated notice with the first outcome and changes nothing", async () => {
    const { order } = await createOrderFixture();
    const payment = cardPayment(order.id, new Date());
    const first = await settle(payment);
    const again = await settle(payment);
    expect(again).toEqual({ ...first, alreadySettled: true });
    const state = await orderState(order.id);
    expect(state.payments).toHaveLength(1);
    expect(state.outboxMails).toHaveLength(1);
  });

  it("sends a second payment for a paid order, and a wrong amount, to finance", async () => {
    const { order } = await createOrderFixture();
    await settle(cardPayment(order.id, new Date()));
    expect((await settle(cardPayment(order.id, new Date(), { method: "ATM", provider: "bank:822" }))).outcome).toBe("DUPLICATE_PAYMENT");
    const other = await createOrderFixture();
    expect((await settle(cardPayment(other.order.id, new Date(), { amountNtd: 200 }))).outcome).toBe("WRONG_AMOUNT");
    expect((await orderState(other.order.id)).status).toBe("AWAITING_PAYMENT");
    const kinds = await prisma.financeException.findMany({ where: { orderId: { in: [order.id, other.order.id] } }, select: { kind: true } });
    expect(kinds.map((k) => k.kind).sort()).toEqual(["DUPLICATE_PAYMENT", "WRONG_AMOUNT"]);
  });
});
