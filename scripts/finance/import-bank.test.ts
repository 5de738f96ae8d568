// `npm run finance:import-bank` end to end: the CLI as a child process against this file's test database.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { signBankFileForTest } from "../../test/factories/finance";
import { createOrderFixture } from "../../test/factories/orders";
import { runCli } from "../../test/support/run-cli";
import { createProgressReporter, progressBar } from "./progress";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const scratch = await mkdtemp(path.join(os.tmpdir(), "import-bank-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

const HEADER = "paid_at,bank_code,virtual_account,amount,bank_txn_id";
const MINUTE = 60_000;
let sequence = 0;
const txnId = () => `CLI-${process.pid}-${++sequence}`;
const taipeiIso = (date: Date) => new Date(date.getTime() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, "+08:00");

async function csvFile(name: string, rows: Array<{ paidAt: Date; virtualAccount: string; amount?: number; bankTxnId?: string }>) {
  const file = path.join(scratch, name);
  const lines = rows.map((r) => `${taipeiIso(r.paidAt)},822,${r.virtualAccount},${r.amount ?? 228},${r.bankTxnId ?? txnId()}`);
  await writeFile(file, `${[HEADER, ...lines].join("\n")}\n`);
  return file;
}

/** The bank's detached signature of `file`, written beside it as FILE.sig (base64, as the bank sends it). */
async function signedBy(file: string): Promise<string> {
  await writeFile(`${file}.sig`, signBankFileForTest(await readFile(file)));
  return `${file}.sig`;
}

/** Runs the CLI (through with-dev-environment, as `npm run` does, when `viaNpmScript`) on the test database. */
function importBank(args: string[], { env = {}, viaNpmScript = false }: { env?: Record<string, string>; viaNpmScript?: boolean } = {}) {
  return runCli("scripts/finance/import-bank.ts", args, {
    scratch, viaNpmScript, env: { FINANCE_OPERATOR: "finance:test-operator", ATM_PAYMENT_GRACE_MINUTES: "0", ...env },
  });
}

const counts = async () => ({
  transfers: await prisma.bankTransfer.count(),
  payments: await prisma.payment.count(),
  imports: await prisma.bankImport.count(),
  paidOrders: await prisma.reissueOrder.count({ where: { status: "PAID" } }),
});

describe("finance:import-bank usage", () => {
  it("answers a wrong command line with exit 2 and one line on stderr", { timeout: 60_000 }, async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /a bank file is required/],
      [["a.csv", "b.csv"], /one bank file at a time/],
      [["--colour", "red"], /Unknown option '--colour'/],
      [[path.join(scratch, "missing.csv")], /cannot read .*missing\.csv: no such file/],
      [["--exceptions", "--kind", "LOST"], /--kind must be one of/],
      [["--exceptions", "--signature", "a.sig"], /--signature goes with a bank file/],
      [["a.csv", "--signature"], /argument missing|Option '--signature <value>'/],
    ];
    const runs = await Promise.all(cases.map(([args]) => importBank(args)));
    runs.forEach((run, i) => {
      expect(run.code, cases[i]![0].join(" ")).toBe(2);
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(cases[i]![1]);
    });
  });
});

