// Finance's daily bank file (`npm run finance:import-bank -- FILE.csv [--signature FILE.csv.sig]`), format in
// docs/bank-interfaces.md. A file with the bank's valid signature is applied at once; an unsigned one is recorded
// as pending transfers that pay nothing until a second FINANCE member approves it (bank-file-approval.server.ts);
// a bad signature refuses the file. Phase 1 checks every line and names every malformed one; phase 2 applies all
// lines in one transaction, so a file is applied whole or not at all. Re-importing a file (or a transfer the
// callback already brought) is a duplicate, never a second payment.
import { createHash } from "node:crypto";
import type { FinanceExceptionKind, Prisma } from "~/generated/prisma/client";
import type { Bilingual } from "~/lib/errors.server";
import { prisma } from "~/lib/db.server";
import { recordAuditEvent } from "~/audit/audit.server";
import { BankTransferConflictError, parseBankTimestamp, receiveBankTransfer } from "~/payments/bank-transfer.server";
import { BankFileSignatureError, verifyBankFileSignature } from "./bank-file-signature.server";

export const BANK_FILE_HEADER = "paid_at,bank_code,virtual_account,amount,bank_txn_id";
const MAX_AMOUNT_NTD = 2_147_483_647; // the column is a 32-bit integer

export interface BankFileLine {
  /** Line number in the file, the header being line 1. */
  line: number;
  paidAt: Date;
  bankCode: string;
  virtualAccount: string;
  amountNtd: number;
  bankTxnId: string;
}

export interface BankFileProblem {
  /** Line number in the file (header = 1); 0 for the file as a whole. */
  line: number;
  reason: Bilingual;
}

export interface ParsedBankFile {
  lines: BankFileLine[];
  problems: BankFileProblem[];
}

const problem = (line: number, en: string, zh: string): BankFileProblem => ({ line, reason: { "zh-TW": zh, en } });

function parseLine(text: string, line: number): { value?: BankFileLine; problems: BankFileProblem[] } {
  if (text.trim() === "") return { problems: [problem(line, "empty line", "空白行")] };
  const fields = text.split(",");
  if (fields.length !== 5) {
    return { problems: [problem(line, `expected 5 fields, found ${fields.length}`, `應有 5 個欄位，實際 ${fields.length} 個`)] };
  }
  const [paidAtText, bankCode, virtualAccount, amountText, bankTxnId] = fields as [string, string, string, string, string];
  const problems: BankFileProblem[] = [];
  const paidAt = parseBankTimestamp(paidAtText);
  if (!paidAt) {
    problems.push(problem(line,
      `paid_at "${paidAtText}" is not ISO 8601 with a UTC offset (e.g. 2026-11-25T14:03:00+08:00)`,
      `paid_at「${paidAtText}」不是含時區的 ISO 8601 時間（例如 2026-11-25T14:03:00+08:00）`));
  }
  if (!/^\d{3}$/.test(bankCode)) problems.push(problem(line, `bank_code "${bankCode}" is not 3 digits`, `bank_code「${bankCode}」不是 3 位數字`));
  // A 14-digit account with a wrong check digit is well-formed but nobody's: an unmatched transfer, not a format error.
  if (!/^\d{14}$/.test(virtualAccount)) {
    problems.push(problem(line, `virtual_account "${virtualAccount}" is not 14 digits`, `virtual_account「${virtualAccount}」不是 14 位數字`));
  }
  const amountOk = /^[1-9]\d*$/.test(amountText) && Number(amountText) <= MAX_AMOUNT_NTD;
  if (!amountOk) {
    problems.push(problem(line, `amount "${amountText}" is not a positive whole NT$ amount (digits only)`, `amount「${amountText}」不是正整數新臺幣金額（僅限數字）`));
  }
  if (!/^[\x21-\x7e]{1,64}$/.test(bankTxnId)) {
    problems.push(problem(line,
      "bank_txn_id must be 1–64 printable characters without spaces",
      "bank_txn_id 須為 1–64 個可見字元（不含空白）"));
  }
  if (problems.length > 0 || !paidAt) return { problems };
  return { value: { line, paidAt, bankCode, virtualAccount, amountNtd: Number(amountText), bankTxnId }, problems };
}

/** Phase 1: every line checked, every problem named by its line number. Accepts a UTF-8 BOM, CRLF and one final newline. */
export function parseBankFile(content: Uint8Array): ParsedBankFile {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(content);
  } catch {
    return { lines: [], problems: [problem(0, "the file is not UTF-8 text", "檔案不是 UTF-8 文字檔")] };
  }
  const rows = text.split(/\r?\n/);
  // Editors and spreadsheets end files with a newline (sometimes a few); blank lines inside the file are malformed.
  while (rows.length > 1 && rows[rows.length - 1] === "") rows.pop();
  if (rows[0] !== BANK_FILE_HEADER) {
    return { lines: [], problems: [problem(1, `the header must be exactly ${BANK_FILE_HEADER}`, `標題列必須是 ${BANK_FILE_HEADER}`)] };
  }
  const lines: BankFileLine[] = [];
  const problems: BankFileProblem[] = [];
  const firstLineOf = new Map<string, number>();
  for (let i = 1; i < rows.length; i++) {
    const lineNumber = i + 1;
    const parsed = parseLine(rows[i]!, lineNumber);
    problems.push(...parsed.problems);
    if (!parsed.value) continue;
    const first = firstLineOf.get(parsed.value.bankTxnId);
    if (first !== undefined) {
      problems.push(problem(lineNumber,
        `bank_txn_id ${parsed.value.bankTxnId} repeats line ${first}`,
        `bank_txn_id ${parsed.value.bankTxnId} 與第 ${first} 行重複`));
      continue;
    }
    firstLineOf.set(parsed.value.bankTxnId, lineNumber);
    lines.push(parsed.value);
  }
  return { lines, problems };
}

