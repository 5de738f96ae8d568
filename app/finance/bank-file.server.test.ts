import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { receiveBankTransfer } from "~/payments/bank-transfer.server";
import { signBankFileForTest } from "../../test/factories/finance";
import { createOrderFixture } from "../../test/factories/orders";
import { BANK_FILE_HEADER, importBankFile, parseBankFile } from "./bank-file.server";

const fixtures = path.resolve(import.meta.dirname, "../../test/fixtures/bank");
let sequence = 0;
const txnId = () => `FILE-${process.pid}-${++sequence}`;
const taipeiIso = (date: Date) => new Date(date.getTime() + 8 * 3600_000).toISOString().replace(/\.\d{3}Z$/, "+08:00");

interface Row { paidAt: Date; virtualAccount: string; amount?: number; bankTxnId?: string; bankCode?: string }

function bankFile(rows: Row[], { bom = false, crlf = false } = {}): Uint8Array {
  const eol = crlf ? "\r\n" : "\n";
  const lines = rows.map((r) => [taipeiIso(r.paidAt), r.bankCode ?? "822", r.virtualAccount, r.amount ?? 228, r.bankTxnId ?? txnId()].join(","));
  return new TextEncoder().encode(`${bom ? "\ufeff" : ""}${[BANK_FILE_HEADER, ...lines].join(eol)}${eol}`);
}

// Signed by the bank, so applied at import (unsigned files wait for approval: bank-file-approval.server.test.ts).
const importFile = (content: Uint8Array, fileName = "bank-20261125.csv") =>
  importBankFile({ fileName, content, signature: signBankFileForTest(content), importedBy: "test:finance" });

async function snapshot() {
  const statuses = await prisma.reissueOrder.groupBy({ by: ["status"], _count: true, orderBy: { status: "asc" } });
  return {
    transfers: await prisma.bankTransfer.count(),
    payments: await prisma.payment.count(),
    imports: await prisma.bankImport.count(),
    exceptions: await prisma.financeException.count(),
    mails: await prisma.mailOutbox.count(),
    statuses: statuses.map((s) => [s.status, s._count]),
  };
}

