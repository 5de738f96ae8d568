import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { formatOrderNumber } from "~/orders/order-number";
import { receiveBankTransfer } from "~/payments/bank-transfer.server";
import { newVirtualAccount } from "~/payments/virtual-account";
import { testBankTxnId } from "../../test/factories/finance";
import { createOrderFixture } from "../../test/factories/orders";
import { listFinanceExceptions } from "./exception-list.server";
import { resolveFinanceException } from "./resolve-exception.server";

const finance = { id: "0195f000-0000-7000-8000-0000000000f3", roles: ["FINANCE" as const] };
const NOW = new Date("2026-11-26T10:00:00+08:00");

async function unmatchedTransfer() {
  const received = await prisma.$transaction((tx) =>
    receiveBankTransfer(tx, { bankTxnId: testBankTxnId("UNM"), bankCode: "822", virtualAccount: newVirtualAccount("9528"), amountNtd: 228, paidAt: new Date("2026-11-25T10:00:00+08:00"), source: "FILE" }),
  );
  return prisma.financeException.findUniqueOrThrow({ where: { bankTransferId: received.bankTransferId } });
}

describe("resolveFinanceException", () => {
  it("records who resolved it, when, how and why, matched by hand to the order named; a second resolution is refused", async () => {
    const exception = await unmatchedTransfer();
    const { order } = await createOrderFixture();
    const resolved = await resolveFinanceException({
      staff: finance, exceptionId: exception.id, resolution: "MATCHED_BY_HAND", note: "applicant typed one digit wrong", orderNumber: formatOrderNumber(order.orderNumber), now: NOW,
    });
    expect(resolved).toEqual({ id: exception.id, resolution: "MATCHED_BY_HAND", resolvedAt: NOW, resolvedBy: finance.id, orderId: order.id });
    expect(await prisma.financeException.findUniqueOrThrow({ where: { id: exception.id } })).toMatchObject({
      resolvedAt: NOW, resolvedBy: finance.id, resolution: "MATCHED_BY_HAND", resolutionNote: "applicant typed one digit wrong", orderId: order.id,
    });
    expect(await prisma.auditEvent.findFirstOrThrow({ where: { action: "finance.exception_resolved", subjectId: exception.id } })).toMatchObject({
      actorType: "STAFF", actorId: finance.id, reason: "applicant typed one digit wrong",
      details: { resolution: "MATCHED_BY_HAND", kind: "UNMATCHED_TRANSFER", orderId: order.id, previousOrderId: null, paymentRefunded: false },
    });
    await expect(resolveFinanceException({ staff: finance, exceptionId: exception.id, resolution: "REFUND_ISSUED", note: "refunded as well?" }))
      .rejects.toMatchObject({ code: "ALREADY_RESOLVED", status: 409 });

    const resolvedPage = await listFinanceExceptions({ status: "resolved" });
    expect(resolvedPage.items.map((i) => [i.id, i.resolution])).toContainEqual([exception.id, "MATCHED_BY_HAND"]);
    expect((await listFinanceExceptions({ status: "open" })).items.map((i) => i.id)).not.toContain(exception.id);
  });

  it("a refund issued for a late payment marks that payment REFUNDED; an applied payment is never un-paid", async () => {
    const { order } = await createOrderFixture({ status: "DELETED_UNPAID" });
    const late = await prisma.$transaction((tx) =>
      receiveBankTransfer(tx, { bankTxnId: testBankTxnId("LATE"), bankCode: order.atmBankCode, virtualAccount: order.virtualAccount, amountNtd: 228, paidAt: new Date("2026-11-25T10:00:00+08:00"), source: "FILE" }),
    );
    const exception = await prisma.financeException.findUniqueOrThrow({ where: { bankTransferId: late.bankTransferId } });
    expect(exception).toMatchObject({ kind: "LATE_PAYMENT" });
    expect(exception.paymentId).not.toBeNull();
    await resolveFinanceException({ staff: finance, exceptionId: exception.id, resolution: "REFUND_ISSUED", note: "refunded by bank transfer, ref R-2026-1125", now: NOW });
    expect(await prisma.payment.findUniqueOrThrow({ where: { id: exception.paymentId! } })).toMatchObject({ status: "REFUNDED", outcome: "LATE_PAYMENT" });

    const stray = await unmatchedTransfer();
    await resolveFinanceException({ staff: finance, exceptionId: stray.id, resolution: "REFUND_ISSUED", note: "returned to the payer's bank", now: NOW });
    expect(await prisma.auditEvent.findFirstOrThrow({ where: { action: "finance.exception_resolved", subjectId: stray.id } })).toMatchObject({ details: { paymentRefunded: false } });
  });

  it("refuses other roles, a missing note, and matching by hand without a real order", async () => {
    const exception = await unmatchedTransfer();
    const base = { exceptionId: exception.id, note: "refund sent, ref R-1" };
    await expect(resolveFinanceException({ ...base, staff: { id: finance.id, roles: ["SUPPORT"] }, resolution: "REFUND_ISSUED" })).rejects.toMatchObject({ status: 403 });
    await expect(resolveFinanceException({ ...base, staff: finance, resolution: "REFUND_ISSUED", note: "  " })).rejects.toMatchObject({ code: "NOTE_REQUIRED" });
    await expect(resolveFinanceException({ ...base, staff: finance, resolution: "MATCHED_BY_HAND" })).rejects.toMatchObject({ code: "ORDER_REQUIRED" });
    await expect(resolveFinanceException({ ...base, staff: finance, resolution: "MATCHED_BY_HAND", orderNumber: "1151123-00000-0" })).rejects.toMatchObject({ code: "ORDER_NOT_FOUND" });
    await expect(resolveFinanceException({ ...base, staff: finance, resolution: "REFUND_ISSUED", exceptionId: "0195f000-0000-7000-8000-000000000000" })).rejects.toMatchObject({ status: 404 });
    expect((await prisma.financeException.findUniqueOrThrow({ where: { id: exception.id } })).resolvedAt).toBeNull();
    await resolveFinanceException({ ...base, staff: finance, resolution: "REFUND_ISSUED" });
    expect(await prisma.financeException.findUniqueOrThrow({ where: { id: exception.id } })).toMatchObject({ resolution: "REFUND_ISSUED", resolvedBy: finance.id, orderId: null });
  });
});
