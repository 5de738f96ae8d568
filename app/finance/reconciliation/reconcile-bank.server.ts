// ATM transfers against the bank's daily files for one Taipei day. Each ATM payment paid that day is matched when
// its transfer came in an imported file; one known only from the bank's callback is TRANSFER_NOT_IN_BANK_FILE —
// but only once a file covering the day has been imported (the bank's file can lag a day; until then the day is
// reported as waiting for its file, not flagged wholesale). Transfers the import could not match to any order are
// already on the list as UNMATCHED_TRANSFER; the run counts and lists the day's.
import { prisma } from "~/lib/db.server";
import { countKinds, recordRunException, type FoundExceptionResult } from "./run-exceptions.server";
import { assertFinanceStaff, finishRun, lockReconciliationDay, reconciliationDay, RUN_TRANSACTION, type FinanceStaff, type ReconciliationSummary } from "./runs.server";

export interface BankReconciliation extends ReconciliationSummary {
  /** A bank file holding transfers dated this day has been imported. */
  fileImported: boolean;
  importIds: string[];
  /** Callback-only payments not judged yet because no file covers the day. */
  awaitingFile: number;
  /** The day's transfers no order could be matched to (flagged by the import or callback). */
  unmatchedTransfers: number;
}

export async function reconcileBankDay({ staff, day, now = new Date() }: { staff: FinanceStaff; day: string; now?: Date }): Promise<BankReconciliation> {
  assertFinanceStaff(staff);
  const window = reconciliationDay(day, now);
  const paidThatDay = { gte: window.start, lt: window.end };

  return prisma.$transaction(async (tx) => {
    await lockReconciliationDay(tx, "BANK_FILE", day);
    const run = await tx.reconciliationRun.create({ data: { source: "BANK_FILE", day: window.date, startedBy: staff.id, startedAt: now }, select: { id: true } });

    // A file covers the day when it brought transfers dated that day (bank_transfer is indexed by paid_at).
    const imports = await tx.bankTransfer.findMany({
      where: { paidAt: paidThatDay, importId: { not: null } },
      distinct: ["importId"],
      select: { importId: true },
    });
    const importIds = imports.map((i) => i.importId!).sort();
    const fileImported = importIds.length > 0;

    const payments = await tx.payment.findMany({
      where: { method: "ATM", status: "SUCCEEDED", paidAt: paidThatDay },
      orderBy: { paidAt: "asc" },
      select: { id: true, orderId: true, amountNtd: true, paidAt: true, providerReference: true, bankTransfer: { select: { id: true, bankTxnId: true, importId: true, source: true } } },
    });
    const found: FoundExceptionResult[] = [];
    let matched = 0;
    let matchedNtd = 0;
    let awaitingFile = 0;
    for (const payment of payments) {
      const transfer = payment.bankTransfer;
      if (transfer?.importId) {
        matched++;
        matchedNtd += payment.amountNtd;
        continue;
      }
      if (!fileImported) {
        awaitingFile++;
        continue;
      }
      const reference = transfer?.bankTxnId ?? payment.providerReference ?? payment.id;
      found.push(await recordRunException(tx, {
        runId: run.id, staffId: staff.id, detectedAt: now,
        found: {
          kind: "TRANSFER_NOT_IN_BANK_FILE", method: "ATM", amountNtd: payment.amountNtd, paidAt: payment.paidAt!, orderId: payment.orderId,
          about: transfer ? { bankTransferId: transfer.id } : { paymentId: payment.id },
          detail: `ATM transfer ${reference} of NT$${payment.amountNtd} came only by the bank's callback; it is in no imported bank file for ${day}. Ask the bank before refunding or re-crediting`,
        },
      }));
    }

    const unmatched = await tx.bankTransfer.findMany({
      where: { paidAt: paidThatDay, financeException: { kind: "UNMATCHED_TRANSFER" } },
      select: { financeException: { select: { id: true } } },
    });
    // Listed with the run: the import already opened them, the run only points to the newest check of their day.
    const unmatchedIds = unmatched.map((t) => t.financeException!.id);
    await tx.financeException.updateMany({ where: { id: { in: unmatchedIds }, resolvedAt: null }, data: { reconciliationRunId: run.id } });
    const all = [...found, ...unmatchedIds.map((id) => ({ id, kind: "UNMATCHED_TRANSFER" as const, created: false }))];

    const newExceptions = found.filter((f) => f.created).length;
    const summary: BankReconciliation = {
      runId: run.id, source: "BANK_FILE", day,
      matched, matchedNtd, feeNtd: 0, netNtd: matchedNtd,
      exceptions: all.length, newExceptions, exceptionsByKind: countKinds(all), exceptionIds: all.map((f) => f.id),
      fileImported, importIds, awaitingFile, unmatchedTransfers: unmatchedIds.length,
    };
    await finishRun(tx, {
      runId: run.id, staffId: staff.id, source: "BANK_FILE", day, now,
      counts: { matched, exceptions: summary.exceptions, newExceptions, matchedNtd, feeNtd: 0, awaitingFile, unmatchedTransfers: unmatchedIds.length, filesImported: importIds.length },
    });
    return summary;
  }, RUN_TRANSACTION);
}
