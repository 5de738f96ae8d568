// Keeps `npm run bench:support` from rotting: the same seed and measurement with small numbers, in this file's
// database. What the seed made is checked row by row; the report must carry its lines; timings are not asserted.
import { beforeAll, describe, expect, it } from "vitest";
import { nationalIdHash } from "~/cards/national-id.server";
import { prisma } from "~/lib/db.server";
import { parseOrderNumber, rocDateDigits } from "~/orders/order-number";
import { isValidVirtualAccount } from "~/payments/virtual-account";
import { findOrderByMailNumber } from "~/support/search.server";
import { benchMailNumberLookups, formatSupportReport, percentile } from "./support";
import { benchMailNumber, benchNationalId, MAILED_STATUSES, PAID_STATUSES, plannedStatusCounts, seedSupportOrders, type SeedResult } from "./support-seed";

const ORDERS = 2_000;
const now = new Date();
let seed: SeedResult;

beforeAll(async () => {
  // Chunks smaller than the count: the chunk boundaries must not repeat or skip a row.
  seed = await seedSupportOrders({ databaseUrl: process.env.DATABASE_URL!, orders: ORDERS, now, chunk: 700 });
}, 60_000);

describe("bench:support seed", () => {
  it("makes the planned number of orders in each status, and of holders each with a card", async () => {
    const planned = plannedStatusCounts(ORDERS);
    expect(Object.values(planned).reduce((a, b) => a + b, 0)).toBe(ORDERS);
    for (const status of ["AWAITING_PAYMENT", "PAID", "IN_PRODUCTION", "MAILED", "DELIVERED", "ACTIVATED", "DELETED_UNPAID"] as const) {
      expect(planned[status], status).toBeGreaterThan(0);
    }
    const rows = await prisma.reissueOrder.groupBy({ by: ["status"], _count: true });
    expect(Object.fromEntries(rows.map((r) => [r.status, r._count]))).toEqual(planned);
    expect(seed.statusCounts).toEqual(planned);
    expect(await prisma.holder.count()).toBe(ORDERS / 4);
    expect(await prisma.card.count()).toBe(ORDERS / 4);
    expect(await prisma.holder.count({ where: { cards: { none: {} } } })).toBe(0);
  });

  it("gives every letter a unique 20-digit number, and every MAILED/DELIVERED/ACTIVATED order its letter", async () => {
    const letters = await prisma.registeredMail.findMany({ select: { mailNumber: true, status: true, order: { select: { status: true } } } });
    expect(letters.length).toBe(seed.registeredMail);
    expect(new Set(letters.map((l) => l.mailNumber)).size).toBe(letters.length);
    for (const letter of letters) {
      expect(letter.mailNumber).toMatch(/^\d{20}$/);
      expect(MAILED_STATUSES).toContain(letter.order.status);
      if (letter.order.status !== "MAILED") expect(letter.status).toBe("DELIVERED");
    }
    expect(await prisma.reissueOrder.count({ where: { status: { in: MAILED_STATUSES }, registeredMail: null } })).toBe(0);
    expect(letters.length).toBe(await prisma.reissueOrder.count({ where: { status: { in: MAILED_STATUSES } } }));
    expect(benchMailNumber(0)).not.toBe(benchMailNumber(1));
  });

  it("keeps applications and payments where the status does, and tombstones empty", async () => {
    const orders = await prisma.reissueOrder.findMany({
      include: { application: { select: { orderId: true } }, payments: { select: { status: true, amountNtd: true, paidAt: true } } },
    });
    for (const order of orders) {
      const paid = PAID_STATUSES.includes(order.status);
      expect(order.application === null, order.status).toBe(order.status === "DELETED_UNPAID");
      expect(order.payments.length, order.status).toBe(paid ? 1 : 0);
      if (paid) expect(order.payments[0]).toMatchObject({ status: "SUCCEEDED", amountNtd: 228, paidAt: order.paidAt });
      expect(order.paidAt === null).toBe(!paid);
      expect(order.createdAt.getTime()).toBeLessThanOrEqual(now.getTime());
      if (order.status === "AWAITING_PAYMENT") expect(order.paymentDeadline.getTime()).toBeGreaterThan(now.getTime());
      if (order.status === "DELETED_UNPAID") expect(order.deletedAt!.getTime()).toBeLessThanOrEqual(now.getTime());
      expect(order.activatedAt === null).toBe(order.status !== "ACTIVATED");
      if (order.activationLockedAt) expect(order.activationFailures).toBe(4);
      // Keys a person types at the desk are well-formed: the check digits hold, the date is the order's own.
      expect(parseOrderNumber(order.orderNumber)).toBe(order.orderNumber);
      expect(order.orderNumber.slice(0, 7)).toBe(rocDateDigits(order.createdAt));
      expect(isValidVirtualAccount(order.virtualAccount)).toBe(true);
    }
    expect(orders.some((o) => o.activationLockedAt)).toBe(true);
  });

  it("hashes holders' national IDs with this environment's key, so the desk finds them", async () => {
    const holder = await prisma.holder.findUnique({ where: { nationalIdHash: nationalIdHash(benchNationalId(123)) } });
    expect(holder?.nationalIdLast4).toBe(benchNationalId(123).slice(-4));
  });
});

describe("bench:support look-ups", () => {
  it("finds the right order by mail number through the desk's function", async () => {
    const letters = await prisma.registeredMail.findMany({ take: 20, select: { mailNumber: true, order: { select: { orderNumber: true } } } });
    for (const letter of letters) expect(await findOrderByMailNumber(letter.mailNumber)).toEqual({ orderNumber: letter.order.orderNumber });
    expect(await findOrderByMailNumber("14000000000000000000")).toBeNull();
  });

  it("counts wrong answers, prints p50/p95/p99/max and the ratio, and shows the unique index in the plan", { timeout: 30_000 }, async () => {
    const result = await benchMailNumberLookups({ lookups: 200, warmup: 20 });
    expect(result).toMatchObject({ lookups: 200, known: 180, unknown: 20, wrongAnswers: 0, deskSearch: { wrongAnswers: 0 } });
    // The desk's own search box went through its audit trail, once per look-up (warm-up included).
    expect(await prisma.auditEvent.count({ where: { action: "support.looked_up" } })).toBe(220);
    expect(result.plan.join("\n")).toContain("Index Scan using registered_mail_mail_number_key");
    expect(result.indexes.map((index) => index.name)).toContain("registered_mail_mail_number_key");

    // A look-up answering the wrong order is counted, not hidden.
    const wrong = await benchMailNumberLookups({ lookups: 20, warmup: 0, find: async () => ({ orderNumber: "0" }), deskSearch: false });
    expect(wrong.wrongAnswers).toBe(20);

    const report = formatSupportReport(seed, result);
    for (const label of ["p50", "p95", "p99", "max", "look-ups per second", "ratio look-up p50 / SELECT 1 p50"]) {
      expect(report.some((line) => line.startsWith(`${label}: `)), label).toBe(true);
    }
    expect(report.join("\n")).toMatch(/seeded 2,000 orders for 500 holders/);
    expect(report.some((line) => line.startsWith("desk search box"))).toBe(true);
  });

  it("takes nearest-rank percentiles", () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(sorted, 50), percentile(sorted, 99), percentile(sorted, 100)]).toEqual([50, 99, 100]);
    expect(percentile([7], 99)).toBe(7);
  });
});
