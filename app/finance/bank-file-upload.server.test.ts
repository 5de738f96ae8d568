// The bank-file upload page called as Remix calls it, with real FINANCE and SUPPORT sessions and multipart bodies
// built the way a browser's form sends them.
import { createHash, randomBytes } from "node:crypto";
import { createElement } from "react";
import { describe, expect, it } from "vitest";
import { BankFileForm } from "~/components/staff/reconciliation/bank-file-form";
import { BankFileImportsTable } from "~/components/staff/reconciliation/bank-file-imports-table";
import { BankFileResult } from "~/components/staff/reconciliation/bank-file-result";
import type { StaffRole } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { action, loader } from "~/routes/staff.finance.bank-files";
import { action as reviewAction, loader as reviewLoader } from "~/routes/staff.finance.bank-files_.$importId";
import { createStaffAccount } from "~/staff/staff-accounts.server";
import { startStaffSession } from "~/staff/staff-session.server";
import { bankFileContent, signBankFileForTest, testBankTxnId } from "../../test/factories/finance";
import { createOrderFixture } from "../../test/factories/orders";
import { renderPage } from "../../test/support/render-page";
import { settle } from "../../test/support/route-requests";
import { BANK_FILE_MAX_BYTES, listBankImports } from "./bank-file-upload.server";

const BASE = "http://localhost";
const PAGE = `${BASE}/staff/finance/bank-files`;
const args = (request: Request) => ({ request, params: {}, context: { clientIp: "10.1.2.3" } });
const reviewArgs = (request: Request, importId: string) => ({ request, params: { importId }, context: { clientIp: "10.1.2.3" } });

const members = new Map<string, Promise<{ id: string; username: string; cookie: string }>>();
// One account per role and file: each password hash costs a scrypt.
const member = (role: StaffRole, key: string = role) => {
  if (!members.has(key)) {
    members.set(key, (async () => {
      const username = `${role.toLowerCase()}.${randomBytes(4).toString("hex")}`;
      const { id } = await createStaffAccount({ username, displayName: "對帳測試", password: "long enough password", roles: [role] });
      return { id, username, cookie: (await startStaffSession(new Request(BASE), { id })).get("Set-Cookie")!.split(";")[0]! };
    })());
  }
  return members.get(key)!;
};

function upload(content: Uint8Array | string, { cookie, fileName = "bank-20261125.csv", origin = BASE, signature }: { cookie: string; fileName?: string; origin?: string; signature?: Uint8Array }) {
  const form = new FormData();
  const bytes = typeof content === "string" ? new TextEncoder().encode(content) : content;
  form.append("file", new Blob([new Uint8Array(bytes)], { type: "text/csv" }), fileName);
  if (signature) form.append("signature", new Blob([new Uint8Array(signature)], { type: "application/octet-stream" }), `${fileName}.sig`);
  return new Request(PAGE, { method: "POST", headers: { Cookie: cookie, Origin: origin }, body: form });
}

interface Answer {
  init: { status: number } | null;
  data: {
    result?: { ok: true; fileName: string; summary: Record<string, unknown> } | { ok: false; fileName: string; problems: Array<{ line: number; reason: { "zh-TW": string; en: string } }>; problemCount: number };
    fieldErrors?: Record<string, { "zh-TW": string; en: string }>;
    formError?: { "zh-TW": string; en: string };
  };
}
const post = async (request: Request) => (await settle(action(args(request)))) as unknown as Answer;

const taipeiIso = (date: Date) => new Date(date.getTime() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, "+08:00");

async function snapshot() {
  return { transfers: await prisma.bankTransfer.count(), imports: await prisma.bankImport.count(), payments: await prisma.payment.count(), exceptions: await prisma.financeException.count() };
}

