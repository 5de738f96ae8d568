// `npm run fulfilment:labels` end to end: the CLI as a child process against this file's test database.
import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { createPaidOrderFixture, createPrintBatchFixture } from "../../test/factories/fulfilment";
import { runCli, type CliRun } from "../../test/support/run-cli";

const repoRoot = path.resolve(import.meta.dirname, "../..");
const scratch = await mkdtemp(path.join(os.tmpdir(), "fulfilment-labels-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Runs the CLI (through with-dev-environment, as `npm run` does, when `viaNpmScript`) in `cwd` on the test database. */
function labels(args: string[], { env = {}, viaNpmScript = false, cwd = scratch }: { env?: Record<string, string>; viaNpmScript?: boolean; cwd?: string } = {}) {
  // npm sets INIT_CWD to where the operator typed the command: relative paths resolve there.
  return runCli("scripts/fulfilment/labels.ts", args, { scratch, viaNpmScript, drop: ["FULFILMENT_OPERATOR"], env: { INIT_CWD: cwd, ...env } });
}

const countPdfPages = (pdf: Buffer) => (pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
const labelEvents = (batchId: string) => prisma.auditEvent.findMany({ where: { action: "printing.labels_printed", subjectId: batchId }, orderBy: { id: "asc" } });

async function batchOf(count: number, { rejectPosition }: { rejectPosition?: number } = {}) {
  const orders = [];
  for (let i = 0; i < count; i++) {
    orders.push(await createPaidOrderFixture({
      holderName: `測試收件人${i + 1}`,
      application: i === 1 ? { postcode: "88041", address: "澎湖縣馬公市治平路 32 號" } : { postcode: "100", address: `臺北市中正區重慶南路一段 ${100 + i} 號` },
    }));
  }
  const batch = await createPrintBatchFixture({ orderIds: orders.map((o) => o.order.id) });
  if (rejectPosition) await prisma.printItem.update({ where: { batchId_position: { batchId: batch.id, position: rejectPosition } }, data: { status: "REJECTED", rejectionCode: "CHIP_FAILURE" } });
  return { batch, orders };
}

/** Nothing a run says may name a person or an address. */
function expectNoPersonalData(run: CliRun) {
  expect(`${run.stdout}${run.stderr}`).not.toMatch(/測試收件人|重慶南路|澎湖縣|0912345678|applicant@example\.tw/);
}

describe("fulfilment:labels usage", () => {
  it("answers bad arguments and an unknown batch with exit 1 and the usage line", { timeout: 60_000 }, async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /a batch number is required/],
      [["P1151123-0001", "P1151123-0002"], /one batch at a time/],
      [["P1151123-0001", "--colour", "red"], /Unknown option '--colour'/],
      [["P1151123-9999"], /查無製卡批次 P1151123-9999 \/ No print batch P1151123-9999/],
    ];
    const runs = await Promise.all(cases.map(([args]) => labels(args)));
    runs.forEach((run, i) => {
      expect(run.code, cases[i]![0].join(" ")).toBe(1);
      expect(run.stdout).toBe("");
      expect(run.stderr).toMatch(cases[i]![1]);
      expect(run.stderr).toContain("usage: npm run fulfilment:labels -- <batch number");
    });
    expect(await prisma.auditEvent.count({ where: { action: "printing.labels_printed" } })).toBe(0);
  });
});

describe("fulfilment:labels <batch>", () => {
  it("writes the HTML sheet readable by its owner only, records the audit event, refuses to overwrite without --force", { timeout: 120_000 }, async () => {
    const { batch } = await batchOf(3, { rejectPosition: 3 });
    const expectedFile = path.join(scratch, `labels-${batch.batchNumber}.html`);

    const first = await labels([batch.batchNumber, "--operator", "mailroom:amy"], { viaNpmScript: true });
    expect(first.stderr).not.toMatch(/error/i);
    expect(first.code).toBe(0);
    expect(first.stdout.trim().split("\n")).toEqual([
      `labels-${batch.batchNumber}.html: 2 labels 張標籤, 1 rejected card(s) skipped 張退件未列 — 本檔含個人資料，列印後請立即刪除 / contains personal data — delete it after printing`,
    ]);
    expectNoPersonalData(first);
    expect((await stat(expectedFile)).mode & 0o777).toBe(0o600);
    const html = await readFile(expectedFile, "utf8");
    expect(html).toContain('<div class="postcode">88041</div>\n<div class="address">澎湖縣馬公市治平路 32 號</div>');
    expect(html.indexOf("測試收件人1")).toBeLessThan(html.indexOf("測試收件人2"));
    expect(html).not.toContain("測試收件人3"); // rejected: no card, no envelope
    expect(html).not.toMatch(/0912345678|applicant@example\.tw/);
    expect(html).not.toMatch(/[A-Z][1289]\d{8}/); // no national ID shape anywhere
    expect(await labelEvents(batch.id)).toMatchObject([
      { actorType: "STAFF", actorId: "mailroom:amy", subjectType: "print_batch", details: { batchNumber: batch.batchNumber, labels: 2, format: "html" } },
    ]);

    // A file already there is never replaced silently — not even with the same content.
    await writeFile(expectedFile, "the operator's notes", { mode: 0o644 });
    const again = await labels([batch.batchNumber], { env: { FULFILMENT_OPERATOR: "mailroom:ben" } });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain(`labels-${batch.batchNumber}.html exists — not overwritten (add --force to replace it)`);
    expect(await readFile(expectedFile, "utf8")).toBe("the operator's notes");
    expect(await labelEvents(batch.id)).toHaveLength(1);

    const forced = await labels([batch.batchNumber, "--force"], { env: { FULFILMENT_OPERATOR: "mailroom:ben" } });
    expect(forced.code).toBe(0);
    expect((await stat(expectedFile)).mode & 0o777).toBe(0o600);
    expect(await readFile(expectedFile, "utf8")).toMatch(/^<!DOCTYPE html>/);
    expect((await labelEvents(batch.id)).map((e) => e.actorId)).toEqual(["mailroom:amy", "mailroom:ben"]);
  });

  it("prints a PDF with Chromium: 15 labels on 2 A4 pages, to the --out file, operator from the OS user", { timeout: 120_000 }, async () => {
    const { batch } = await batchOf(15);
    const run = await labels([batch.batchNumber, "--pdf", "--out", "sheets/today.pdf"], { cwd: scratch });
    // The folder does not exist: nothing is created and nothing audited.
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no label file written / 未產生標籤檔");
    expectNoPersonalData(run);
    expect(await labelEvents(batch.id)).toHaveLength(0);

    const out = path.join(scratch, "today.pdf");
    const pdfRun = await labels([batch.batchNumber, "--pdf", "--out", "today.pdf"], { cwd: scratch });
    expect(pdfRun.stderr).toBe("");
    expect(pdfRun.code).toBe(0);
    expect(pdfRun.stdout).toMatch(/^today\.pdf: 15 labels 張標籤, 0 rejected card\(s\) skipped/);
    expectNoPersonalData(pdfRun);
    const pdf = await readFile(out);
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(countPdfPages(pdf)).toBe(2);
    expect((await stat(out)).mode & 0o777).toBe(0o600);
    expect(await labelEvents(batch.id)).toMatchObject([
      { actorId: `cli:${os.userInfo().username}`.slice(0, 64), details: { batchNumber: batch.batchNumber, labels: 15, format: "pdf" } },
    ]);
  });
});