describe("finance:import-bank FILE", () => {
  it("rejects the malformed fixture with exit 1, every bad line named, nothing applied", { timeout: 60_000 }, async () => {
    const before = await counts();
    const run = await importBank([path.join(repoRoot, "test/fixtures/bank/malformed.csv")]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("10 problem(s) — nothing was imported / 檔案有 10 處錯誤，未匯入任何資料");
    for (const line of [3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) expect(run.stderr).toContain(`第 ${line} 行 line ${line}:`);
    expect(run.stderr).not.toMatch(/line (2|13):/);
    expect(run.stderr).toContain("bank_txn_id FIX-0001 repeats line 2");
    expect(await counts()).toEqual(before);
  });

  it("imports through the npm script's environment, prints progress and a summary; a second run doubles nothing", { timeout: 120_000 }, async () => {
    const orders = await Promise.all(Array.from({ length: 3 }, () => createOrderFixture()));
    const now = new Date(Math.floor(Date.now() / 1000) * 1000 - MINUTE);
    const file = await csvFile("bank-daily.csv", [
      ...orders.map((o) => ({ paidAt: now, virtualAccount: o.order.virtualAccount })),
      { paidAt: now, virtualAccount: orders[0]!.order.virtualAccount },
      { paidAt: now, virtualAccount: "95280000000000", amount: 500 },
      ...Array.from({ length: 45 }, (_, i) => ({ paidAt: now, virtualAccount: `9527${String(i).padStart(10, "0")}` })),
    ]);
    const before = await counts();
    const first = await importBank([file, "--signature", await signedBy(file)], { viaNpmScript: true });
    expect(first.stderr).not.toMatch(/Error|error:/);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^signature 銀行簽章\s+verified/m);
    expect(first.stdout).toMatch(/^lines 行數\s+50$/m);
    expect(first.stdout).toMatch(/^new transfers 新入帳\s+50$/m);
    expect(first.stdout).toMatch(/^applied payments 完成繳費\s+3$/m);
    expect(first.stdout).toMatch(/^duplicates 重複（已收過）\s+0$/m);
    expect(first.stdout).toMatch(/^exceptions 待處理例外\s+47 \(DUPLICATE_PAYMENT 1, UNMATCHED_TRANSFER 46\)$/m);
    // Not a terminal: plain progress lines, each tenth once, ending at the total — never one per line of the file.
    const progress = first.stderr.split("\n").filter((l) => l.startsWith("applying:"));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    expect(progress.length).toBeLessThanOrEqual(11);
    expect(progress.at(-1)).toBe("applying: 50/50 lines (100%)");
    expect(first.stderr).not.toContain("\r");
    const bankImport = await prisma.bankImport.findFirstOrThrow({ orderBy: { importedAt: "desc" } });
    expect(bankImport).toMatchObject({ fileName: "bank-daily.csv", lineCount: 50, newTransfers: 50, duplicates: 0, exceptions: 47, importedBy: "finance:test-operator" });
    expect(first.stdout).toContain(bankImport.id);

    const second = await importBank([file, "--signature", `${file}.sig`]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^new transfers 新入帳\s+0$/m);
    expect(second.stdout).toMatch(/^duplicates 重複（已收過）\s+50$/m);
    expect(second.stdout).toMatch(/^exceptions 待處理例外\s+0$/m);
    expect(await counts()).toEqual({ ...before, transfers: before.transfers + 50, payments: before.payments + 4, imports: before.imports + 2, paidOrders: before.paidOrders + 3 });
  });

  it("counts a transfer within ATM_PAYMENT_GRACE_MINUTES after the deadline; without grace it is listed for refund", { timeout: 120_000 }, async () => {
    const deadline = new Date(Math.floor(Date.now() / 1000) * 1000 - 30 * MINUTE);
    const graced = await createOrderFixture({ paymentDeadline: deadline });
    const tooLate = await createOrderFixture({ paymentDeadline: deadline });
    const noGrace = await createOrderFixture({ paymentDeadline: deadline });
    const withGrace = await csvFile("grace.csv", [
      { paidAt: new Date(deadline.getTime() + 10 * MINUTE), virtualAccount: graced.order.virtualAccount },
      { paidAt: new Date(deadline.getTime() + 60 * MINUTE + 1000), virtualAccount: tooLate.order.virtualAccount },
    ]);
    const run = await importBank([withGrace, "--signature", await signedBy(withGrace)], { env: { ATM_PAYMENT_GRACE_MINUTES: "60" } });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^applied payments 完成繳費\s+1$/m);
    expect(run.stdout).toMatch(/LATE_PAYMENT 1/);
    expect(await prisma.reissueOrder.findUniqueOrThrow({ where: { id: graced.order.id } })).toMatchObject({ status: "PAID" });
    expect(await prisma.reissueOrder.findUniqueOrThrow({ where: { id: tooLate.order.id } })).toMatchObject({ status: "AWAITING_PAYMENT" });

    const withoutGrace = await csvFile("no-grace.csv", [{ paidAt: new Date(deadline.getTime() + 10 * MINUTE), virtualAccount: noGrace.order.virtualAccount }]);
    const strict = await importBank([withoutGrace, "--signature", await signedBy(withoutGrace)]);
    expect(strict.code).toBe(0);
    expect(strict.stdout).toMatch(/^exceptions 待處理例外\s+1 \(LATE_PAYMENT 1\)$/m);
    // Not paid; erased once the day's bank file is in (decision 011), which may already be the case around midnight.
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: noGrace.order.id } })).status).not.toBe("PAID");

    // The open exception list names the order (its tombstone once erased).
    const list = await importBank(["--exceptions", "--kind", "LATE_PAYMENT"]);
    expect(list.code).toBe(0);
    const row = list.stdout.split("\n").find((l) => l.includes(noGrace.order.orderNumber));
    expect(row).toMatch(/LATE_PAYMENT\s+228\s+.*822\s+/);
    expect(row).toContain(noGrace.order.virtualAccount);
    expect(list.stdout).not.toContain("UNMATCHED_TRANSFER");
  });

  it("without --signature pays nothing: the transfers wait for a second member's approval, and it prints the import id", { timeout: 60_000 }, async () => {
    const { order } = await createOrderFixture();
    const file = await csvFile("unsigned.csv", [{ paidAt: new Date(Math.floor(Date.now() / 1000) * 1000 - MINUTE), virtualAccount: order.virtualAccount }]);
    const before = await counts();
    const run = await importBank([file]);
    expect(run.code).toBe(0);
    const bankImport = await prisma.bankImport.findFirstOrThrow({ orderBy: { importedAt: "desc" } });
    expect(bankImport).toMatchObject({ fileName: "unsigned.csv", appliedAt: null, signatureVerified: false, importedBy: "finance:test-operator" });
    expect(run.stdout).toMatch(new RegExp(`^import id 匯入編號\\s+${bankImport.id}$`, "m"));
    expect(run.stdout).toMatch(/^total 總金額\s+NT\$228$/m);
    expect(run.stdout).toContain("no bank signature: nothing was paid");
    expect(await prisma.pendingBankTransfer.count({ where: { importId: bankImport.id } })).toBe(1);
    expect(await counts()).toEqual({ ...before, imports: before.imports + 1 });
  });

  it("refuses a file changed after the bank signed it with exit 1, writing nothing", { timeout: 60_000 }, async () => {
    const { order } = await createOrderFixture();
    const paidAt = new Date(Math.floor(Date.now() / 1000) * 1000 - MINUTE);
    const file = await csvFile("tampered.csv", [{ paidAt, virtualAccount: order.virtualAccount, bankTxnId: "TAMPER-1" }]);
    const signature = await signedBy(file);
    await writeFile(file, (await readFile(file, "utf8")).replace(",228,", ",2280,"));
    const before = { ...(await counts()), pending: await prisma.pendingBankTransfer.count() };
    const run = await importBank([file, "--signature", signature]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("The bank's signature does not match this file");
    expect({ ...(await counts()), pending: await prisma.pendingBankTransfer.count() }).toEqual(before);
  });
});