describe("the bank-file upload page", () => {
  it("imports a good file with the bank's signature from the form, shows the summary, audits it without content, and lists the import", async () => {
    const finance = await member("FINANCE");
    const now = Date.now();
    const { order } = await createOrderFixture({ createdAt: new Date(now - 3600_000) });
    const paid = { paidAt: taipeiIso(new Date(now - 1800_000)), bankCode: order.atmBankCode, virtualAccount: order.virtualAccount, amountNtd: 228, bankTxnId: testBankTxnId("UP") };
    const stranger = { ...paid, virtualAccount: "95280000000000", bankTxnId: testBankTxnId("UP") };
    const content = bankFileContent([paid, stranger]);
    const before = await snapshot();

    const answer = await post(upload(content, { cookie: finance.cookie, fileName: "C:\\bank\\bank-20261125.csv", signature: signBankFileForTest(content) }));
    expect(answer.init?.status).toBe(200);
    expect(answer.data.result).toMatchObject({
      ok: true,
      fileName: "bank-20261125.csv",
      summary: { lines: 2, newTransfers: 2, appliedPayments: 1, duplicates: 0, exceptions: 1, exceptionsByKind: { UNMATCHED_TRANSFER: 1 } },
    });
    const transfers = await prisma.bankTransfer.findMany({ where: { bankTxnId: { in: [paid.bankTxnId, stranger.bankTxnId] } }, select: { bankTxnId: true, importId: true, orderId: true } });
    expect(transfers).toHaveLength(2);
    expect(transfers.every((t) => t.importId !== null)).toBe(true);
    expect(transfers.find((t) => t.bankTxnId === paid.bankTxnId)!.orderId).toBe(order.id);
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PAID");
    expect(await snapshot()).toMatchObject({ transfers: before.transfers + 2, imports: before.imports + 1 });

    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "bank.file_imported", actorId: finance.id } });
    expect(audit.details).toMatchObject({ fileSha256: createHash("sha256").update(content).digest("hex"), lines: 2, newTransfers: 2, appliedPayments: 1, exceptions: 1 });
    expect(JSON.stringify(audit.details)).not.toContain(paid.bankTxnId);
    expect(JSON.stringify(audit.details)).not.toContain(order.virtualAccount);

    const page = await loader(args(new Request(PAGE, { headers: { Cookie: finance.cookie } })));
    expect(page.maxBytes).toBe(BANK_FILE_MAX_BYTES);
    expect(page.imports.items[0]).toMatchObject({ fileName: "bank-20261125.csv", importedBy: finance.username, lineCount: 2, newTransfers: 2, duplicates: 0, exceptions: 1, status: "SIGNED" });

    // The same file again: duplicates, never a second payment.
    const again = await post(upload(content, { cookie: finance.cookie, signature: signBankFileForTest(content) }));
    expect(again.data.result).toMatchObject({ ok: true, summary: { lines: 2, newTransfers: 0, appliedPayments: 0, duplicates: 2, exceptions: 0 } });
    expect(await prisma.payment.count({ where: { orderId: order.id } })).toBe(1);
  });

  it("refuses a malformed file whole: nothing changes, every problem line is listed in both languages", async () => {
    const finance = await member("FINANCE");
    const now = Date.now();
    const { order } = await createOrderFixture({ createdAt: new Date(now - 3600_000) });
    const good = { paidAt: taipeiIso(new Date(now - 1800_000)), bankCode: order.atmBankCode, virtualAccount: order.virtualAccount, amountNtd: 228, bankTxnId: testBankTxnId("BAD") };
    const text = new TextDecoder().decode(bankFileContent([good]))
      + `${good.paidAt},82,${order.virtualAccount},228,${testBankTxnId("BAD")}\n`
      + `${good.paidAt},822,${order.virtualAccount},228.00\n`;
    const before = await snapshot();

    const answer = await post(upload(text, { cookie: finance.cookie, fileName: "broken.csv" }));
    expect(answer.init?.status).toBe(422);
    const result = answer.data.result!;
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result).toMatchObject({ fileName: "broken.csv", problemCount: 2 });
    expect(result.problems.map((p) => p.line)).toEqual([3, 4]);
    expect(result.problems[0]!.reason.en).toMatch(/bank_code "82"/);
    expect(result.problems[0]!.reason["zh-TW"]).toMatch(/bank_code「82」/);
    expect(result.problems[1]!.reason.en).toBe("expected 5 fields, found 4");

    expect(await snapshot()).toEqual(before);
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("AWAITING_PAYMENT");
    const refused = await prisma.auditEvent.findFirstOrThrow({ where: { action: "finance.bank_file_refused", actorId: finance.id } });
    expect(refused.details).toMatchObject({ fileSha256: createHash("sha256").update(text).digest("hex"), problems: 2 });
  });

  it("refuses an over-size file (by the file's size and by the body's) and a form without a file, importing nothing", async () => {
    const finance = await member("FINANCE");
    const before = await snapshot();
    // A header and a line, padded past the cap: refused on its size before anything is parsed.
    const justOver = new Uint8Array(BANK_FILE_MAX_BYTES + 1).fill(0x41);
    const farOver = new Uint8Array(BANK_FILE_MAX_BYTES + 256 * 1024).fill(0x41);
    for (const content of [justOver, farOver]) {
      const answer = await post(upload(content, { cookie: finance.cookie }));
      expect(answer.init?.status).toBe(413);
      expect(answer.data.fieldErrors?.file?.en).toMatch(/over the 2 MB limit/);
    }
    const empty = await post(new Request(PAGE, { method: "POST", headers: { Cookie: finance.cookie, Origin: BASE }, body: new FormData() }));
    expect(empty.init?.status).toBe(400);
    expect(Object.keys(empty.data.fieldErrors ?? {})).toEqual(["file"]);
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a POST from another origin, and support staff with 403", async () => {
    const finance = await member("FINANCE");
    const support = await member("SUPPORT");
    const { order } = await createOrderFixture({ createdAt: new Date(Date.now() - 3600_000) });
    const content = bankFileContent([{ paidAt: taipeiIso(new Date()), bankCode: order.atmBankCode, virtualAccount: order.virtualAccount, amountNtd: 228, bankTxnId: testBankTxnId("X") }]);
    const before = await snapshot();

    const crossSite = await post(upload(content, { cookie: finance.cookie, origin: "https://evil.example" }));
    expect(crossSite.init?.status).toBe(403);
    const refused = await settle(action(args(upload(content, { cookie: support.cookie }))));
    expect(refused instanceof Response && refused.status).toBe(403);
    const listing = await settle(loader(args(new Request(PAGE, { headers: { Cookie: support.cookie } }))));
    expect(listing instanceof Response && listing.status).toBe(403);
    await expect(listBankImports({ staff: { id: support.id, roles: ["SUPPORT"] } })).rejects.toMatchObject({ status: 403 });
    expect(await snapshot()).toEqual(before);
  });

  it("refuses a file whose signature does not match it, writing nothing but the refusal's audit event", async () => {
    const finance = await member("FINANCE");
    const { order } = await createOrderFixture({ createdAt: new Date(Date.now() - 3600_000) });
    const line = { paidAt: taipeiIso(new Date(Date.now() - 60_000)), bankCode: order.atmBankCode, virtualAccount: order.virtualAccount, amountNtd: 228, bankTxnId: testBankTxnId("TM") };
    const signature = signBankFileForTest(bankFileContent([line]));
    const before = { ...(await snapshot()), pending: await prisma.pendingBankTransfer.count() };
    const answer = await post(upload(bankFileContent([{ ...line, amountNtd: 2280 }]), { cookie: finance.cookie, signature }));
    expect(answer.init?.status).toBe(422);
    expect(answer.data.result).toMatchObject({ ok: false, problemCount: 1, problems: [{ line: 0, reason: { en: expect.stringMatching(/signature does not match/) } }] });
    expect({ ...(await snapshot()), pending: await prisma.pendingBankTransfer.count() }).toEqual(before);
    expect((await prisma.auditEvent.findFirstOrThrow({ where: { action: "finance.bank_file_refused", actorId: finance.id }, orderBy: { id: "desc" } })).details).toMatchObject({ signed: true, problems: 1 });
  });

  it("parks an unsigned file: nothing paid, listed awaiting approval with lines and total; the importer cannot approve it, a second member does, once", async () => {
    const finance = await member("FINANCE");
    const second = await member("FINANCE", "second FINANCE member");
    const { order } = await createOrderFixture({ createdAt: new Date(Date.now() - 3600_000) });
    const line = { paidAt: taipeiIso(new Date(Date.now() - 60_000)), bankCode: order.atmBankCode, virtualAccount: order.virtualAccount, amountNtd: 228, bankTxnId: testBankTxnId("AW") };
    const answer = await post(upload(bankFileContent([line]), { cookie: finance.cookie, fileName: "unsigned.csv" }));
    expect(answer.init?.status).toBe(200);
    expect(answer.data.result).toMatchObject({ ok: true, summary: { status: "AWAITING_APPROVAL", lines: 1, totalNtd: 228, appliedPayments: 0 } });
    const importId = (answer.data.result as unknown as { summary: { importId: string } }).summary.importId;
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("AWAITING_PAYMENT");

    const page = await loader(args(new Request(PAGE, { headers: { Cookie: second.cookie } })));
    expect(page.awaiting).toContainEqual(expect.objectContaining({ id: importId, fileName: "unsigned.csv", importedBy: finance.username, lineCount: 1, totalNtd: 228 }));
    expect(page.imports.items.find((i) => i.id === importId)).toMatchObject({ status: "AWAITING_APPROVAL" });

    const review = (cookie: string) => reviewLoader(reviewArgs(new Request(`${PAGE}/${importId}`, { headers: { Cookie: cookie } }), importId));
    expect((await review(finance.cookie)).review).toMatchObject({ mayApprove: false, totalNtd: 228, lines: [{ bankTxnId: line.bankTxnId, amountNtd: 228, alreadyReceived: false }] });
    expect((await review(second.cookie)).review).toMatchObject({ mayApprove: true });

    const decide = (cookie: string, fields: Record<string, string>) =>
      settle(reviewAction(reviewArgs(new Request(`${PAGE}/${importId}`, { method: "POST", headers: { Cookie: cookie, Origin: BASE }, body: new URLSearchParams(fields) }), importId)));
    const own = (await decide(finance.cookie, { intent: "approve", reason: "I checked it myself" })) as unknown as Answer;
    expect(own.init?.status).toBe(403);
    expect(own.data.formError?.en).toMatch(/cannot approve it/);
    const noReason = (await decide(second.cookie, { intent: "approve", reason: "  " })) as unknown as Answer;
    expect(noReason.init?.status).toBe(400);
    expect(Object.keys(noReason.data.fieldErrors ?? {})).toEqual(["reason"]);
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("AWAITING_PAYMENT");

    const approved = await decide(second.cookie, { intent: "approve", reason: "matches the statement" });
    expect(approved instanceof Response && approved.headers.get("Location")).toBe(`/staff/finance/bank-files/${importId}?done=approved`);
    const twice = (await decide(second.cookie, { intent: "approve", reason: "again" })) as unknown as Answer;
    expect(twice.init?.status).toBe(409);
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("PAID");
    expect(await prisma.payment.count({ where: { orderId: order.id } })).toBe(1);
    expect((await review(second.cookie)).review).toMatchObject({ status: "APPLIED", lines: [], decidedBy: second.username, decisionReason: "matches the statement" });
  });

  it("rejects an unsigned file from its review page: nothing paid, the lines discarded", async () => {
    const finance = await member("FINANCE");
    const { order } = await createOrderFixture({ createdAt: new Date(Date.now() - 3600_000) });
    const line = { paidAt: taipeiIso(new Date(Date.now() - 60_000)), bankCode: order.atmBankCode, virtualAccount: order.virtualAccount, amountNtd: 228, bankTxnId: testBankTxnId("RJ") };
    const answer = await post(upload(bankFileContent([line]), { cookie: finance.cookie }));
    const importId = (answer.data.result as unknown as { summary: { importId: string } }).summary.importId;
    const rejected = await settle(reviewAction(reviewArgs(new Request(`${PAGE}/${importId}`, {
      method: "POST", headers: { Cookie: finance.cookie, Origin: BASE }, body: new URLSearchParams({ intent: "reject", reason: "uploaded the wrong day" }),
    }), importId)));
    expect(rejected instanceof Response && rejected.headers.get("Location")).toBe(`/staff/finance/bank-files/${importId}?done=rejected`);
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("AWAITING_PAYMENT");
    expect(await prisma.pendingBankTransfer.count({ where: { importId } })).toBe(0);
    expect(await prisma.bankImport.findUniqueOrThrow({ where: { id: importId } })).toMatchObject({ appliedAt: null, decisionReason: "uploaded the wrong day" });
  });

  it("pages past imports newest first by keyset", async () => {
    const finance = await member("FINANCE");
    const now = Date.now();
    for (let i = 0; i < 3; i++) {
      const { order } = await createOrderFixture({ createdAt: new Date(now - 3600_000) });
      const content = bankFileContent([{ paidAt: taipeiIso(new Date(now - 60_000)), bankCode: order.atmBankCode, virtualAccount: order.virtualAccount, amountNtd: 228, bankTxnId: testBankTxnId("PG") }]);
      expect((await post(upload(content, { cookie: finance.cookie, fileName: `page-${i}.csv` }))).data.result?.ok).toBe(true);
    }
    const staff = { id: finance.id, roles: ["FINANCE"] as StaffRole[] };
    const first = await listBankImports({ staff, limit: 2 });
    expect(first.items.map((i) => i.fileName)).toEqual(["page-2.csv", "page-1.csv"]);
    expect(first.nextCursor).toBe(first.items[1]!.id);
    const second = await listBankImports({ staff, limit: 2, cursor: first.nextCursor! });
    expect(second.items[0]!.fileName).toBe("page-0.csv");
    const viaPage = await loader(args(new Request(`${PAGE}?cursor=${first.nextCursor}`, { headers: { Cookie: finance.cookie } })));
    expect(viaPage.paged).toBe(true);
    expect(viaPage.imports.items[0]!.fileName).toBe("page-0.csv");
  });
});

