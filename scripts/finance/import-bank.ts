// Finance's daily bank file, and the open exception list, from the command line:
//   npm run finance:import-bank -- FILE.csv [--signature FILE.csv.sig]
//   npm run finance:import-bank -- --exceptions [--kind KIND] [--all] [--limit N]
// Format and rules: docs/bank-interfaces.md. With the bank's valid signature the file pays orders at once; without
// one its transfers wait, paying nothing, for a second FINANCE member's approval in the back office (a bad
// signature refuses the file). Exit 0 imported (applied or awaiting approval) or listed, 1 file rejected or error
// (nothing applied), 2 usage. Progress goes to stderr, the summary to stdout.
import { readFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, env } from "~/lib/env.server";
import type { BankFileProblem, BankImportSummary } from "~/finance/bank-file.server";
import type { FinanceExceptionListItem } from "~/finance/exception-list.server";
import { createProgressReporter } from "./progress";

const USAGE =
  "usage: finance:import-bank -- FILE.csv [--signature FILE.csv.sig] | finance:import-bank -- --exceptions [--kind KIND] [--all] [--limit N]";
const KINDS = ["LATE_PAYMENT", "WRONG_AMOUNT", "DUPLICATE_PAYMENT", "UNMATCHED_TRANSFER"] as const;

class UsageError extends Error {}

const count = (n: number) => n.toLocaleString("en-US");
// Chinese characters take two columns in a terminal; pad by what the eye sees, not by code units.
const columns = (text: string) => [...text].reduce((n, c) => n + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/.test(c) ? 2 : 1), 0);
const pad = (text: string, width: number) => text + " ".repeat(Math.max(0, width - columns(text)));
const taipei = (date: Date) => date.toLocaleString("sv-SE", { timeZone: "Asia/Taipei" });

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: { signature: { type: "string" }, exceptions: { type: "boolean" }, kind: { type: "string" }, all: { type: "boolean" }, limit: { type: "string" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split(". ")[0]!.replace(/\.$/, ""));
  }
}

function operator(): string {
  // Who imported the file, for the BankImport row and the audit trail.
  return (process.env.FINANCE_OPERATOR?.trim() || `cli:${os.userInfo().username}`).slice(0, 64);
}

function printProblems(fileName: string, problems: BankFileProblem[]): void {
  console.error(`${fileName}: ${count(problems.length)} problem(s) — nothing was imported / 檔案有 ${count(problems.length)} 處錯誤，未匯入任何資料`);
  for (const p of problems) {
    const where = p.line > 0 ? `第 ${p.line} 行 line ${p.line}` : "檔案 file";
    console.error(`  ${where}: ${p.reason["zh-TW"]} / ${p.reason.en}`);
  }
}

function printSummary(fileName: string, s: BankImportSummary): void {
  if (s.status === "AWAITING_APPROVAL") {
    const rows: Array<[string, string]> = [
      ["file 檔案", `${fileName} (sha256 ${s.fileSha256.slice(0, 16)}…)`],
      ["import id 匯入編號", s.importId],
      ["lines 行數", count(s.lines)],
      ["total 總金額", `NT$${count(s.totalNtd)}`],
    ];
    const width = Math.max(...rows.map(([label]) => columns(label)));
    for (const [label, value] of rows) console.log(`${pad(label, width)}  ${value}`);
    console.log("no bank signature: nothing was paid — the transfers are pending until another member of finance approves import " +
      `${s.importId} at /staff/finance/bank-files / 無銀行簽章：未入帳任何款項，須由另一位財務人員於後台核准此匯入後才會入帳`);
    return;
  }
  const byKind = KINDS.filter((k) => s.exceptionsByKind[k]).map((k) => `${k} ${count(s.exceptionsByKind[k]!)}`);
  const rows: Array<[string, string]> = [
    ["file 檔案", `${fileName} (sha256 ${s.fileSha256.slice(0, 16)}…)`],
    ["import id 匯入編號", s.importId],
    ["signature 銀行簽章", "verified 已驗證"],
    ["lines 行數", count(s.lines)],
    ["new transfers 新入帳", count(s.newTransfers)],
    ["applied payments 完成繳費", count(s.appliedPayments)],
    ["duplicates 重複（已收過）", count(s.duplicates)],
    ["exceptions 待處理例外", `${count(s.exceptions)}${byKind.length ? ` (${byKind.join(", ")})` : ""}`],
  ];
  const width = Math.max(...rows.map(([label]) => columns(label)));
  for (const [label, value] of rows) console.log(`${pad(label, width)}  ${value}`);
}