describe("parseBankFile", () => {
  it("names every malformed line of the fixture by its file line number, in zh-TW and English", async () => {
    const parsed = parseBankFile(await readFile(path.join(fixtures, "malformed.csv")));
    const byLine = new Map(parsed.problems.map((p) => [p.line, p.reason]));
    expect([...byLine.keys()]).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(byLine.get(3)!.en).toMatch(/paid_at .* UTC offset/);
    expect(byLine.get(3)!["zh-TW"]).toMatch(/時區/);
    expect(byLine.get(4)!.en).toMatch(/bank_code "82"/);
    expect(byLine.get(5)!.en).toMatch(/virtual_account "9528123456789" is not 14 digits/);
    expect(byLine.get(6)!.en).toMatch(/amount "228.00"/);
    expect(byLine.get(7)!.en).toMatch(/amount "0"/);
    expect(byLine.get(8)!.en).toMatch(/bank_txn_id/);
    expect(byLine.get(9)!.en).toBe("bank_txn_id FIX-0001 repeats line 2");
    expect(byLine.get(10)!.en).toBe("expected 5 fields, found 4");
    expect(byLine.get(11)!.en).toBe("empty line");
    expect(byLine.get(12)!.en).toMatch(/paid_at "2026-02-30/);
    // Line 13's account fails its check digit: well-formed, so it is not a format error (it will be UNMATCHED).
    expect(parsed.lines.map((l) => l.line)).toEqual([2, 13]);
  });

  it("accepts a UTF-8 BOM, CRLF line ends and a trailing empty line", () => {
    const parsed = parseBankFile(bankFile([{ paidAt: new Date("2026-11-25T06:03:00Z"), virtualAccount: "95281234567897", bankTxnId: "A1" }], { bom: true, crlf: true }));
    expect(parsed.problems).toEqual([]);
    expect(parsed.lines).toEqual([{ line: 2, paidAt: new Date("2026-11-25T06:03:00Z"), bankCode: "822", virtualAccount: "95281234567897", amountNtd: 228, bankTxnId: "A1" }]);
  });

  it("refuses a wrong header, and a file that is not UTF-8", () => {
    expect(parseBankFile(new TextEncoder().encode("paid_at,bank,account,amount,id\n")).problems).toMatchObject([{ line: 1 }]);
    expect(parseBankFile(new TextEncoder().encode("")).problems).toMatchObject([{ line: 1 }]);
    expect(parseBankFile(Uint8Array.from([0xff, 0xfe, 0x41])).problems).toMatchObject([{ line: 0, reason: { en: "the file is not UTF-8 text" } }]);
  });
});

describe("importBankFile", () => {
  it("applies nothing when any line is malformed, and names every bad line", async () => {
    const { order } = await createOrderFixture();
    const good = { paidAt: new Date(), virtualAccount: order.virtualAccount };
    const text = new TextDecoder().decode(bankFile([good, good, good]));
    const lines = text.split("\n");
    lines[2] = lines[2]!.replace(/,228,/, ",22x,");
    lines[3] = lines[3]!.replace(/\+08:00/, "");
    const before = await snapshot();
    const result = await importFile(new TextEncoder().encode(lines.join("\n")));
    expect(result).toMatchObject({ ok: false, problems: [{ line: 3 }, { line: 4 }] });
    expect(await snapshot()).toEqual(before);
  });

  it("imports a file whole, and the same file again changes nothing", async () => {
    const paid = await createOrderFixture();
    const short = await createOrderFixture();
    const now = new Date();
    const content = bankFile([
      { paidAt: now, virtualAccount: paid.order.virtualAccount },
      { paidAt: now, virtualAccount: short.order.virtualAccount, amount: 200 },
      { paidAt: now, virtualAccount: "95280000000000" },
    ]);
    const first = await importFile(content);
    expect(first).toMatchObject({ ok: true, summary: { lines: 3, newTransfers: 3, appliedPayments: 1, duplicates: 0, exceptions: 2, exceptionsByKind: { WRONG_AMOUNT: 1, UNMATCHED_TRANSFER: 1 } } });
    if (!first.ok) throw new Error("unreachable");
    expect(await prisma.bankImport.findUniqueOrThrow({ where: { id: first.summary.importId } })).toMatchObject({
      fileName: "bank-20261125.csv", lineCount: 3, newTransfers: 3, duplicates: 0, exceptions: 2, importedBy: "test:finance", fileSha256: first.summary.fileSha256,
    });
    expect(await prisma.bankTransfer.count({ where: { importId: first.summary.importId, source: "FILE" } })).toBe(3);
    expect(await prisma.reissueOrder.findUniqueOrThrow({ where: { id: paid.order.id } })).toMatchObject({ status: "PAID" });

    const before = await snapshot();
    const second = await importFile(content);
    expect(second).toMatchObject({ ok: true, summary: { lines: 3, newTransfers: 0, appliedPayments: 0, duplicates: 3, exceptions: 0 } });
    const after = await snapshot();
    expect(after).toEqual({ ...before, imports: before.imports + 1 });
  });

  it("counts a transfer the callback already brought as a duplicate, and records that the file confirmed it", async () => {
    const { order } = await createOrderFixture();
    const other = await createOrderFixture();
    // Whole seconds: the file carries no milliseconds, and a different time would be a conflict, not a duplicate.
    const viaCallback = { bankTxnId: txnId(), paidAt: new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000), virtualAccount: order.virtualAccount };
    await prisma.$transaction((tx) => receiveBankTransfer(tx, { ...viaCallback, bankCode: "822", amountNtd: 228, source: "CALLBACK" }));
    const result = await importFile(bankFile([viaCallback, { paidAt: new Date(), virtualAccount: other.order.virtualAccount }]));
    expect(result).toMatchObject({ ok: true, summary: { lines: 2, newTransfers: 1, appliedPayments: 1, duplicates: 1, exceptions: 0 } });
    expect(await prisma.payment.count({ where: { orderId: order.id } })).toBe(1);
    const confirmed = await prisma.bankTransfer.findUniqueOrThrow({ where: { bankTxnId: viaCallback.bankTxnId } });
    expect(confirmed).toMatchObject({ source: "CALLBACK" });
    expect(confirmed.importId).toBe(result.ok ? result.summary.importId : "no import");
  });

  it("rejects the whole file when a bank_txn_id was reported before with other facts, naming the line", async () => {
    const { order } = await createOrderFixture();
    const other = await createOrderFixture();
    const earlier = { bankTxnId: txnId(), paidAt: new Date(), virtualAccount: order.virtualAccount };
    await prisma.$transaction((tx) => receiveBankTransfer(tx, { ...earlier, bankCode: "822", amountNtd: 228, source: "CALLBACK" }));
    const before = await snapshot();
    const result = await importFile(bankFile([{ paidAt: new Date(), virtualAccount: other.order.virtualAccount }, { ...earlier, amount: 2280 }]));
    expect(result).toMatchObject({ ok: false, problems: [{ line: 3 }] });
    if (result.ok) throw new Error("unreachable");
    expect(result.problems[0]!.reason.en).toContain(earlier.bankTxnId);
    expect(await snapshot()).toEqual(before);
  });

  it("pays with the earliest-dated of two transfers to one order, whatever their order in the file", async () => {
    const { order } = await createOrderFixture();
    const early = { paidAt: new Date(Date.now() - 120_000), virtualAccount: order.virtualAccount, bankTxnId: txnId() };
    const later = { paidAt: new Date(Date.now() - 60_000), virtualAccount: order.virtualAccount, bankTxnId: txnId() };
    const result = await importFile(bankFile([later, early]));
    expect(result).toMatchObject({ ok: true, summary: { appliedPayments: 1, exceptionsByKind: { DUPLICATE_PAYMENT: 1 } } });
    const payments = await prisma.payment.findMany({ where: { orderId: order.id } });
    expect(payments.find((p) => p.outcome === "APPLIED")?.providerReference).toBe(early.bankTxnId);
  });

  it("runs alongside callbacks for the same transfers without deadlock, each transfer and payment once", { timeout: 60_000 }, async () => {
    const orders = await Promise.all(Array.from({ length: 30 }, () => createOrderFixture()));
    const paidAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    // Two transfers per order: the file locks an order at its first and still has the second to insert, which is
    // exactly when a callback carrying that second transfer must queue behind the order lock, not hold the txn id.
    const first = orders.map((o) => ({ paidAt, virtualAccount: o.order.virtualAccount, bankTxnId: txnId() }));
    const second = orders.map((o) => ({ paidAt: new Date(paidAt.getTime() + 1000), virtualAccount: o.order.virtualAccount, bankTxnId: txnId() }));
    const fileImport = importFile(bankFile([...first, ...second]));
    const callbacks = Promise.all([...second].reverse().map((r) =>
      prisma.$transaction((tx) => receiveBankTransfer(tx, { ...r, bankCode: "822", amountNtd: 228, source: "CALLBACK" }))));
    const [result, delivered] = await Promise.all([fileImport, callbacks]);
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    expect(result.summary.newTransfers + delivered.filter((d) => !d.duplicate).length).toBe(60);
    expect(result.summary.newTransfers + result.summary.duplicates).toBe(60);
    const ids = orders.map((o) => o.order.id);
    const payments = await prisma.payment.findMany({ where: { orderId: { in: ids } } });
    expect(payments).toHaveLength(60);
    // Whichever of an order's two transfers settles first pays it; the other is listed for refund.
    expect(new Set(payments.filter((p) => p.outcome === "APPLIED").map((p) => p.orderId)).size).toBe(30);
    expect(payments.filter((p) => p.outcome === "DUPLICATE_PAYMENT")).toHaveLength(30);
    expect(await prisma.mailOutbox.count({ where: { orderId: { in: ids } } })).toBe(30);
  });

  it("imports 2,000 lines in one transaction and reports progress", { timeout: 120_000 }, async () => {
    const orders = await Promise.all(Array.from({ length: 20 }, () => createOrderFixture()));
    const rows: Row[] = Array.from({ length: 2000 }, (_, i) => ({
      paidAt: new Date(Date.now() - 3_600_000 + i),
      virtualAccount: i < orders.length ? orders[i]!.order.virtualAccount : `9528${String(i).padStart(10, "0")}`,
    }));
    const seen: number[] = [];
    const content = bankFile(rows);
    const result = await importBankFile({ fileName: "big.csv", content, signature: signBankFileForTest(content), importedBy: "test:finance", onProgress: (done) => seen.push(done) });
    expect(result).toMatchObject({ ok: true, summary: { lines: 2000, newTransfers: 2000, appliedPayments: 20, exceptionsByKind: { UNMATCHED_TRANSFER: 1980 } } });
    expect(seen).toHaveLength(2000);
    expect(seen.at(-1)).toBe(2000);
  });
});
