// What the back office shows of unsigned imports: the list awaiting a second member's approval, with lines and
// totals, and one import's pending transfers for the member deciding it (bank-file-approval.server.ts decides).
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { importedByMember, type DecidingStaff } from "./bank-file-approval.server";
import { bankImportStatus, usernamesOf, type BankImportStatus } from "./bank-file-upload.server";
import { assertFinanceStaff, type FinanceStaff } from "./reconciliation/runs.server";

/** A review page lists at most this many lines (the count and total are exact). */
export const REVIEW_LINES_SHOWN = 500;

export interface AwaitingImport {
  id: string;
  fileName: string;
  importedAt: Date;
  importedBy: string;
  lineCount: number;
  totalNtd: number;
}

/** Imports awaiting approval, oldest first (the one waiting longest holds the day's payments back). */
export async function listBankImportsAwaitingApproval({ staff }: { staff: FinanceStaff }): Promise<AwaitingImport[]> {
  assertFinanceStaff(staff);
  const rows = await prisma.bankImport.findMany({
    where: { appliedAt: null, rejectedAt: null },
    orderBy: { id: "asc" },
    take: 100,
    select: { id: true, fileName: true, importedAt: true, importedBy: true, lineCount: true },
  });
  if (rows.length === 0) return [];
  const totals = await prisma.pendingBankTransfer.groupBy({ by: ["importId"], where: { importId: { in: rows.map((r) => r.id) } }, _sum: { amountNtd: true } });
  const totalOf = new Map(totals.map((t) => [t.importId, t._sum.amountNtd ?? 0]));
  const usernames = await usernamesOf(rows.map((r) => r.importedBy));
  return rows.map((r) => ({ ...r, importedBy: usernames.get(r.importedBy) ?? r.importedBy, totalNtd: totalOf.get(r.id) ?? 0 }));
}

export interface BankImportReview {
  id: string;
  fileName: string;
  fileSha256: string;
  importedAt: Date;
  importedBy: string;
  status: BankImportStatus;
  lineCount: number;
  /** Of the pending lines (0 once decided: they are applied or discarded). */
  totalNtd: number;
  lines: Array<{ line: number; paidAt: Date; bankCode: string; virtualAccount: string; amountNtd: number; bankTxnId: string; alreadyReceived: boolean }>;
  /** False for the importer: four eyes. */
  mayApprove: boolean;
  decidedBy: string | null;
  decisionReason: string | null;
}

const NOT_FOUND = new AppError("BANK_IMPORT_NOT_FOUND", { "zh-TW": "查無此匯入紀錄。", en: "No such bank import." }, 404);

export async function loadBankImportReview({ staff, importId }: { staff: DecidingStaff; importId: string }): Promise<BankImportReview> {
  assertFinanceStaff(staff);
  const row = await prisma.bankImport.findUnique({ where: { id: importId } });
  if (!row) throw NOT_FOUND;
  const [pending, sum, usernames] = await Promise.all([
    prisma.pendingBankTransfer.findMany({ where: { importId }, orderBy: { line: "asc" }, take: REVIEW_LINES_SHOWN }),
    prisma.pendingBankTransfer.aggregate({ where: { importId }, _sum: { amountNtd: true } }),
    usernamesOf([row.importedBy, ...(row.decidedBy ? [row.decidedBy] : [])]),
  ]);
  // A transfer the bank's callback (or another file) already brought will count as a duplicate, never pay twice.
  const received = new Set((await prisma.bankTransfer.findMany({
    where: { bankTxnId: { in: pending.map((p) => p.bankTxnId) } }, select: { bankTxnId: true },
  })).map((t) => t.bankTxnId));
  return {
    id: row.id, fileName: row.fileName, fileSha256: row.fileSha256, importedAt: row.importedAt,
    importedBy: usernames.get(row.importedBy) ?? row.importedBy, status: bankImportStatus(row), lineCount: row.lineCount,
    totalNtd: sum._sum.amountNtd ?? 0,
    lines: pending.map(({ importId: _id, ...line }) => ({ ...line, alreadyReceived: received.has(line.bankTxnId) })),
    mayApprove: !importedByMember(row.importedBy, staff),
    decidedBy: row.decidedBy ? (usernames.get(row.decidedBy) ?? row.decidedBy) : null,
    decisionReason: row.decisionReason,
  };
}
