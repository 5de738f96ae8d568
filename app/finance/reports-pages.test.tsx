// The finance pages as Remix calls them, with a real FINANCE session: the overview's totals, the payments list's
// pages, the CSV download and its audit row; and the chart and table as rendered HTML.
import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { DailyChart } from "~/components/staff/finance/daily-chart";
import { DailyTable } from "~/components/staff/finance/daily-table";
import type { PaymentMethod } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { loader as overviewLoader } from "~/routes/staff.finance._index";
import { loader as exportLoader } from "~/routes/staff.finance.export";
import { loader as paymentsLoader } from "~/routes/staff.finance.payments";
import { loader as layoutLoader } from "~/routes/staff.finance";
import { createStaffAccount } from "~/staff/staff-accounts.server";
import { startStaffSession } from "~/staff/staff-session.server";
import { createOrderFixture } from "../../test/factories/orders";
import { renderPage } from "../../test/support/render-page";
import { settle } from "../../test/support/route-requests";
import type { DailyTotal } from "./reports.server";

const BASE = "http://localhost";
type Loaded<T> = { data: T; init: { status: number } | null };

let finance: { id: string; cookie: string };
let support: { id: string; cookie: string };
let order: Awaited<ReturnType<typeof createOrderFixture>>["order"];

async function member(role: "FINANCE" | "SUPPORT") {
  const { id } = await createStaffAccount({ username: `fin.${randomBytes(4).toString("hex")}`, displayName: "財務測試", password: "long enough password", roles: [role] });
  return { id, cookie: (await startStaffSession(new Request(BASE), { id })).get("Set-Cookie")!.split(";")[0]! };
}

beforeAll(async () => {
  [finance, support, { order }] = await Promise.all([member("FINANCE"), member("SUPPORT"), createOrderFixture({ status: "PAID" })]);
});

const get = (path: string, cookie = finance.cookie) => ({ request: new Request(`${BASE}${path}`, { headers: { Cookie: cookie } }), params: {}, context: { clientIp: "10.1.2.3" } });

function pay(method: PaymentMethod, paidAt: string, amountNtd = 228, outcome: "APPLIED" | "LATE_PAYMENT" = "APPLIED") {
  return prisma.payment.create({
    data: { orderId: order.id, method, amountNtd, status: "SUCCEEDED", outcome, paidAt: new Date(paidAt), provider: method === "CARD" ? "stripe" : "822", providerReference: `ref_${randomUUID()}` },
  });
}

describe("/staff/finance (layout and overview)", () => {
  it("is finance's: the layout lets finance in and refuses support", async () => {
    expect(await layoutLoader(get("/staff/finance"))).toBeNull();
    const refused = (await settle(layoutLoader(get("/staff/finance", support.cookie)))) as Response;
    expect(refused.status).toBe(403);
  });

  it("gives each day's totals for the range asked, and answers a bad range 400 with the field's error", async () => {
    await pay("CARD", "2026-11-22T16:30:00Z");
    await pay("ATM", "2026-11-22T15:00:00Z", 228);
    await pay("ATM", "2026-11-23T02:00:00Z", 228, "LATE_PAYMENT");
    const ok = (await overviewLoader(get("/staff/finance?from=2026-11-21&to=2026-11-23"))) as unknown as Loaded<{ range: unknown; days: DailyTotal[]; errors: unknown }>;
    expect(ok.init?.status).toBe(200);
    expect(ok.data.range).toEqual({ from: "2026-11-21", to: "2026-11-23" });
    expect(ok.data.days.map((day) => [day.day, day.card.paidNtd, day.atm.paidNtd, day.atm.exceptionNtd])).toEqual([
      ["2026-11-21", 0, 0, 0], ["2026-11-22", 0, 228, 0], ["2026-11-23", 228, 0, 228],
    ]);
    expect(await prisma.auditEvent.count({ where: { action: "finance.totals_viewed", actorId: finance.id } })).toBe(1);

    const bad = (await overviewLoader(get("/staff/finance?from=2026-11-23&to=2026-11-01"))) as unknown as Loaded<{ days: DailyTotal[]; errors: Record<string, Record<string, string>> }>;
    expect(bad.init?.status).toBe(400);
    expect(bad.data.errors.to?.en).toMatch(/before the start date/);
    expect(bad.data.days).toHaveLength(30);
  });
});

describe("the daily chart and table", () => {
  const days: DailyTotal[] = [
    { day: "2026-11-22", card: { paidCount: 2, paidNtd: 456, exceptionCount: 0, exceptionNtd: 0 }, atm: { paidCount: 1, paidNtd: 228, exceptionCount: 1, exceptionNtd: 100 } },
    { day: "2026-11-23", card: { paidCount: 0, paidNtd: 0, exceptionCount: 0, exceptionNtd: 0 }, atm: { paidCount: 0, paidNtd: 0, exceptionCount: 0, exceptionNtd: 0 } },
  ];

  it("draws a labelled SVG with NT$ on its axis and stacked card and ATM bars in proportion", async () => {
    const { html } = await renderPage("en", <DailyChart days={days} from="2026-11-22" to="2026-11-23" />);
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="finance-chart-title finance-chart-desc"/);
    expect(html).toContain('<title id="finance-chart-title">Paid per day, 2026-11-22 to 2026-11-23</title>');
    expect(html).toMatch(/<desc id="finance-chart-desc">[^<]*2 days, NT\$684 in all, at most NT\$684 in a day/);
    expect(html).toContain(">NT$0</text>");
    expect(html).toContain(">NT$800</text>");
    const heights = [...html.matchAll(/<rect class="finance-chart__(card|atm)"[^>]*height="([\d.]+)"/g)].map((m) => [m[1], Number(m[2])] as const);
    expect(heights.map(([kind]) => kind)).toEqual(["card", "atm", "card", "atm"]);
    expect(heights[0]![1] / heights[1]![1]).toBeCloseTo(2);
    expect(heights[2]![1]).toBe(0);
  });

  it("gives the same numbers as a table with a caption and header cells scoped to columns and rows", async () => {
    const { html, text } = await renderPage("zh-TW", <DailyTable days={days} from="2026-11-22" to="2026-11-23" />);
    expect(html).toContain("<caption");
    expect(html.match(/<th scope="col">/g)).toHaveLength(5);
    expect(html.match(/<th scope="row">/g)).toHaveLength(3);
    expect(text).toContain("2026-11-22 NT$456（2 筆） NT$228（1 筆） NT$684（3 筆） NT$100（1 筆）");
    expect(text).toContain("合計 NT$456（2 筆） NT$228（1 筆） NT$684（3 筆） NT$100（1 筆）");
  });
});

