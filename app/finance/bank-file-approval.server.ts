// Four eyes on an unsigned bank file: its lines wait as pending transfers (paying nothing) until a second member
// of FINANCE — never the one who imported it, never an ADMIN without FINANCE — approves it, which applies it
// exactly as a signed file is applied (applyBankFileLines: all-or-nothing, settlePayment), or rejects it, which
// discards the lines. Both need a reason and are audited. Why: docs/decisions/010-bank-file-four-eyes.md.
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { assertFinanceStaff, type FinanceStaff } from "./reconciliation/runs.server";
import {
  applyBankFileLines, RejectedFile, transactionTimeoutMs,
  type AppliedCounts, type BankFileLine, type BankFileProblem,
} from "./bank-file.server";

export interface DecidingStaff extends FinanceStaff {
  username: string;
}

export const BANK_DECISION_REASON_MAX = 500;

const NOT_FOUND = new AppError("BANK_IMPORT_NOT_FOUND", { "zh-TW": "查無此匯入紀錄。", en: "No such bank import." }, 404);
const ALREADY_DECIDED = new AppError("BANK_IMPORT_DECIDED", {
  "zh-TW": "這個檔案已核准或已駁回，不能再變更。",
  en: "This import has already been approved or rejected; it cannot be changed.",
}, 409);
const SAME_MEMBER = new AppError("BANK_IMPORT_SAME_MEMBER", {
  "zh-TW": "匯入者不能核准自己匯入的檔案，請由另一位財務人員核准。",
  en: "The member who imported a file cannot approve it; another member of finance must.",
}, 403);
const REASON_REQUIRED = new AppError("BANK_DECISION_REASON_REQUIRED", {
  "zh-TW": `請填寫理由（最多 ${BANK_DECISION_REASON_MAX} 字）。`,
  en: `Give a reason (at most ${BANK_DECISION_REASON_MAX} characters).`,
}, 400);

function checkedReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length === 0 || trimmed.length > BANK_DECISION_REASON_MAX) throw REASON_REQUIRED;
  return trimmed;
}

/**
 * The importer in any of the forms an import records: the member's id (upload page), or the name the CLI was given
 * (FINANCE_OPERATOR) — their username — or `cli:<os user>` with the same name.
 */
export function importedByMember(importedBy: string, staff: DecidingStaff): boolean {
  return [staff.id, staff.username, `cli:${staff.username}`].some((name) => name.toLowerCase() === importedBy.toLowerCase());
}

export type BankImportApproval =
  | { ok: true; importId: string; counts: AppliedCounts }
  | { ok: false; importId: string; problems: BankFileProblem[] };

type Tx = Parameters<Parameters<typeof prisma.$transaction>[0]>[0];

/** The import row locked for a decision: two members deciding at once are serialised, the second finds it decided. */
async function lockAwaitingImport(tx: Tx, importId: string) {
  const [row] = await tx.$queryRaw<Array<{ imported_by: string; line_count: number; applied_at: Date | null; rejected_at: Date | null }>>`
    SELECT imported_by, line_count, applied_at, rejected_at FROM bank_import WHERE id = ${importId}::uuid FOR UPDATE`;
  if (!row) throw NOT_FOUND;
  if (row.applied_at || row.rejected_at) throw ALREADY_DECIDED;
  return row;
}

/**
 * A second FINANCE member approves an unsigned import: its pending transfers are applied in one transaction (the
 * same settlement as a signed file; a transfer the bank's callback or another file already brought is a
 * duplicate, never a second payment). A bank_txn_id received meanwhile with other facts refuses the approval
 * ({ ok: false }) and the import stays pending.
 */
export async function approveBankImport({ staff, importId, reason, now = new Date(), onProgress }: {
  staff: DecidingStaff;
  importId: string;
  reason: string;
  now?: Date;
  onProgress?: (done: number, total: number) => void;
}): Promise<BankImportApproval> {
  assertFinanceStaff(staff);
  const why = checkedReason(reason);
  const count = await prisma.pendingBankTransfer.count({ where: { importId } });
  try {
    return await prisma.$transaction(async (tx) => {
      const row = await lockAwaitingImport(tx, importId);
      if (importedByMember(row.imported_by, staff)) throw SAME_MEMBER;
      const pending = await tx.pendingBankTransfer.findMany({ where: { importId } });
      const lines: BankFileLine[] = pending.map((p) => ({ line: p.line, paidAt: p.paidAt, bankCode: p.bankCode, virtualAccount: p.virtualAccount, amountNtd: p.amountNtd, bankTxnId: p.bankTxnId }));
      const counts = await applyBankFileLines(tx, { importId, lines, receivedAt: now, onProgress });
      await tx.pendingBankTransfer.deleteMany({ where: { importId } });
      await tx.bankImport.update({ where: { id: importId }, data: { decidedBy: staff.id, decisionReason: why } });
      const { exceptionsByKind: _byKind, ...applied } = counts;
      await recordAuditEvent({
        actor: { type: "STAFF", id: staff.id },
        action: "bank.file_approved",
        subject: { type: "bank_import", id: importId },
        reason: why,
        details: { lines: lines.length, ...applied },
      }, tx);
      return { ok: true as const, importId, counts };
    }, { timeout: transactionTimeoutMs(count), maxWait: 30_000 });
  } catch (error) {
    if (error instanceof RejectedFile) return { ok: false, importId, problems: error.problems };
    throw error;
  }
}

/** Any FINANCE member (the importer too: withdrawing pays nothing) rejects an import awaiting approval; its lines are discarded. */
export async function rejectBankImport({ staff, importId, reason, now = new Date() }: {
  staff: DecidingStaff;
  importId: string;
  reason: string;
  now?: Date;
}): Promise<{ importId: string; discarded: number }> {
  assertFinanceStaff(staff);
  const why = checkedReason(reason);
  return prisma.$transaction(async (tx) => {
    await lockAwaitingImport(tx, importId);
    const { count } = await tx.pendingBankTransfer.deleteMany({ where: { importId } });
    await tx.bankImport.update({ where: { id: importId }, data: { rejectedAt: now, decidedBy: staff.id, decisionReason: why } });
    await recordAuditEvent({
      actor: { type: "STAFF", id: staff.id },
      action: "bank.file_rejected",
      subject: { type: "bank_import", id: importId },
      reason: why,
      details: { discarded: count },
    }, tx);
    return { importId, discarded: count };
  });
}
