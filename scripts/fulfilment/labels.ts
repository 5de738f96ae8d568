// The address labels of one print batch, for the mailroom (002: 印製收件人信封):
//   npm run fulfilment:labels -- <batch number> [--out FILE] [--pdf] [--force] [--operator NAME]
// Writes a printable HTML page (or, with --pdf, a PDF printed by Chromium) readable by the operator only (0600),
// never over an existing file unless --force, and records who produced it in the audit trail. What it prints
// names the file and counts, never a name or address. Exit 0 written, 1 unknown batch or bad arguments (usage
// printed), 2 anything else (nothing written). docs/address-labels.md says how to print and what to delete.
import { existsSync } from "node:fs";
import { open, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, env } from "~/lib/env.server";
import { AppError } from "~/lib/errors.server";

const USAGE = "usage: npm run fulfilment:labels -- <batch number, e.g. P1151123-0001> [--out FILE] [--pdf] [--force] [--operator NAME]";
const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];
const DELETE_REMINDER = "本檔含個人資料，列印後請立即刪除 / contains personal data — delete it after printing";

/** Bad arguments or an unknown batch: exit 1 with the usage line. */
class UsageError extends Error {}
/** Something the operator can fix (a file in the way, no Chromium): exit 2 with this message alone. */
class CliFailure extends Error {}

function parseCommandLine(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        out: { type: "string", short: "o" },
        pdf: { type: "boolean" },
        force: { type: "boolean" },
        operator: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError((error as Error).message.split(". ")[0]!.replace(/\.$/, ""));
  }
}

function operatorName(flag: string | undefined): string {
  // Who produced a file of names and addresses, for the audit trail.
  const name = flag?.trim() || process.env.FULFILMENT_OPERATOR?.trim() || `cli:${os.userInfo().username}`;
  return name.slice(0, 64);
}

/** HTML → PDF in headless Chromium; playwright-core is a devDependency, so it is loaded only when asked for. */
async function printPdf(html: string): Promise<Buffer> {
  let chromium: typeof import("playwright-core").chromium;
  try {
    ({ chromium } = await import("playwright-core"));
  } catch {
    throw new CliFailure("--pdf 需要 playwright-core（npm install 含開發套件）；或不加 --pdf 產生 HTML 後自瀏覽器列印 / --pdf needs playwright-core (a dev dependency: run npm install); or leave out --pdf and print the HTML from a browser");
  }
  if (!existsSync(CHROMIUM)) {
    throw new CliFailure(`--pdf 需要 Chromium（${CHROMIUM}，apt-get install chromium fonts-noto-cjk）；或不加 --pdf 產生 HTML / --pdf needs Chromium at ${CHROMIUM} (apt-get install chromium fonts-noto-cjk); or leave out --pdf and print the HTML`);
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: "load" });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    return await page.pdf({ preferCSSPageSize: true, printBackground: true });
  } finally {
    await browser.close();
  }
}

/** Creates the file readable by its owner only; refuses one that exists unless `force`. */
async function writePrivateFile(file: string, content: string | Buffer, force: boolean): Promise<void> {
  if (force) await rm(file, { force: true });
  let handle;
  try {
    handle = await open(file, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") throw new CliFailure(`${file} 已存在，未覆寫（加 --force 覆寫）/ ${file} exists — not overwritten (add --force to replace it)`);
    throw error;
  }
  try {
    await handle.chmod(0o600); // the mode given to open() is narrowed by the umask, never widened; make it exact
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}

async function labelsCommand(batchArg: string, values: { out?: string; pdf?: boolean; force?: boolean; operator?: string }): Promise<number> {
  const format = values.pdf ? "pdf" : "html";
  env();
  const { loadBatchLabels, recordLabelsPrinted } = await import("~/fulfilment/labels.server");
  const { renderLabelSheet } = await import("~/fulfilment/label-sheet");
  const batch = await loadBatchLabels(batchArg);
  // npm runs scripts in the package root; INIT_CWD is where the operator typed the command.
  const base = process.env.INIT_CWD ?? process.cwd();
  const file = path.resolve(base, values.out ?? `labels-${batch.batchNumber}.${format}`);
  const relative = path.relative(base, file);
  const shown = relative && !relative.startsWith("..") ? relative : file;
  if (!values.force && existsSync(file)) throw new CliFailure(`${shown} 已存在，未覆寫（加 --force 覆寫）/ ${shown} exists — not overwritten (add --force to replace it)`);
  const html = renderLabelSheet({ batchNumber: batch.batchNumber, printedAt: new Date(), labels: batch.labels });
  const content = format === "pdf" ? await printPdf(html) : html;
  await writePrivateFile(file, content, Boolean(values.force));
  try {
    await recordLabelsPrinted({ batchId: batch.batchId, batchNumber: batch.batchNumber, operator: operatorName(values.operator), labels: batch.labels.length, format });
  } catch (error) {
    // No file of names and addresses without its audit record.
    await rm(file, { force: true });
    throw error;
  }
  console.log(`${shown}: ${batch.labels.length} labels 張標籤, ${batch.skipped} rejected card(s) skipped 張退件未列 — ${DELETE_REMINDER}`);
  return 0;
}

async function main(argv: string[]): Promise<number> {
  try {
    const { values, positionals } = parseCommandLine(argv);
    if (values.help) {
      console.log(USAGE);
      return 0;
    }
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? "a batch number is required" : "one batch at a time");
    if (values.out !== undefined && !values.out.trim()) throw new UsageError("--out needs a file name");
    return await labelsCommand(positionals[0]!, values);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`fulfilment:labels: ${error.message}\n${USAGE}`);
      return 1;
    }
    if (error instanceof AppError && error.code === "print_batch.not_found") {
      console.error(`fulfilment:labels: ${error.userMessage["zh-TW"]} / ${error.userMessage.en}\n${USAGE}`);
      return 1;
    }
    if (error instanceof CliFailure) console.error(`fulfilment:labels: ${error.message}`);
    else if (error instanceof ConfigError) console.error(error.message);
    else if (process.env.DEBUG) console.error(error);
    // Database down, Chromium crashed: one line, no stack. The queries select no personal data into an error.
    else console.error(`fulfilment:labels: ${String((error as Error).message ?? error).replace(/\s+/g, " ").trim().slice(0, 300)} — no label file written / 未產生標籤檔`);
    return 2;
  } finally {
    const { disconnectAll } = await import("~/lib/shutdown.server");
    await disconnectAll().catch(() => undefined);
  }
}

process.exitCode = await main(process.argv.slice(2));
