// The bank-file upload page (app/routes/staff.finance.bank-files.tsx): the same all-or-nothing import as the CLI
// (importBankFile verifies the bank's optional signature, then parses, applies or parks, and audits an accepted
// file), read from a capped upload, plus the list of past imports. A refused file writes nothing but its own audit
// event.
import { createHash } from "node:crypto";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { readRawBody } from "~/lib/http.server";
import { assertFinanceStaff, type FinanceStaff } from "./reconciliation/runs.server";
import { importBankFile, type BankFileProblem, type BankImportSummary } from "./bank-file.server";
import { BANK_SIGNATURE_MAX_BYTES } from "./bank-file-signature.server";

/**
 * The CLI reads any file from disk; a browser upload waits on one request and one transaction, so it is capped:
 * 2 MiB is about 28,000 lines (a bank line is ~72 bytes), far above a day of ATM transfers for this service.
 */
export const BANK_FILE_MAX_BYTES = 2 * 1024 * 1024;
// What multipart framing (boundaries, part headers, a long file name) adds around the file itself.
const MULTIPART_OVERHEAD_BYTES = 16 * 1024;
/** The page lists at most this many problem lines (a wholly wrong file can have one per line); the count is exact. */
export const BANK_FILE_PROBLEMS_SHOWN = 1000;

const TOO_LARGE = new AppError("BANK_FILE_TOO_LARGE", {
  "zh-TW": "檔案超過 2 MB 上限，未匯入任何資料。請分成較小的檔案，或以命令列匯入。",
  en: "The file is over the 2 MB limit; nothing was imported. Split it, or import it from the command line.",
}, 413);
const NO_FILE = new AppError("BANK_FILE_MISSING", {
  "zh-TW": "請選擇要匯入的銀行對帳檔（.csv）。",
  en: "Choose the bank file (.csv) to import.",
}, 400);
const SIGNATURE_TOO_LARGE = new AppError("BANK_SIGNATURE_TOO_LARGE", {
  "zh-TW": "簽章檔過大，不是銀行的簽章檔（.sig）；未匯入任何資料。",
  en: "The signature file is too large to be the bank's signature (.sig); nothing was imported.",
}, 400);
const NOT_MULTIPART = new AppError("BANK_FILE_NOT_MULTIPART", {
  "zh-TW": "請使用本頁的表單上傳檔案。",
  en: "Please upload the file with this page's form.",
}, 400);

export interface BankFileUpload {
  fileName: string;
  content: Uint8Array;
  /** The bank's detached signature (the optional `signature` field), or null. */
  signature: Uint8Array | null;
}

/**
 * The `file` field of a multipart form POST. The whole body is read with a byte cap whatever Content-Length claims,
 * so an over-size or endless upload is refused before it is parsed or held in memory.
 */
export async function readBankFileUpload(request: Request): Promise<BankFileUpload> {
  let body: Buffer;
  try {
    body = await readRawBody(request, BANK_FILE_MAX_BYTES + MULTIPART_OVERHEAD_BYTES);
  } catch (error) {
    if (error instanceof AppError && error.code === "BODY_TOO_LARGE") throw TOO_LARGE;
    throw error;
  }
  const contentType = request.headers.get("Content-Type") ?? "";
  if (!contentType.toLowerCase().startsWith("multipart/form-data")) {
    if (body.byteLength === 0) throw NO_FILE;
    throw NOT_MULTIPART;
  }
  let form: FormData;
  try {
    form = await new Request(request.url, { method: "POST", headers: { "Content-Type": contentType }, body: new Uint8Array(body) }).formData();
  } catch {
    throw NOT_MULTIPART;
  }
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) throw NO_FILE;
  if (file.size > BANK_FILE_MAX_BYTES) throw TOO_LARGE;
  const signatureFile = form.get("signature");
  const signed = signatureFile instanceof File && signatureFile.size > 0 ? signatureFile : null;
  if (signed && signed.size > BANK_SIGNATURE_MAX_BYTES) throw SIGNATURE_TOO_LARGE;
  // Only the base name, as the CLI records it (browsers may send a path).
  const fileName = (file.name.split(/[\\/]/).pop() || "upload.csv").slice(0, 255);
  return { fileName, content: new Uint8Array(await file.arrayBuffer()), signature: signed ? new Uint8Array(await signed.arrayBuffer()) : null };
}