describe("/staff/finance/payments", () => {
  type Page = Loaded<{ page: { items: Array<{ id: string; method: string }>; nextCursor: string | null }; isFirstPage: boolean; formError: unknown }>;

  it("lists a Taipei day's payments by method and follows the next-page cursor, each payment once", async () => {
    await pay("CARD", "2026-07-01T15:59:59Z"); // 23:59:59 on 1 July in Taipei
    await pay("ATM", "2026-07-01T16:00:00Z"); // 00:00 on 2 July
    await prisma.payment.createMany({
      data: Array.from({ length: 52 }, (_, i) => ({
        orderId: order.id, method: "CARD" as const, amountNtd: 228, status: "SUCCEEDED" as const, outcome: "APPLIED" as const,
        paidAt: new Date(Date.UTC(2026, 6, 2, 1, i)), provider: "stripe", providerReference: `page_${i}`,
      })),
    });
    const atm = (await paymentsLoader(get("/staff/finance/payments?day=2026-07-02&method=atm"))) as unknown as Page;
    expect(atm.data.page.items.map((item) => item.method)).toEqual(["ATM"]);

    const seen: string[] = [];
    const first = (await paymentsLoader(get("/staff/finance/payments?day=2026-07-02&method=card"))) as unknown as Page;
    expect(first.data.isFirstPage).toBe(true);
    seen.push(...first.data.page.items.map((item) => item.id));
    const cursor = first.data.page.nextCursor!;
    const second = (await paymentsLoader(get(`/staff/finance/payments?day=2026-07-02&method=card&cursor=${cursor}`))) as unknown as Page;
    expect(second.data.isFirstPage).toBe(false);
    expect(second.data.page.nextCursor).toBeNull();
    seen.push(...second.data.page.items.map((item) => item.id));
    expect([first.data.page.items.length, second.data.page.items.length]).toEqual([50, 2]);
    expect(new Set(seen).size).toBe(52);
    expect(await prisma.auditEvent.count({ where: { action: "finance.payments_listed", actorId: finance.id } })).toBe(3);
  });

  it("answers a forged cursor or a bad day with 400 and the first page of a valid day", async () => {
    const forged = (await paymentsLoader(get("/staff/finance/payments?day=2026-07-02&cursor=abc"))) as unknown as Page;
    expect(forged.init?.status).toBe(400);
    expect(forged.data.isFirstPage).toBe(true);
    expect(forged.data.formError).toMatchObject({ en: expect.stringMatching(/first page/) });
    const badDay = (await paymentsLoader(get("/staff/finance/payments?day=2026-02-30"))) as unknown as Loaded<{ errors: Record<string, Record<string, string>> }>;
    expect(badDay.init?.status).toBe(400);
    expect(badDay.data.errors.day?.en).toMatch(/YYYY-MM-DD/);
  });
});

describe("/staff/finance/export", () => {
  it("streams the range as a UTF-8 CSV attachment with a BOM, and audits who exported which range and how many rows", async () => {
    await pay("CARD", "2026-03-31T16:00:00Z"); // 1 April in Taipei
    await pay("ATM", "2026-04-30T15:59:59Z"); // still 30 April
    await pay("ATM", "2026-04-30T16:00:00Z"); // 1 May: outside
    const response = (await exportLoader(get("/staff/finance/export?from=2026-04-01&to=2026-04-30"))) as Response;
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe('attachment; filename="payments-2026-04-01_2026-04-30.csv"');
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(response.body).toBeInstanceOf(ReadableStream);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes).split("\r\n").filter(Boolean);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain("訂單編號 Order number");
    expect(lines[1]).toMatch(/^"2026-04-01T00:00:00\+08:00","[^"]+","CARD",228,/);
    expect(lines[2]).toMatch(/^"2026-04-30T23:59:59\+08:00",/);

    const audit = await prisma.auditEvent.findMany({ where: { action: "finance.exported", actorId: finance.id } });
    expect(audit.map((event) => [event.actorType, event.details])).toEqual([["STAFF", { from: "2026-04-01", to: "2026-04-30", method: null, rows: 2 }]]);
  });

  it("refuses a range over 366 days (400, nothing exported) and support staff (403)", async () => {
    const before = await prisma.auditEvent.count({ where: { action: "finance.exported" } });
    const tooLong = (await exportLoader(get("/staff/finance/export?from=2026-01-01&to=2027-01-02"))) as Response;
    expect(tooLong.status).toBe(400);
    expect(await tooLong.text()).toContain("366");
    const refused = (await settle(exportLoader(get("/staff/finance/export?from=2026-04-01&to=2026-04-30", support.cookie)))) as Response;
    expect(refused.status).toBe(403);
    expect(await prisma.auditEvent.count({ where: { action: "finance.exported" } })).toBe(before);
  });
});