describe("the bank-file page's parts, rendered", () => {
  it("a multipart form with a labelled .csv input; a refusal as an alert listing each line in both languages", async () => {
    const form = await renderPage("zh-TW", createElement(BankFileForm, { maxBytes: BANK_FILE_MAX_BYTES, failure: { fieldErrors: { file: { "zh-TW": "請選擇檔案。", en: "Choose a file." } } } }));
    // HTML attribute names are case-insensitive (React writes this one as encType).
    expect(form.html).toMatch(/<form method="post"[^>]* enctype="multipart\/form-data"/i);
    expect(form.html).toMatch(/<label for="file">銀行對帳檔（\.csv）<\/label>/);
    expect(form.html).toMatch(/<input id="file" name="file" aria-invalid="true" aria-describedby="file-hint file-error" type="file" accept="\.csv,text\/csv"/);
    expect(form.html).toMatch(/<p id="file-error" class="staff-field__error" role="alert">請選擇檔案。<\/p>/);
    expect(form.text).toContain("檔案上限 2 MB");

    const refused = await renderPage("en", createElement(BankFileResult, {
      result: { ok: false, fileName: "broken.csv", problemCount: 2, problems: [
        { line: 0, reason: { "zh-TW": "檔案不是 UTF-8 文字檔", en: "the file is not UTF-8 text" } },
        { line: 4, reason: { "zh-TW": "空白行", en: "empty line" } },
      ] },
    }));
    expect(refused.html).toMatch(/<div role="alert"><h2 id="bank-file-result-title" tabindex="-1">broken.csv has 2 problems; nothing was imported/);
    expect(refused.text).toContain("Whole file the file is not UTF-8 text 檔案不是 UTF-8 文字檔");
    expect(refused.html).toMatch(/<th scope="row" class="reconcile-num">4<\/th><td>empty line<span class="bank-file-problem__other" lang="zh-TW">空白行<\/span>/);

    const imported = await renderPage("zh-TW", createElement(BankFileResult, {
      result: { ok: true, fileName: "bank.csv", summary: { importId: "01900000-0000-7000-8000-000000000009", status: "APPLIED", totalNtd: 684, lines: 3, newTransfers: 2, appliedPayments: 1, duplicates: 1, exceptions: 1, exceptionsByKind: { WRONG_AMOUNT: 1 } } },
    }));
    expect(imported.text).toContain("已匯入 bank.csv。");
    expect(imported.html).toContain('href="/staff/finance/exceptions?kind=WRONG_AMOUNT&amp;status=open"');
    expect(imported.html).toContain('href="/staff/finance/reconcile"');
  });

  it("past imports: Taipei time, who, the counts, a reconcile link and the next page", async () => {
    const table = await renderPage("en", createElement(BankFileImportsTable, {
      imports: [{ id: "01900000-0000-7000-8000-000000000001", fileName: "bank-20261125.csv", importedAt: new Date("2026-11-25T16:30:00Z"), importedBy: "fin.amy", lineCount: 12, newTransfers: 10, duplicates: 2, exceptions: 1, status: "SIGNED" }],
      nextCursor: "01900000-0000-7000-8000-000000000001",
      paged: false,
    }));
    expect(table.html).toContain('<th scope="row" class="bank-file-name">bank-20261125.csv</th>');
    expect(table.html).toMatch(/<time datetime="2026-11-25T16:30:00.000Z">/i);
    expect(table.text).toMatch(/26 Nov 2026.*00:30|2026.*11.*26.*00:30/);
    expect(table.text).toContain("fin.amy Applied (signed by the bank) 12 10 2 1");
    expect(table.html).toContain('aria-label="Reconcile bank-20261125.csv"');
    expect(table.html).toContain('href="/?cursor=01900000-0000-7000-8000-000000000001"');
  });
});