export type BankFileUploadResult =
  | { ok: true; fileName: string; summary: BankImportSummary }
  | { ok: false; fileName: string; problems: BankFileProblem[]; problemCount: number };

/** Imports an uploaded file for a member of finance; a refusal is audited with the file's hash and problem count. */
export async function importUploadedBankFile({ staff, upload, now = new Date() }: {
  staff: FinanceStaff;
  upload: BankFileUpload;
  now?: Date;
}): Promise<BankFileUploadResult> {
  assertFinanceStaff(staff);
  const result = await importBankFile({ fileName: upload.fileName, content: upload.content, signature: upload.signature, importedBy: staff.id, receivedAt: now });
  // An accepted file is audited by importBankFile itself (bank.file_imported, in its transaction).
  if (result.ok) return { ok: true, fileName: upload.fileName, summary: result.summary };
  await recordAuditEvent({
    actor: { type: "STAFF", id: staff.id },
    action: "finance.bank_file_refused",
    details: {
      fileSha256: createHash("sha256").update(upload.content).digest("hex"),
      bytes: upload.content.byteLength,
      signed: upload.signature !== null,
      problems: result.problems.length,
    },
  });
  return { ok: false, fileName: upload.fileName, problems: result.problems.slice(0, BANK_FILE_PROBLEMS_SHOWN), problemCount: result.problems.length };
}

export interface BankImportListItem {
  id: string;
  fileName: string;
  importedAt: Date;
  /** The member's username, or what the CLI recorded (`cli:…`, FINANCE_OPERATOR). */
  importedBy: string;
  lineCount: number;
  newTransfers: number;
  duplicates: number;
  exceptions: number;
  status: BankImportStatus;
}

/** Where an import stands: SIGNED and APPLIED paid at import or approval; AWAITING_APPROVAL has paid nothing. */
export type BankImportStatus = "SIGNED" | "APPLIED" | "AWAITING_APPROVAL" | "REJECTED";

export function bankImportStatus(row: { signatureVerified: boolean; appliedAt: Date | null; rejectedAt: Date | null }): BankImportStatus {
  if (row.rejectedAt) return "REJECTED";
  if (!row.appliedAt) return "AWAITING_APPROVAL";
  return row.signatureVerified ? "SIGNED" : "APPLIED";
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Past imports, newest first, keyset paged by id (uuid v7 ids grow with time). */
export async function listBankImports({ staff, limit = 20, cursor }: { staff: FinanceStaff; limit?: number; cursor?: string }) {
  assertFinanceStaff(staff);
  const take = Math.min(Math.max(Math.trunc(limit), 1), 100);
  const rows = await prisma.bankImport.findMany({
    where: cursor ? { id: { lt: cursor } } : {},
    orderBy: { id: "desc" },
    take: take + 1,
    select: {
      id: true, fileName: true, importedAt: true, importedBy: true, lineCount: true, newTransfers: true, duplicates: true, exceptions: true,
      signatureVerified: true, appliedAt: true, rejectedAt: true,
    },
  });
  const page = rows.slice(0, take);
  const usernames = await usernamesOf(page.map((row) => row.importedBy));
  const items: BankImportListItem[] = page.map(({ signatureVerified, appliedAt, rejectedAt, ...row }) => ({
    ...row, importedBy: usernames.get(row.importedBy) ?? row.importedBy, status: bankImportStatus({ signatureVerified, appliedAt, rejectedAt }),
  }));
  return { items, nextCursor: rows.length > take ? page[page.length - 1]!.id : null };
}

/** Staff ids (what the upload page records) shown as usernames; CLI names stay as they are. */
export async function usernamesOf(importedBy: string[]): Promise<Map<string, string>> {
  const staffIds = [...new Set(importedBy.filter((id) => UUID.test(id)))];
  const members = staffIds.length
    ? await prisma.staffAccount.findMany({ where: { id: { in: staffIds } }, select: { id: true, username: true } })
    : [];
  return new Map(members.map((m) => [m.id, m.username]));
}