export type ExceptionCounts = Partial<Record<FinanceExceptionKind, number>>;

export interface AppliedCounts {
  newTransfers: number;
  appliedPayments: number;
  duplicates: number;
  exceptions: number;
  exceptionsByKind: ExceptionCounts;
}

export interface BankImportSummary extends AppliedCounts {
  importId: string;
  fileSha256: string;
  lines: number;
  /** APPLIED: the transfers were settled (signed file, or an approved one); AWAITING_APPROVAL: they pay nothing yet. */
  status: "APPLIED" | "AWAITING_APPROVAL";
  signatureVerified: boolean;
  /** Sum of the file's amounts, NT$. */
  totalNtd: number;
}

export type BankImportResult =
  | { ok: true; summary: BankImportSummary }
  | { ok: false; problems: BankFileProblem[] };

/** Thrown inside the transaction to roll the whole file back, carrying what to tell the operator. */
export class RejectedFile extends Error {
  constructor(readonly problems: BankFileProblem[]) {
    super("bank file rejected");
  }
}

/** The newest transfer time in the file: the bank day it reports (lastBankDayReported), null without lines. */
function latestPaidAt(lines: BankFileLine[]): Date | null {
  // A loop, not Math.max(...): a file of a hundred thousand lines would overflow the argument list.
  let latest: number | null = null;
  for (const line of lines) if (latest === null || line.paidAt.getTime() > latest) latest = line.paidAt.getTime();
  return latest === null ? null : new Date(latest);
}

// One connection works through the file; a large file takes minutes, not the default 5 seconds.
export const transactionTimeoutMs = (lines: number) => Math.max(120_000, lines * 100);

/**
 * Locks are taken in virtual-account order (settlePayment locks each order), so two imports never wait on each
 * other crosswise; within one account the earliest-dated transfer is settled first and pays the order.
 */
export const inLockOrder = (lines: BankFileLine[]) => [...lines].sort((a, b) =>
  a.virtualAccount < b.virtualAccount ? -1 : a.virtualAccount > b.virtualAccount ? 1 : a.paidAt.getTime() - b.paidAt.getTime() || a.line - b.line);

/**
 * Phase 2, inside the caller's transaction: every line through receiveBankTransfer (settlePayment), recorded
 * against `importId`. A bank_txn_id already received with other facts throws RejectedFile naming every such line.
 * The one path by which a file pays, whether signed at import or approved later.
 */
export async function applyBankFileLines(tx: Prisma.TransactionClient, { importId, lines, receivedAt, onProgress }: {
  importId: string;
  lines: BankFileLine[];
  receivedAt: Date;
  onProgress?: (done: number, total: number) => void;
}): Promise<AppliedCounts> {
  const ordered = inLockOrder(lines);
  const counts = { newTransfers: 0, appliedPayments: 0, duplicates: 0, exceptions: 0 };
  const exceptionsByKind: ExceptionCounts = {};
  const conflicts: BankFileProblem[] = [];
  for (const [index, line] of ordered.entries()) {
    try {
      const result = await receiveBankTransfer(tx, { ...line, source: "FILE", importId, receivedAt });
      if (result.duplicate) counts.duplicates++;
      else {
        counts.newTransfers++;
        if (result.outcome === "APPLIED") counts.appliedPayments++;
        else {
          counts.exceptions++;
          exceptionsByKind[result.outcome] = (exceptionsByKind[result.outcome] ?? 0) + 1;
        }
      }
    } catch (error) {
      // Found before any write for this line, so the transaction is still usable: report every such line.
      if (!(error instanceof BankTransferConflictError)) throw error;
      conflicts.push({ line: line.line, reason: error.userMessage });
    }
    onProgress?.(index + 1, ordered.length);
  }
  if (conflicts.length > 0) throw new RejectedFile(conflicts.sort((a, b) => a.line - b.line));
  await tx.bankImport.update({
    where: { id: importId },
    data: { newTransfers: counts.newTransfers, duplicates: counts.duplicates, exceptions: counts.exceptions, appliedAt: receivedAt },
  });
  return { ...counts, exceptionsByKind };
}

/**
 * The bank_txn_ids of an unsigned file the bank already reported with other facts: the file is refused now, as a
 * signed one would be, rather than parked to fail at approval.
 */
