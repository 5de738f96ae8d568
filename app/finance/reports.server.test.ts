// Finance reports on the real database: Taipei days around midnight UTC+8, exception money kept apart, keyset
// paging that neither skips nor repeats, and a CSV streamed page by page.
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { PaymentMethod, PaymentOutcome, PaymentStatus } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { createOrderFixture } from "../../test/factories/orders";
import { dailyTotals, exportPaymentsCsv, listPayments, paymentsCsv, taipeiDayOf, taipeiIsoTime } from "./reports.server";

let order: Awaited<ReturnType<typeof createOrderFixture>>["order"];

beforeAll(async () => {
  ({ order } = await createOrderFixture({ status: "PAID" }));
});

async function pay({ method, paidAt, amountNtd = 228, outcome = "APPLIED", status = "SUCCEEDED", reference = `ref_${randomUUID()}`, provider }: {
  method: PaymentMethod;
  paidAt: string | null;
  amountNtd?: number;
  outcome?: PaymentOutcome | null;
  status?: PaymentStatus;
  reference?: string;
  provider?: string;
}) {
  return prisma.payment.create({
    data: {
      orderId: order.id, method, amountNtd, status, outcome, paidAt: paidAt ? new Date(paidAt) : null,
      provider: provider ?? (method === "CARD" ? "stripe" : "822"), providerReference: reference,
    },
  });
}

async function readAll(lines: AsyncIterable<string>): Promise<string[]> {
  const all: string[] = [];
  for await (const line of lines) all.push(line);
  return all;
}

const zero = { paidCount: 0, paidNtd: 0, exceptionCount: 0, exceptionNtd: 0 };

describe("Taipei days", () => {
  it("puts 16:00 UTC on the next Taipei day and writes times with +08:00", () => {
    expect(taipeiDayOf(new Date("2026-11-22T15:59:59.999Z"))).toBe("2026-11-22");
    expect(taipeiDayOf(new Date("2026-11-22T16:00:00Z"))).toBe("2026-11-23");
    expect(taipeiIsoTime(new Date("2026-11-22T16:30:05Z"))).toBe("2026-11-23T00:30:05+08:00");
  });
});

describe("dailyTotals", () => {
  it("counts card and ATM per Taipei day on both sides of midnight, zero days included, exception money apart", async () => {
    await pay({ method: "CARD", paidAt: "2026-11-22T16:30:00Z" }); // 23 Nov 00:30 in Taipei
    await pay({ method: "CARD", paidAt: "2026-11-22T15:59:59.999Z" }); // 22 Nov 23:59:59
    await pay({ method: "ATM", paidAt: "2026-11-22T16:00:00Z" }); // 23 Nov 00:00 exactly
    await pay({ method: "ATM", paidAt: "2026-11-22T10:00:00Z" });
    await pay({ method: "ATM", paidAt: "2026-11-22T11:00:00Z" });
    await pay({ method: "ATM", paidAt: "2026-11-23T01:00:00Z", outcome: "LATE_PAYMENT" });
    await pay({ method: "CARD", paidAt: "2026-11-23T17:00:00Z", amountNtd: 100, outcome: "WRONG_AMOUNT" });
    await pay({ method: "CARD", paidAt: "2026-11-23T18:00:00Z", outcome: "DUPLICATE_PAYMENT" });
    await pay({ method: "CARD", paidAt: "2026-11-23T19:00:00Z", amountNtd: 500 });
    // Not takings: a failed attempt, one still pending (no time yet), and days outside the range.
    await pay({ method: "CARD", paidAt: "2026-11-23T03:00:00Z", status: "FAILED", outcome: null });
    await pay({ method: "CARD", paidAt: null, status: "PENDING", outcome: null });
    await pay({ method: "ATM", paidAt: "2026-11-20T15:59:59Z" }); // 20 Nov in Taipei
    await pay({ method: "CARD", paidAt: "2026-11-24T16:00:00Z" }); // 25 Nov in Taipei

    expect(await dailyTotals({ from: "2026-11-21", to: "2026-11-24" })).toEqual([
      { day: "2026-11-21", card: zero, atm: zero },
      { day: "2026-11-22", card: { ...zero, paidCount: 1, paidNtd: 228 }, atm: { ...zero, paidCount: 2, paidNtd: 456 } },
      { day: "2026-11-23", card: { ...zero, paidCount: 1, paidNtd: 228 }, atm: { paidCount: 1, paidNtd: 228, exceptionCount: 1, exceptionNtd: 228 } },
      { day: "2026-11-24", card: { paidCount: 1, paidNtd: 500, exceptionCount: 2, exceptionNtd: 328 }, atm: zero },
    ]);
  });

  it("covers up to 366 days, refuses more or a reversed range, and audits who looked", async () => {
    const staffId = randomUUID();
    const year = await dailyTotals({ from: "2027-01-01", to: "2028-01-01", staff: { id: staffId } });
    expect(year).toHaveLength(366);
    expect(year.at(-1)).toEqual({ day: "2028-01-01", card: zero, atm: zero });
    await expect(dailyTotals({ from: "2027-01-01", to: "2028-01-02" })).rejects.toBeInstanceOf(AppError);
    await expect(dailyTotals({ from: "2027-01-02", to: "2027-01-01" })).rejects.toThrow(/before the start/);
    const audit = await prisma.auditEvent.findMany({ where: { action: "finance.totals_viewed", actorId: staffId } });
    expect(audit.map((event) => event.details)).toEqual([{ from: "2027-01-01", to: "2028-01-01" }]);
  });
});