async function readInput(file: string): Promise<{ fullPath: string; content: Buffer }> {
  // npm runs scripts in the package root; INIT_CWD is where the operator typed the command.
  const fullPath = path.resolve(process.env.INIT_CWD ?? process.cwd(), file);
  try {
    return { fullPath, content: await readFile(fullPath) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "EISDIR") throw new UsageError(`cannot read ${file}: ${code === "ENOENT" ? "no such file" : "a directory"}`);
    throw error;
  }
}

async function importCommand(file: string, signatureFile: string | undefined): Promise<number> {
  const { fullPath, content } = await readInput(file);
  const signature = signatureFile === undefined ? null : (await readInput(signatureFile)).content;
  if (signature && signature.byteLength === 0) throw new UsageError(`${signatureFile} is empty`);
  env();
  const { importBankFile } = await import("~/finance/bank-file.server");
  let progress: ReturnType<typeof createProgressReporter> | undefined;
  const result = await importBankFile({
    fileName: path.basename(fullPath),
    content,
    signature,
    importedBy: operator(),
    onProgress: (done, total) => {
      progress ??= createProgressReporter({ total });
      progress.update(done);
    },
  });
  progress?.finish();
  if (!result.ok) {
    printProblems(path.basename(fullPath), result.problems);
    return 1;
  }
  printSummary(path.basename(fullPath), result.summary);
  return 0;
}

function printExceptionTable(items: FinanceExceptionListItem[]): void {
  const header = ["detected 發現", "kind 類別", "NT$", "paid at 付款時間", "order 訂單", "bank", "virtual account", "bank txn / ref", "detail"];
  const rows = items.map((e) => [
    taipei(e.detectedAt), e.kind, count(e.amountNtd), taipei(e.paidAt), e.orderNumber ?? "-", e.bankCode ?? "-",
    e.virtualAccount ?? "-", e.bankTxnId ?? e.providerReference ?? "-", e.detail,
  ]);
  const widths = header.map((h, i) => Math.max(columns(h), ...rows.map((r) => columns(r[i]!))));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : pad(c, widths[i]!))).join("  ");
  console.log(line(header));
  for (const row of rows) console.log(line(row));
}

async function exceptionsCommand(values: { kind?: string; all?: boolean; limit?: string }): Promise<number> {
  const kind = values.kind?.toUpperCase();
  if (kind !== undefined && !(KINDS as readonly string[]).includes(kind)) throw new UsageError(`--kind must be one of ${KINDS.join(", ")}`);
  const limit = values.limit === undefined ? 200 : Number(values.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError("--limit must be a whole number from 1 to 500");
  env();
  const { listFinanceExceptions } = await import("~/finance/exception-list.server");
  const page = await listFinanceExceptions({ unresolvedOnly: !values.all, kind: kind as (typeof KINDS)[number] | undefined, limit });
  if (page.items.length === 0) {
    console.log(values.all ? "no finance exceptions / 沒有例外款項" : "no open finance exceptions / 沒有待處理的例外款項");
    return 0;
  }
  printExceptionTable(page.items);
  console.log(`${count(page.items.length)} shown (Asia/Taipei times)${page.nextCursor ? `; more exist — raise --limit` : ""}`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(argv);
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (values.exceptions) {
      if (values.signature !== undefined) throw new UsageError(`--signature goes with a bank file — ${USAGE}`);
      if (positionals.length > 0) throw new UsageError(`--exceptions takes no file — ${USAGE}`);
      return await exceptionsCommand(values);
    }
    if (values.kind !== undefined || values.all || values.limit !== undefined) throw new UsageError(`--kind, --all and --limit go with --exceptions — ${USAGE}`);
    if (positionals.length !== 1) throw new UsageError(`${positionals.length === 0 ? "a bank file is required" : "one bank file at a time"} — ${USAGE}`);
    return await importCommand(positionals[0]!, values.signature);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`import-bank: ${error.message}`);
      return 2;
    }
    if (error instanceof ConfigError) console.error(error.message);
    else if (process.env.DEBUG) console.error(error);
    // Database down, a transaction timeout: one line, and nothing was applied (the import is one transaction).
    else console.error(`import-bank: ${String((error as Error).message ?? error).replace(/\s+/g, " ").trim()} — nothing was imported / 未匯入任何資料`);
    return 1;
  } finally {
    const { disconnectAll } = await import("~/lib/shutdown.server");
    await disconnectAll().catch(() => undefined);
  }
}

process.exitCode = await main(process.argv.slice(2));
