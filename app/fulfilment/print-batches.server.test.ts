import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { createOrderFixture } from "../../test/factories/orders";
import { createPaidOrderFixture } from "../../test/factories/fulfilment";
import { assemblePrintBatches, loadBatchSubmission } from "./print-batches.server";

const HOUR = 3600_000;

describe("assemblePrintBatches", () => {
  it("gathers paid orders, oldest payment first, into batches of at most the configured size, and sets them IN_PRODUCTION", async () => {
    const now = new Date("2026-11-23T02:00:00Z"); // 10:00 in Taipei
    const paid = [];
    for (let i = 0; i < 5; i++) {
      // Created in reverse payment order: the batch must follow paidAt, not creation.
      paid.push(await createPaidOrderFixture({ paidAt: new Date(now.getTime() - (i + 1) * HOUR) }));
    }
    const unpaid = await createOrderFixture();
    const deleted = await createOrderFixture({ status: "DELETED_UNPAID", withApplication: false });

    const batches = await assemblePrintBatches({ now, maxSize: 2 });

    expect(batches.map((b) => [b.batchNumber, b.itemCount])).toEqual([
      ["P1151123-0001", 2],
      ["P1151123-0002", 2],
      ["P1151123-0003", 1],
    ]);
    const items = await prisma.printItem.findMany({
      orderBy: [{ batch: { batchNumber: "asc" } }, { position: "asc" }],
      select: { orderId: true, position: true, status: true, validFrom: true, validUntil: true },
    });
    expect(items.map((i) => i.orderId)).toEqual(paid.map((p) => p.order.id).reverse());
    expect(items.map((i) => i.position)).toEqual([1, 2, 1, 2, 1]);
    expect(items.every((i) => i.status === "QUEUED")).toBe(true);
    // 001: a new card is valid 5 years from its making; whole seconds as in X.509.
    expect(items[0]).toMatchObject({ validFrom: now, validUntil: new Date("2031-11-23T02:00:00Z") });

    const statuses = await prisma.reissueOrder.findMany({ where: { id: { in: paid.map((p) => p.order.id) } }, select: { status: true } });
    expect(statuses.every((s) => s.status === "IN_PRODUCTION")).toBe(true);
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: unpaid.order.id } })).status).toBe("AWAITING_PAYMENT");
    expect(await prisma.printItem.count({ where: { orderId: { in: [unpaid.order.id, deleted.order.id] } } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "order.in_production", subjectId: { in: paid.map((p) => p.order.id) } } })).toBe(5);

    // Nothing left: a second run makes no batch, and the next batch of the day continues the sequence.
    expect(await assemblePrintBatches({ now, maxSize: 2 })).toEqual([]);
    await createPaidOrderFixture();
    expect((await assemblePrintBatches({ now, maxSize: 2 })).map((b) => b.batchNumber)).toEqual(["P1151123-0004"]);
  });

  it("never puts an order into two batches when assemblers run side by side", async () => {
    const orders = await Promise.all(Array.from({ length: 12 }, () => createPaidOrderFixture()));
    const runs = await Promise.all([1, 2, 3].map(() => assemblePrintBatches({ maxSize: 5 })));
    const items = await prisma.printItem.findMany({ where: { orderId: { in: orders.map((o) => o.order.id) } } });
    expect(items).toHaveLength(12);
    expect(new Set(items.map((i) => i.orderId)).size).toBe(12);
    const numbers = runs.flat().map((b) => b.batchNumber);
    expect(new Set(numbers).size).toBe(numbers.length);
  });

  it("sends the holder's name and the card's dates, read back the same on every attempt", async () => {
    const now = new Date("2026-11-23T17:30:00Z"); // 01:30 on 24 November in Taipei
    const { order } = await createPaidOrderFixture({ holderName: "林美惠" });
    const [batch] = await assemblePrintBatches({ now, maxSize: 10 });
    const submission = await loadBatchSubmission(batch!.id);
    expect(submission).toEqual({
      batchNumber: "P1151124-0001",
      cards: [{ orderNumber: order.orderNumber, holderName: "林美惠", validFrom: "2026-11-24", validUntil: "2031-11-24" }],
    });
    expect(await loadBatchSubmission(batch!.id)).toEqual(submission);
    // Only what is printed on the card crosses: no address, phone, e-mail or ID number.
    expect(JSON.stringify(submission)).not.toMatch(/0912345678|applicant@|重慶南路/);
  });
});
