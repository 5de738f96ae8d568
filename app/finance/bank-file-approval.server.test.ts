// Four eyes on bank files: a signed file pays at import, a tampered one is refused, an unsigned one pays nothing
// until a second FINANCE member approves it (the importer and an ADMIN without FINANCE cannot), and a rejected
// one never pays. Real PostgreSQL, real settlement; the bank's key is the test key test/setup-file.ts configures.
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { StaffRole } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { loadOrderStatus } from "~/orders/order-status.server";
import { receiveBankTransfer } from "~/payments/bank-transfer.server";
import { createStaffAccount } from "~/staff/staff-accounts.server";
import { bankFileContent, signBankFileForTest, testBankTxnId } from "../../test/factories/finance";
import { createOrderFixture } from "../../test/factories/orders";
import { approveBankImport, rejectBankImport } from "./bank-file-approval.server";
import { importBankFile } from "./bank-file.server";

const taipeiIso = (date: Date) => new Date(date.getTime() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, "+08:00");
// Whole seconds: the file carries none, and the callback must report the very same time to be the same transfer.
const wholeSecond = (ms: number) => new Date(Math.floor(ms / 1000) * 1000);

async function staff(roles: StaffRole[]) {
  const username = `bank.${randomBytes(4).toString("hex")}`;
  const { id } = await createStaffAccount({ username, displayName: "四眼測試", password: "long enough password", roles });
  return { id, username, roles };
}

async function awaitingOrder() {
  const { order, holder } = await createOrderFixture({ createdAt: new Date(Date.now() - 3600_000) });
  const line = { paidAt: taipeiIso(wholeSecond(Date.now() - 600_000)), bankCode: order.atmBankCode, virtualAccount: order.virtualAccount, amountNtd: 228, bankTxnId: testBankTxnId("4E") };
  return { order, holder, line };
}

const orderPage = (order: { orderNumber: string }, holder: { id: string }) =>
  loadOrderStatus({ holderId: holder.id, orderNumber: order.orderNumber, now: new Date("2026-12-01T00:00:00Z") });

async function moneyOf(orderId: string) {
  return {
    status: (await prisma.reissueOrder.findUniqueOrThrow({ where: { id: orderId } })).status,
    payments: await prisma.payment.count({ where: { orderId } }),
    mails: await prisma.mailOutbox.count({ where: { orderId } }),
  };
}

async function expectAppError(promise: Promise<unknown>, code: string) {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
}

describe("a bank file with the bank's signature", () => {
  it("pays at import and is recorded as signed and applied", async () => {
    const { order, line } = await awaitingOrder();
    const content = bankFileContent([line]);
    const now = new Date();
    const result = await importBankFile({ fileName: "signed.csv", content, signature: signBankFileForTest(content), importedBy: "test:finance", receivedAt: now });
    expect(result).toMatchObject({ ok: true, summary: { status: "APPLIED", signatureVerified: true, appliedPayments: 1, totalNtd: 228 } });
    expect(await moneyOf(order.id)).toEqual({ status: "PAID", payments: 1, mails: 1 });
    const row = await prisma.bankImport.findUniqueOrThrow({ where: { id: result.ok ? result.summary.importId : "" } });
    expect(row).toMatchObject({ signatureVerified: true, appliedAt: now, rejectedAt: null });
  });

  it("is refused outright when the file was changed after signing: nothing written, nothing parked", async () => {
    const { order, line } = await awaitingOrder();
    const content = bankFileContent([line]);
    const signature = signBankFileForTest(content);
    const tampered = bankFileContent([{ ...line, virtualAccount: "95280000000000" }]);
    const before = { imports: await prisma.bankImport.count(), pending: await prisma.pendingBankTransfer.count(), transfers: await prisma.bankTransfer.count() };
    const result = await importBankFile({ fileName: "tampered.csv", content: tampered, signature, importedBy: "test:finance" });
    expect(result).toMatchObject({ ok: false, problems: [{ line: 0 }] });
    expect(result.ok ? "" : result.problems[0]!.reason.en).toMatch(/signature does not match/);
    // A signature that is not one at all is refused the same way.
    const garbage = await importBankFile({ fileName: "x.csv", content, signature: new TextEncoder().encode("not a signature\n"), importedBy: "test:finance" });
    expect(garbage.ok ? "" : garbage.problems[0]!.reason.en).toMatch(/not an Ed25519 signature/);
    expect({ imports: await prisma.bankImport.count(), pending: await prisma.pendingBankTransfer.count(), transfers: await prisma.bankTransfer.count() }).toEqual(before);
    expect(await moneyOf(order.id)).toEqual({ status: "AWAITING_PAYMENT", payments: 0, mails: 0 });
  });
});