describe("progress reporter", () => {
  function capture(tty: boolean) {
    const written: string[] = [];
    let clock = 0;
    const reporter = createProgressReporter({ total: 10_000, tty, stream: { write: (t: string) => written.push(t) }, now: () => clock });
    return { written, reporter, tick: (ms: number) => (clock += ms) };
  }

  it("draws a throttled bar in place on a terminal", () => {
    const { written, reporter, tick } = capture(true);
    for (let done = 1; done <= 10_000; done++) {
      reporter.update(done);
      if (done % 100 === 0) tick(10);
    }
    reporter.finish();
    expect(written.length).toBeLessThan(20);
    expect(written[0]).toMatch(/^\rapplying \[\.{30}\] 1\/10,000 lines 0%$/);
    expect(written.at(-2)).toBe(`\rapplying ${progressBar(10_000, 10_000)} 100%`);
    expect(written.at(-1)).toBe("\n");
    expect(progressBar(1234, 10_000, 10)).toBe("[#.........] 1,234/10,000 lines");
  });

  it("prints a plain line each tenth (or after a quiet spell) otherwise", () => {
    const { written, reporter } = capture(false);
    for (let done = 1; done <= 10_000; done++) reporter.update(done);
    reporter.finish();
    expect(written).toEqual([...Array.from({ length: 9 }, (_, i) => `applying: ${((i + 1) * 1000).toLocaleString("en-US")}/10,000 lines (${(i + 1) * 10}%)\n`), "applying: 10,000/10,000 lines (100%)\n"]);
    const slow = capture(false);
    slow.reporter.update(1);
    slow.tick(6_000);
    slow.reporter.update(2);
    expect(slow.written).toEqual(["applying: 2/10,000 lines (0%)\n"]);
  });
});