describe("listPayments", () => {
  it("pages one Taipei day by (paid_at, id): every payment once, in order, ties included; filters by method", async () => {
    const sameInstant = "2026-10-05T02:00:00Z";
    const ids: string[] = [];
    for (const [method, paidAt] of [
      ["CARD", "2026-10-04T16:00:00Z"], ["ATM", sameInstant], ["CARD", sameInstant], ["ATM", sameInstant],
      ["CARD", "2026-10-05T08:00:00Z"], ["ATM", "2026-10-05T12:00:00Z"], ["CARD", "2026-10-05T15:59:59.999Z"],
    ] as const) {
      ids.push((await pay({ method, paidAt })).id);
    }
    await pay({ method: "CARD", paidAt: "2026-10-05T16:00:00Z" }); // the next Taipei day
    await pay({ method: "ATM", paidAt: "2026-10-04T15:59:59.999Z" }); // the day before

    const seen: string[] = [];
    const pageSizes: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await listPayments({ day: "2026-10-05", cursor, limit: 3 });
      pageSizes.push(page.items.length);
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(pageSizes).toEqual([3, 3, 1]);
    expect(new Set(seen).size).toBe(7);
    const tied = ids.slice(1, 4).sort();
    expect(seen).toEqual([ids[0], ...tied, ids[4], ids[5], ids[6]]);

    const atm = await listPayments({ day: "2026-10-05", method: "ATM" });
    expect(atm.items.map((item) => item.method)).toEqual(["ATM", "ATM", "ATM"]);
    expect(atm.nextCursor).toBeNull();
  });

  it("shows the order number and a shortened reference, and refuses a forged cursor", async () => {
    await pay({ method: "CARD", paidAt: "2026-09-01T04:00:00Z", reference: "cs_test_a1B2c3D4e5F6g7H8i9J0kLmNoPqRsTuV" });
    const { items } = await listPayments({ day: "2026-09-01", staff: { id: randomUUID() } });
    expect(items).toEqual([expect.objectContaining({
      orderNumber: order.orderNumber, amountNtd: 228, status: "SUCCEEDED", outcome: "APPLIED",
      providerReference: "cs_test_a1…qRsTuV", paidAt: "2026-09-01T04:00:00.000Z",
    })]);
    await expect(listPayments({ day: "2026-09-01", cursor: "not-a-cursor" })).rejects.toThrow(/page position/);
  });
});

