// Keeps `npm run bench:orders` from rotting: the same code path with tiny numbers, in this file's database.
// Timings are machine-dependent and not asserted; what each step did is.
import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { QUEUE_NAMES, queue } from "~/lib/queue.server";
import { benchOrders } from "./orders";

describe("bench:orders", () => {
  it("creates orders through the domain, times raw inserts, sweeps bulk-inserted unpaid orders, and cleans its table", { timeout: 60_000 }, async () => {
    const result = await benchOrders({ orders: 3, sweepOrders: 40 });
    expect(result.orders).toBe(3);
    expect(result.sweep).toMatchObject({ orders: 40, deleted: 40, batches: 1 });
    for (const rate of [result.ordersPerSecond, result.rawInsertsPerSecond, result.sweep.seconds]) expect(Number.isFinite(rate)).toBe(true);

    // The domain orders are real: awaiting payment, each with its deletion job; the swept ones are tombstones.
    const open = await prisma.reissueOrder.findMany({ where: { status: "AWAITING_PAYMENT" }, include: { application: true } });
    expect(open).toHaveLength(3);
    for (const order of open) {
      expect(order.application).not.toBeNull();
      expect(await queue(QUEUE_NAMES.orders).getJob(order.id)).toBeDefined();
    }
    expect(await prisma.reissueOrder.count({ where: { status: "DELETED_UNPAID", application: null } })).toBe(40);
    const leftover = await prisma.$queryRaw<Array<{ exists: boolean }>>`SELECT to_regclass('bench_raw_order') IS NOT NULL AS exists`;
    expect(leftover[0]!.exists).toBe(false);
  });
});