describe("an unsigned bank file", () => {
  it("pays nothing at import: its transfers are pending and the order page does not change", async () => {
    const { order, holder, line } = await awaitingOrder();
    const pageBefore = await orderPage(order, holder);
    const result = await importBankFile({ fileName: "unsigned.csv", content: bankFileContent([line]), importedBy: "test:finance" });
    expect(result).toMatchObject({ ok: true, summary: { status: "AWAITING_APPROVAL", signatureVerified: false, lines: 1, totalNtd: 228, newTransfers: 0, appliedPayments: 0 } });
    if (!result.ok) throw new Error("unreachable");
    expect(await prisma.bankImport.findUniqueOrThrow({ where: { id: result.summary.importId } })).toMatchObject({ appliedAt: null, rejectedAt: null, signatureVerified: false });
    expect(await prisma.pendingBankTransfer.findMany({ where: { importId: result.summary.importId } })).toMatchObject([{ bankTxnId: line.bankTxnId, amountNtd: 228, line: 2 }]);
    expect(await prisma.bankTransfer.count({ where: { bankTxnId: line.bankTxnId } })).toBe(0);
    expect(await moneyOf(order.id)).toEqual({ status: "AWAITING_PAYMENT", payments: 0, mails: 0 });
    expect(await orderPage(order, holder)).toEqual(pageBefore);
    expect(await prisma.auditEvent.count({ where: { action: "bank.file_awaiting_approval", subjectId: result.summary.importId } })).toBe(1);
  });

  it("cannot be approved by its importer, nor by an ADMIN without FINANCE", async () => {
    const importer = await staff(["FINANCE"]);
    const admin = await staff(["ADMIN"]);
    const { order, line } = await awaitingOrder();
    const result = await importBankFile({ fileName: "u.csv", content: bankFileContent([line]), importedBy: importer.id });
    if (!result.ok) throw new Error("unreachable");
    await expectAppError(approveBankImport({ staff: importer, importId: result.summary.importId, reason: "looks right" }), "BANK_IMPORT_SAME_MEMBER");
    await expectAppError(approveBankImport({ staff: admin, importId: result.summary.importId, reason: "looks right" }), "FORBIDDEN");
    // Imported from the command line under the member's own name (FINANCE_OPERATOR, or cli:<user>) is the same person.
    const viaCli = await importBankFile({ fileName: "u.csv", content: bankFileContent([{ ...line, bankTxnId: testBankTxnId("4E") }]), importedBy: `cli:${importer.username}` });
    if (!viaCli.ok) throw new Error("unreachable");
    await expectAppError(approveBankImport({ staff: importer, importId: viaCli.summary.importId, reason: "looks right" }), "BANK_IMPORT_SAME_MEMBER");
    expect(await moneyOf(order.id)).toEqual({ status: "AWAITING_PAYMENT", payments: 0, mails: 0 });
    expect(await prisma.bankImport.findUniqueOrThrow({ where: { id: result.summary.importId } })).toMatchObject({ appliedAt: null });
  });

  it("pays exactly once when a second FINANCE member approves it, even if the bank's callback brought the transfer meanwhile", async () => {
    const importer = await staff(["FINANCE"]);
    const second = await staff(["FINANCE"]);
    const { order, line } = await awaitingOrder();
    const { order: other, line: otherLine } = await awaitingOrder();
    const content = bankFileContent([line, otherLine]);
    const result = await importBankFile({ fileName: "u.csv", content, importedBy: importer.id });
    if (!result.ok) throw new Error("unreachable");
    // The callback for one of its transfers pays that order now; approval must then count it as a duplicate.
    await prisma.$transaction((tx) => receiveBankTransfer(tx, { ...line, paidAt: new Date(line.paidAt), source: "CALLBACK" }));
    // The same file imported again unsigned: two pending copies of both transfers.
    const copy = await importBankFile({ fileName: "u-again.csv", content, importedBy: importer.id });
    if (!copy.ok) throw new Error("unreachable");

    await expectAppError(approveBankImport({ staff: second, importId: result.summary.importId, reason: " " }), "BANK_DECISION_REASON_REQUIRED");
    const now = new Date();
    const approved = await approveBankImport({ staff: second, importId: result.summary.importId, reason: "matches the bank's statement", now });
    expect(approved).toMatchObject({ ok: true, counts: { newTransfers: 1, appliedPayments: 1, duplicates: 1, exceptions: 0 } });
    const again = await approveBankImport({ staff: second, importId: copy.summary.importId, reason: "second copy" });
    expect(again).toMatchObject({ ok: true, counts: { newTransfers: 0, appliedPayments: 0, duplicates: 2 } });
    await expectAppError(approveBankImport({ staff: second, importId: result.summary.importId, reason: "twice" }), "BANK_IMPORT_DECIDED");

    for (const id of [order.id, other.id]) expect(await moneyOf(id)).toEqual({ status: "PAID", payments: 1, mails: 1 });
    expect(await prisma.bankImport.findUniqueOrThrow({ where: { id: result.summary.importId } })).toMatchObject({
      appliedAt: now, decidedBy: second.id, decisionReason: "matches the bank's statement", newTransfers: 1, duplicates: 1,
    });
    expect(await prisma.pendingBankTransfer.count({ where: { importId: { in: [result.summary.importId, copy.summary.importId] } } })).toBe(0);
    expect(await prisma.bankTransfer.findUniqueOrThrow({ where: { bankTxnId: otherLine.bankTxnId } })).toMatchObject({ importId: result.summary.importId, source: "FILE" });
    expect(await prisma.auditEvent.findFirst({ where: { action: "bank.file_approved", subjectId: result.summary.importId } })).toMatchObject({ actorId: second.id, reason: "matches the bank's statement" });
  });

  it("pays nothing when rejected, and a rejected import can no longer be approved", async () => {
    const importer = await staff(["FINANCE"]);
    const second = await staff(["FINANCE"]);
    const { order, line } = await awaitingOrder();
    const result = await importBankFile({ fileName: "u.csv", content: bankFileContent([line]), importedBy: importer.id });
    if (!result.ok) throw new Error("unreachable");
    await expectAppError(rejectBankImport({ staff: second, importId: result.summary.importId, reason: "" }), "BANK_DECISION_REASON_REQUIRED");
    const now = new Date();
    expect(await rejectBankImport({ staff: second, importId: result.summary.importId, reason: "the bank says this file is not theirs", now })).toEqual({ importId: result.summary.importId, discarded: 1 });
    await expectAppError(approveBankImport({ staff: second, importId: result.summary.importId, reason: "changed my mind" }), "BANK_IMPORT_DECIDED");
    expect(await moneyOf(order.id)).toEqual({ status: "AWAITING_PAYMENT", payments: 0, mails: 0 });
    expect(await prisma.bankImport.findUniqueOrThrow({ where: { id: result.summary.importId } })).toMatchObject({ rejectedAt: now, appliedAt: null, decidedBy: second.id });
    expect(await prisma.pendingBankTransfer.count({ where: { importId: result.summary.importId } })).toBe(0);
    expect(await prisma.bankTransfer.count({ where: { bankTxnId: line.bankTxnId } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "bank.file_rejected", subjectId: result.summary.importId, actorId: second.id } })).toBe(1);
  });
});
