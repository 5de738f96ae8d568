import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { newVirtualAccount } from "~/payments/virtual-account";
import { importBankFile } from "../bank-file.server";
import { bankFileContent, createAtmCallbackPayment, signBankFileForTest, testBankTxnId } from "../../../test/factories/finance";
import { createOrderFixture } from "../../../test/factories/orders";
import { resolveFinanceException } from "../resolve-exception.server";
import { reconcileBankDay } from "./reconcile-bank.server";

const finance = { id: "0195f000-0000-7000-8000-0000000000f2", roles: ["FINANCE" as const] };
const DAY = "2026-11-25";
const at = (time: string) => new Date(`${DAY}T${time}+08:00`);

describe("reconcileBankDay", () => {
  it("waits for the day's file, then matches file transfers, flags a callback-only one and lists unmatched transfers, once", { timeout: 60_000 }, async () => {
    const callbackOnly = await createAtmCallbackPayment({ paidAt: at("09:15:00") });
    // The usual case: the callback came first and the day's file confirms the same transfer.
    const confirmed = await createAtmCallbackPayment({ paidAt: at("09:40:00") });
    // A callback the evening before: another day, not judged here.
    await createAtmCallbackPayment({ paidAt: new Date("2026-11-24T23:59:59+08:00") });

    const early = await reconcileBankDay({ staff: finance, day: DAY, now: at("20:00:00") });
    expect(early).toMatchObject({ fileImported: false, awaitingFile: 2, matched: 0, exceptions: 0 });
    expect(await prisma.financeException.count({ where: { kind: "TRANSFER_NOT_IN_BANK_FILE" } })).toBe(0);

    const { order: fileOrder } = await createOrderFixture({ createdAt: at("08:00:00") });
    const strayTxn = testBankTxnId("STRAY");
    const content = bankFileContent([
      { paidAt: `${DAY}T10:03:00+08:00`, bankCode: fileOrder.atmBankCode, virtualAccount: fileOrder.virtualAccount, amountNtd: 228, bankTxnId: testBankTxnId("FILE") },
      { paidAt: `${DAY}T11:00:00+08:00`, bankCode: "822", virtualAccount: newVirtualAccount("9528"), amountNtd: 500, bankTxnId: strayTxn },
      { paidAt: `${DAY}T09:40:00+08:00`, bankCode: confirmed.order.atmBankCode, virtualAccount: confirmed.order.virtualAccount, amountNtd: 228, bankTxnId: confirmed.bankTxnId },
    ]);
    // Unsigned, the file awaits a second member's approval: its transfers are not applied, so the day has no file yet.
    const unsigned = await importBankFile({ fileName: "bank-20261125.csv", importedBy: finance.id, receivedAt: new Date("2026-11-26T07:00:00+08:00"), content });
    expect(unsigned).toMatchObject({ ok: true, summary: { status: "AWAITING_APPROVAL", appliedPayments: 0 } });
    const waiting = await reconcileBankDay({ staff: finance, day: DAY, now: new Date("2026-11-26T07:30:00+08:00") });
    expect(waiting).toMatchObject({ fileImported: false, importIds: [], awaitingFile: 2, matched: 0, exceptions: 0 });

    const imported = await importBankFile({
      fileName: "bank-20261125.csv", importedBy: finance.id, receivedAt: new Date("2026-11-26T08:00:00+08:00"), content, signature: signBankFileForTest(content),
    });
    expect(imported).toMatchObject({ ok: true, summary: { appliedPayments: 1, duplicates: 1, exceptionsByKind: { UNMATCHED_TRANSFER: 1 } } });

    const run = await reconcileBankDay({ staff: finance, day: DAY, now: new Date("2026-11-26T09:00:00+08:00") });
    expect(run).toMatchObject({
      source: "BANK_FILE", fileImported: true, awaitingFile: 0, matched: 2, matchedNtd: 456, feeNtd: 0,
      exceptions: 2, newExceptions: 1, unmatchedTransfers: 1, exceptionsByKind: { TRANSFER_NOT_IN_BANK_FILE: 1, UNMATCHED_TRANSFER: 1 },
    });
    const transfer = await prisma.bankTransfer.findUniqueOrThrow({ where: { bankTxnId: callbackOnly.bankTxnId } });
    expect(await prisma.financeException.findUniqueOrThrow({ where: { bankTransferId: transfer.id } })).toMatchObject({
      kind: "TRANSFER_NOT_IN_BANK_FILE", method: "ATM", amountNtd: 228, orderId: callbackOnly.order.id, reconciliationRunId: run.runId, paidAt: at("09:15:00"),
    });
    const stray = await prisma.bankTransfer.findUniqueOrThrow({ where: { bankTxnId: strayTxn }, include: { financeException: true } });
    expect(run.exceptionIds).toContain(stray.financeException!.id);
    expect(await prisma.auditEvent.count({ where: { action: "finance.reconciled", subjectId: run.runId, actorId: finance.id } })).toBe(1);

    const again = await reconcileBankDay({ staff: finance, day: DAY, now: new Date("2026-11-26T09:30:00+08:00") });
    expect(again).toMatchObject({ matched: 2, exceptions: 2, newExceptions: 0 });
    expect(await prisma.financeException.count({ where: { kind: "TRANSFER_NOT_IN_BANK_FILE" } })).toBe(1);

    // Resolved, it stays resolved: a later run neither reopens nor duplicates it.
    const flagged = await prisma.financeException.findUniqueOrThrow({ where: { bankTransferId: transfer.id } });
    await resolveFinanceException({ staff: finance, exceptionId: flagged.id, resolution: "NO_ACTION_NEEDED", note: "bank confirmed the transfer by phone", now: new Date("2026-11-26T10:00:00+08:00") });
    await reconcileBankDay({ staff: finance, day: DAY, now: new Date("2026-11-26T10:30:00+08:00") });
    expect(await prisma.financeException.findMany({ where: { kind: "TRANSFER_NOT_IN_BANK_FILE" } })).toMatchObject([{ id: flagged.id, resolution: "NO_ACTION_NEEDED", reconciliationRunId: again.runId }]);
  });
});
