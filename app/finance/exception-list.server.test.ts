import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { deleteUnpaidOrder } from "~/orders/deletion.server";
import { receiveBankTransfer } from "~/payments/bank-transfer.server";
import { importBankFileForDayOf } from "../../test/factories/bank-days";
import { createOrderFixture, testApplication } from "../../test/factories/orders";
import { listFinanceExceptions } from "./exception-list.server";

let sequence = 0;
const receive = (virtualAccount: string, paidAt: Date, amountNtd = 228) => {
  const bankTxnId = `LIST-${process.pid}-${++sequence}`;
  return prisma.$transaction((tx) =>
    receiveBankTransfer(tx, { bankTxnId, bankCode: "822", virtualAccount, amountNtd, paidAt, source: "FILE" }),
  ).then((result) => ({ ...result, bankTxnId }));
};

describe("listFinanceExceptions", () => {
  it("shows a late transfer to a deleted order as LATE_PAYMENT with the tombstone's order number and no personal data", async () => {
    const { order, holder } = await createOrderFixture({ paymentDeadline: new Date(Date.now() - 3_600_000) });
    await importBankFileForDayOf(order.paymentDeadline);
    expect(await deleteUnpaidOrder({ orderId: order.id })).toBe("deleted");
    const paidAt = new Date(Date.now() - 60_000);
    const received = await receive(order.virtualAccount, paidAt);
    expect(received).toMatchObject({ outcome: "LATE_PAYMENT", orderId: order.id });

    const { items } = await listFinanceExceptions({ unresolvedOnly: true });
    const item = items.find((i) => i.bankTxnId === received.bankTxnId);
    expect(item).toMatchObject({
      kind: "LATE_PAYMENT",
      method: "ATM",
      amountNtd: 228,
      paidAt,
      orderNumber: order.orderNumber,
      orderStatus: "DELETED_UNPAID",
      bankCode: "822",
      virtualAccount: order.virtualAccount,
      resolvedAt: null,
    });
    expect(item!.detail).toMatch(/deleted/);
    const application = testApplication();
    const text = JSON.stringify(items);
    for (const personal of [application.email, application.mobile, application.address, holder.name, holder.nationalIdHash]) {
      expect(text).not.toContain(personal);
    }
  });

  it("filters by kind and open/resolved, newest first, page by page", async () => {
    const unmatched = [];
    for (let i = 0; i < 3; i++) unmatched.push(await receive(`952800000000${10 + i}`, new Date()));
    const { order } = await createOrderFixture();
    await receive(order.virtualAccount, new Date(), 1);

    const first = await listFinanceExceptions({ kind: "UNMATCHED_TRANSFER", limit: 2 });
    expect(first.items.map((i) => i.bankTxnId)).toEqual([unmatched[2]!.bankTxnId, unmatched[1]!.bankTxnId]);
    expect(first.items.every((i) => i.orderNumber === null && i.kind === "UNMATCHED_TRANSFER")).toBe(true);
    const second = await listFinanceExceptions({ kind: "UNMATCHED_TRANSFER", limit: 2, cursor: first.nextCursor! });
    expect(second.items.map((i) => i.bankTxnId)).toEqual([unmatched[0]!.bankTxnId]);
    expect(second.nextCursor).toBeNull();
    expect((await listFinanceExceptions({ kind: "WRONG_AMOUNT" })).items).toMatchObject([{ amountNtd: 1, orderNumber: order.orderNumber }]);

    await prisma.financeException.updateMany({ where: { bankTransferId: unmatched[0]!.bankTransferId }, data: { resolvedAt: new Date(), resolvedBy: "test", resolution: "REFUNDED" } });
    const open = await listFinanceExceptions({ kind: "UNMATCHED_TRANSFER" });
    expect(open.items.map((i) => i.bankTxnId)).not.toContain(unmatched[0]!.bankTxnId);
    const all = await listFinanceExceptions({ kind: "UNMATCHED_TRANSFER", unresolvedOnly: false });
    expect(all.items.map((i) => i.bankTxnId)).toContain(unmatched[0]!.bankTxnId);
  });
});
