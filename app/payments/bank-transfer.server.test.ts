import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { atmReportAwaitedUntil } from "~/orders/payment-window.server";
import { createOrderFixture } from "../../test/factories/orders";
import { BankTransferConflictError, parseBankTimestamp, receiveBankTransfer, type IncomingBankTransfer } from "./bank-transfer.server";
import { virtualAccountCheckDigit } from "./virtual-account";

const SECOND = 1000;
let sequence = 0;

function transfer(virtualAccount: string, paidAt: Date, overrides: Partial<IncomingBankTransfer> = {}): IncomingBankTransfer {
  return {
    bankTxnId: `TXN-${process.pid}-${++sequence}`,
    bankCode: "822",
    virtualAccount,
    amountNtd: 228,
    paidAt,
    source: "CALLBACK",
    receivedAt: paidAt,
    ...overrides,
  };
}

const receive = (incoming: IncomingBankTransfer) => prisma.$transaction((tx) => receiveBankTransfer(tx, incoming));

async function orderState(orderId: string) {
  return prisma.reissueOrder.findUniqueOrThrow({
    where: { id: orderId },
    include: { payments: true, financeExceptions: true, outboxMails: true, bankTransfers: true, application: true },
  });
}

/** A future deadline, so a notice "received" just before it cannot be overtaken by deletion. */
const futureOrder = () => createOrderFixture({ paymentDeadline: new Date(Date.now() + 3600 * SECOND) });

describe("receiveBankTransfer at the deadline (ATM grace 0)", () => {
  const beforeDeadline = (deadline: Date) => new Date(deadline.getTime() - 1);

  it("pays the order with a transfer dated 1 s before the deadline", async () => {
    const { order } = await futureOrder();
    const paidAt = new Date(order.paymentDeadline.getTime() - SECOND);
    const result = await receive(transfer(order.virtualAccount, paidAt, { receivedAt: beforeDeadline(order.paymentDeadline) }));
    expect(result).toMatchObject({ duplicate: false, outcome: "APPLIED", orderId: order.id });
    const state = await orderState(order.id);
    expect(state).toMatchObject({ status: "PAID", paidAt });
    expect(state.payments).toMatchObject([{ method: "ATM", provider: "bank:822", outcome: "APPLIED", amountNtd: 228 }]);
    expect(state.bankTransfers).toMatchObject([{ paymentId: state.payments[0]!.id, orderId: order.id, source: "CALLBACK" }]);
    expect(state.outboxMails.map((m) => m.kind)).toEqual(["PAID"]);
    expect(state.financeExceptions).toEqual([]);
  });

  it("pays the order with a transfer dated exactly at the deadline", async () => {
    const { order } = await futureOrder();
    const result = await receive(transfer(order.virtualAccount, order.paymentDeadline, { receivedAt: beforeDeadline(order.paymentDeadline) }));
    expect(result).toMatchObject({ outcome: "APPLIED" });
    expect((await orderState(order.id)).status).toBe("PAID");
  });

  it("lists a transfer dated 1 s after the deadline for refund and leaves the order unpaid", async () => {
    const { order } = await futureOrder();
    const paidAt = new Date(order.paymentDeadline.getTime() + SECOND);
    const result = await receive(transfer(order.virtualAccount, paidAt, { receivedAt: beforeDeadline(order.paymentDeadline) }));
    expect(result).toMatchObject({ outcome: "LATE_PAYMENT" });
    const state = await orderState(order.id);
    expect(state.status).toBe("AWAITING_PAYMENT");
    expect(state.outboxMails).toEqual([]);
    expect(state.financeExceptions).toMatchObject([{ kind: "LATE_PAYMENT", method: "ATM", amountNtd: 228, bankTransferId: result.bankTransferId }]);
  });

  it("a transfer dated in time but reported after the bounded wait finds the order deleted (decisions 004, 011)", async () => {
    const { order } = await createOrderFixture({ paymentDeadline: new Date(Date.now() - 60 * SECOND) });
    const receivedAt = atmReportAwaitedUntil(order.paymentDeadline);
    const result = await receive(transfer(order.virtualAccount, new Date(order.paymentDeadline.getTime() - SECOND), { receivedAt }));
    expect(result).toMatchObject({ outcome: "LATE_PAYMENT", orderId: order.id });
    const state = await orderState(order.id);
    expect(state).toMatchObject({ status: "DELETED_UNPAID", application: null });
    expect(state.financeExceptions).toMatchObject([{ kind: "LATE_PAYMENT" }]);
  });
});