describe("paymentsCsv", () => {
  it("starts with a BOM and a bilingual header; quotes text, keeps NT$ integers and writes +08:00 times", async () => {
    await pay({ method: "ATM", paidAt: "2026-08-10T16:30:00Z", reference: 'TX"7,8' });
    await pay({ method: "CARD", paidAt: "2026-08-11T03:04:05Z", amountNtd: 100, outcome: "WRONG_AMOUNT", reference: "=HYPERLINK(1)" });
    const lines = await readAll(paymentsCsv({ from: "2026-08-11", to: "2026-08-11" }));
    expect(lines).toHaveLength(3);
    expect(lines.every((line) => line.endsWith("\r\n"))).toBe(true);
    expect(lines[0]!.startsWith("\uFEFF\"付款時間 Paid at (Asia/Taipei)\",\"訂單編號 Order number\",")).toBe(true);
    expect(lines[0]).toContain('"金額（新臺幣）Amount (NT$)"');
    expect(lines[1]).toBe(`"2026-08-11T00:30:00+08:00","${order.orderNumber}","ATM",228,"SUCCEEDED","APPLIED","822","TX""7,8"\r\n`);
    expect(lines[2]).toBe(`"2026-08-11T11:04:05+08:00","${order.orderNumber}","CARD",100,"SUCCEEDED","WRONG_AMOUNT","stripe","'=HYPERLINK(1)"\r\n`);
    expect(lines.slice(1).join("")).not.toContain("\uFEFF");

    const card = await readAll(paymentsCsv({ from: "2026-08-11", to: "2026-08-11", method: "CARD" }));
    expect(card.slice(1).map((line) => line.split(",")[2])).toEqual(['"CARD"']);
  });

  it("streams thousands of rows page by page: later pages are read only when the reader gets there", async () => {
    await prisma.$executeRaw`
      INSERT INTO payment (id, order_id, method, amount_ntd, status, provider, provider_reference, paid_at, outcome, updated_at)
      SELECT gen_random_uuid(), ${order.id}::uuid, CASE WHEN n % 2 = 0 THEN 'CARD' ELSE 'ATM' END::"PaymentMethod", 228,
             'SUCCEEDED'::"PaymentStatus", 'bulk', 'bulk_' || n, timestamptz '2026-06-01 00:00+08' + n * interval '1 minute',
             'APPLIED'::"PaymentOutcome", now()
        FROM generate_series(0, 2999) AS n`;
    const lines = paymentsCsv({ from: "2026-06-01", to: "2026-06-03" });
    const head: string[] = [];
    for (let i = 0; i < 5; i++) head.push((await lines.next()).value as string);
    // Recorded after the export began, paid at the end of the range: only a reader that fetches on demand sees it.
    await pay({ method: "CARD", paidAt: "2026-06-03T15:00:00Z", reference: "late_arrival" });
    const rest = await readAll(lines);
    const all = [...head, ...rest];
    expect(all).toHaveLength(1 + 3001);
    expect(all[1]).toContain('"2026-06-01T00:00:00+08:00"');
    expect(all.at(-2)).toContain('"2026-06-03T01:59:00+08:00"');
    expect(all.at(-1)).toContain('"late_arrival"');
    expect(new Set(all.slice(1).map((line) => line.split(",").at(-1))).size).toBe(3001);
  });
});

describe("exportPaymentsCsv", () => {
  it("audits the range, method and row count before streaming and names the file after the range", async () => {
    await pay({ method: "CARD", paidAt: "2026-05-01T01:00:00Z" });
    await pay({ method: "ATM", paidAt: "2026-05-02T01:00:00Z" });
    await pay({ method: "CARD", paidAt: "2026-05-31T15:59:00Z" });
    const staffId = randomUUID();
    const exported = await exportPaymentsCsv({ staff: { id: staffId }, from: "2026-05-01", to: "2026-05-31", method: "CARD" });
    expect(exported.filename).toBe("payments-2026-05-01_2026-05-31-card.csv");
    expect(exported.rows).toBe(2);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "finance.exported", actorId: staffId } });
    expect(audit.actorType).toBe("STAFF");
    expect(audit.details).toEqual({ from: "2026-05-01", to: "2026-05-31", method: "CARD", rows: 2 });
    expect(await readAll(exported.lines)).toHaveLength(3);
    await expect(exportPaymentsCsv({ staff: { id: staffId }, from: "2026-01-01", to: "2027-01-02" })).rejects.toThrow(/366/);
  });
});