async function conflictsWithReceived(tx: Prisma.TransactionClient, lines: BankFileLine[]): Promise<BankFileProblem[]> {
  const ids = lines.map((l) => l.bankTxnId);
  const received = await tx.$queryRaw<Array<{ bank_txn_id: string; bank_code: string; virtual_account: string; amount_ntd: number; paid_at: Date }>>`
    SELECT bank_txn_id, bank_code, virtual_account, amount_ntd, paid_at FROM bank_transfer WHERE bank_txn_id = ANY(${ids}::text[])`;
  const byId = new Map(received.map((r) => [r.bank_txn_id, r]));
  const problems: BankFileProblem[] = [];
  for (const line of lines) {
    const r = byId.get(line.bankTxnId);
    if (!r) continue;
    const differences = [
      ...(r.bank_code !== line.bankCode ? ["bank_code"] : []), ...(r.virtual_account !== line.virtualAccount ? ["virtual_account"] : []),
      ...(r.amount_ntd !== line.amountNtd ? ["amount"] : []), ...(r.paid_at.getTime() !== line.paidAt.getTime() ? ["paid_at"] : []),
    ];
    if (differences.length > 0) problems.push({ line: line.line, reason: new BankTransferConflictError(line.bankTxnId, differences).userMessage });
  }
  return problems;
}

/**
 * Imports a bank file all-or-nothing. With `signature` (the bank's detached signature) that verifies, the file is
 * applied at once; with a signature that does not verify it is refused ({ ok: false }) and nothing is written;
 * without one its lines are kept as pending transfers awaiting a second FINANCE member (they pay nothing).
 * Malformed lines, or a bank_txn_id the bank already reported with other facts, reject the whole file.
 * `onProgress(done, total)` follows phase 2 (applying; nothing is applied for an unsigned file).
 */
export async function importBankFile({ fileName, content, signature, importedBy, receivedAt = new Date(), onProgress }: {
  fileName: string;
  content: Uint8Array;
  /** The detached signature file's bytes, if one came with the file. */
  signature?: Uint8Array | null;
  importedBy: string;
  receivedAt?: Date;
  onProgress?: (done: number, total: number) => void;
}): Promise<BankImportResult> {
  if (signature) {
    try {
      verifyBankFileSignature({ content, signature });
    } catch (error) {
      if (error instanceof BankFileSignatureError) return { ok: false, problems: [{ line: 0, reason: error.userMessage }] };
      throw error;
    }
  }
  const signatureVerified = Boolean(signature);
  const parsed = parseBankFile(content);
  if (parsed.problems.length > 0) return { ok: false, problems: parsed.problems };
  const fileSha256 = createHash("sha256").update(content).digest("hex");
  const total = parsed.lines.length;
  const totalNtd = parsed.lines.reduce((sum, line) => sum + line.amountNtd, 0);
  const actor = importedBy.slice(0, 64);
  try {
    const summary = await prisma.$transaction(
      async (tx) => {
        const bankImport = await tx.bankImport.create({
          data: { fileName: fileName.slice(0, 255), fileSha256, lineCount: total, newTransfers: 0, duplicates: 0, exceptions: 0, importedBy: actor, importedAt: receivedAt, signatureVerified,
              // The bank day the file reports (decision 011); it counts for erasure only once applied_at is set.
              latestPaidAt: latestPaidAt(parsed.lines) },
        });
        let counts: AppliedCounts = { newTransfers: 0, appliedPayments: 0, duplicates: 0, exceptions: 0, exceptionsByKind: {} };
        if (signatureVerified) {
          counts = await applyBankFileLines(tx, { importId: bankImport.id, lines: parsed.lines, receivedAt, onProgress });
        } else {
          const conflicts = await conflictsWithReceived(tx, parsed.lines);
          if (conflicts.length > 0) throw new RejectedFile(conflicts);
          await tx.pendingBankTransfer.createMany({
            data: parsed.lines.map((l) => ({ importId: bankImport.id, line: l.line, bankTxnId: l.bankTxnId, bankCode: l.bankCode, virtualAccount: l.virtualAccount, amountNtd: l.amountNtd, paidAt: l.paidAt })),
          });
        }
        const status = signatureVerified ? "APPLIED" as const : "AWAITING_APPROVAL" as const;
        const { exceptionsByKind, ...applied } = counts;
        await recordAuditEvent(
          {
            actor: { type: "STAFF", id: actor },
            action: signatureVerified ? "bank.file_imported" : "bank.file_awaiting_approval",
            subject: { type: "bank_import", id: bankImport.id },
            details: { fileSha256, lines: total, totalNtd, signatureVerified, ...applied },
          },
          tx,
        );
        return { importId: bankImport.id, fileSha256, lines: total, status, signatureVerified, totalNtd, ...counts };
      },
      { timeout: transactionTimeoutMs(total), maxWait: 30_000 },
    );
    return { ok: true, summary };
  } catch (error) {
    if (error instanceof RejectedFile) return { ok: false, problems: error.problems };
    throw error;
  }
}