describe("receiveBankTransfer sends what cannot pay an order to finance", () => {
  it("a wrong amount is a WRONG_AMOUNT exception and the order stays unpaid", async () => {
    const { order } = await futureOrder();
    const result = await receive(transfer(order.virtualAccount, new Date(), { amountNtd: 200 }));
    expect(result).toMatchObject({ outcome: "WRONG_AMOUNT" });
    const state = await orderState(order.id);
    expect(state.status).toBe("AWAITING_PAYMENT");
    expect(state.outboxMails).toEqual([]);
    expect(state.financeExceptions).toMatchObject([{ kind: "WRONG_AMOUNT", amountNtd: 200, bankTransferId: result.bankTransferId }]);
  });

  it("an account no order has (a wrong check digit, say) is UNMATCHED_TRANSFER naming the account as given", async () => {
    const { order } = await futureOrder();
    const body = order.virtualAccount.slice(0, -1);
    const wrongDigit = `${body}${(Number(virtualAccountCheckDigit(body)) + 1) % 10}`;
    const result = await receive(transfer(wrongDigit, new Date()));
    expect(result).toMatchObject({ duplicate: false, outcome: "UNMATCHED_TRANSFER", orderId: null, paymentId: null });
    const exception = await prisma.financeException.findUniqueOrThrow({ where: { bankTransferId: result.bankTransferId } });
    expect(exception).toMatchObject({ kind: "UNMATCHED_TRANSFER", method: "ATM", amountNtd: 228, orderId: null, paymentId: null });
    expect(exception.detail).toContain(wrongDigit);
    expect((await orderState(order.id)).status).toBe("AWAITING_PAYMENT");
  });

  it("our account number at another bank is not our order's", async () => {
    const { order } = await futureOrder();
    const result = await receive(transfer(order.virtualAccount, new Date(), { bankCode: "812" }));
    expect(result).toMatchObject({ outcome: "UNMATCHED_TRANSFER" });
    const state = await orderState(order.id);
    expect(state.status).toBe("AWAITING_PAYMENT");
    expect(state.payments).toEqual([]);
  });

  it("a second transfer to a paid order is DUPLICATE_PAYMENT", async () => {
    const { order } = await futureOrder();
    await receive(transfer(order.virtualAccount, new Date()));
    const second = await receive(transfer(order.virtualAccount, new Date()));
    expect(second).toMatchObject({ outcome: "DUPLICATE_PAYMENT" });
    const state = await orderState(order.id);
    expect(state.payments).toHaveLength(2);
    expect(state.outboxMails).toHaveLength(1);
  });
});

describe("receiveBankTransfer is idempotent on bank_txn_id", () => {
  const counts = async () => ({
    transfers: await prisma.bankTransfer.count(),
    payments: await prisma.payment.count(),
    exceptions: await prisma.financeException.count(),
    mails: await prisma.mailOutbox.count(),
  });

  it("the same transfer again returns duplicate and changes nothing", async () => {
    const { order } = await futureOrder();
    const incoming = transfer(order.virtualAccount, new Date());
    const first = await receive(incoming);
    const before = await counts();
    const again = await receive({ ...incoming, source: "FILE", receivedAt: new Date() });
    expect(again).toEqual({ duplicate: true, bankTransferId: first.bankTransferId });
    expect(await counts()).toEqual(before);
    expect(await prisma.bankTransfer.findUniqueOrThrow({ where: { id: first.bankTransferId } })).toMatchObject({ source: "CALLBACK" });
  });

  it("the same id with a different amount, account or time is a bank error: thrown, named, nothing overwritten", async () => {
    const { order } = await futureOrder();
    const incoming = transfer(order.virtualAccount, new Date());
    await receive(incoming);
    const before = await counts();
    for (const change of [{ amountNtd: 229 }, { virtualAccount: "95280000000000" }, { paidAt: new Date(incoming.paidAt.getTime() + SECOND) }]) {
      const attempt = receive({ ...incoming, ...change });
      await expect(attempt).rejects.toBeInstanceOf(BankTransferConflictError);
      await expect(attempt).rejects.toThrow(incoming.bankTxnId);
    }
    expect(await counts()).toEqual(before);
    expect(await prisma.bankTransfer.findUniqueOrThrow({ where: { bankTxnId: incoming.bankTxnId } })).toMatchObject({ amountNtd: 228, virtualAccount: order.virtualAccount });
  });

  it("ten concurrent deliveries of one transfer make one transfer and one payment", async () => {
    const { order } = await futureOrder();
    const incoming = transfer(order.virtualAccount, new Date());
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => receive({ ...incoming, source: i % 2 ? "FILE" : "CALLBACK" })));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    const state = await orderState(order.id);
    expect(state.bankTransfers).toHaveLength(1);
    expect(state.payments).toHaveLength(1);
    expect(state.outboxMails).toHaveLength(1);
  });
});

describe("parseBankTimestamp", () => {
  it("reads ISO 8601 with an offset and refuses anything ambiguous or impossible", () => {
    expect(parseBankTimestamp("2026-11-25T14:03:00+08:00")?.toISOString()).toBe("2026-11-25T06:03:00.000Z");
    expect(parseBankTimestamp("2026-11-25T06:03:00.5Z")?.toISOString()).toBe("2026-11-25T06:03:00.500Z");
    expect(parseBankTimestamp("2026-11-25T14:03+08:00")?.toISOString()).toBe("2026-11-25T06:03:00.000Z");
    expect(parseBankTimestamp("2026-11-24T22:03:00-08:00")?.toISOString()).toBe("2026-11-25T06:03:00.000Z");
    for (const bad of ["2026-11-25T14:03:00", "2026-11-25 14:03:00+08:00", "2026-02-30T10:00:00+08:00", "2026-11-25T24:00:00+08:00", "2026-11-25T14:03:00+0800", "2026-11-25T14:03:00.1234Z", "", "20261125"]) {
      expect(parseBankTimestamp(bad), bad).toBeNull();
    }
  });
});
