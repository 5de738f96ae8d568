import { QueueEvents, Worker } from "bullmq";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { QUEUE_NAMES, queue } from "~/lib/queue.server";
import { createRedis } from "~/lib/redis.server";
import { bulkInsertUnpaidOrders } from "../../scripts/bench/orders";
import { importBankFileForDayOf } from "../../test/factories/bank-days";
import { createHolderAndCard, createOrderFixture, testUserCodeHash } from "../../test/factories/orders";
import { processOrdersJob } from "../../workers/orders";
import { DELETE_UNPAID_JOB, scheduleUnpaidOrderDeletion } from "./deletion-schedule.server";
import { deleteUnpaidOrder, sweepUnpaidOrders } from "./deletion.server";
import { cardOutcomeAwaitedUntil, deletionCertainAt, deletionDueAt } from "./payment-window.server";

const SECOND = 1000;

// The mechanics of deletion, not the wait for the bank's report (app/payments/atm-payment-lag.test.ts): the daily
// files are in for every day these orders touch, so an unpaid order without an open checkout is due at its deadline.
beforeAll(async () => {
  await importBankFileForDayOf(new Date(Date.now() + 30 * 24 * 3600 * SECOND));
});

async function deletionEvents(orderId: string) {
  return prisma.auditEvent.count({ where: { action: "order.deleted_unpaid", subjectType: "order", subjectId: orderId } });
}

describe("deleteUnpaidOrder", () => {
  it("keeps an order 1 s before deletion is due and deletes it when due, keeping a tombstone without personal data", async () => {
    const { order } = await createOrderFixture();
    const due = deletionDueAt(order.paymentDeadline);
    expect(await deleteUnpaidOrder({ orderId: order.id, now: new Date(due.getTime() - SECOND) })).toBe("not_due");
    expect(await prisma.reissueApplication.count({ where: { orderId: order.id } })).toBe(1);

    expect(await deleteUnpaidOrder({ orderId: order.id, now: due })).toBe("deleted");
    expect(await prisma.reissueApplication.count({ where: { orderId: order.id } })).toBe(0);
    const tombstone = await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } });
    expect(tombstone).toMatchObject({
      status: "DELETED_UNPAID",
      deletedAt: due,
      orderNumber: order.orderNumber,
      amountNtd: 228,
      virtualAccount: order.virtualAccount,
      atmBankCode: order.atmBankCode,
      paymentDeadline: order.paymentDeadline,
    });
    // Nothing the applicant typed survives anywhere the order points to.
    const everything = JSON.stringify(await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id }, include: { application: true } }));
    expect(everything).not.toContain("applicant@example.tw");
    expect(everything).not.toContain("0912345678");
  });

  it("deletes once: a second run changes nothing and the timeline shows one deletion", async () => {
    const { order } = await createOrderFixture();
    const due = deletionDueAt(order.paymentDeadline);
    expect(await deleteUnpaidOrder({ orderId: order.id, now: due })).toBe("deleted");
    expect(await deleteUnpaidOrder({ orderId: order.id, now: new Date(due.getTime() + SECOND) })).toBe("not_awaiting_payment");
    expect(await deletionEvents(order.id)).toBe(1);
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).deletedAt).toEqual(due);
  });

  it("never deletes a paid order, neither by its job nor by the sweeper", async () => {
    const { order } = await createOrderFixture({ status: "PAID" });
    const late = new Date(deletionDueAt(order.paymentDeadline).getTime() + 3600 * SECOND);
    expect(await deleteUnpaidOrder({ orderId: order.id, now: late })).toBe("not_awaiting_payment");
    await sweepUnpaidOrders({ now: late });
    const state = await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id }, include: { application: true } });
    expect(state.status).toBe("PAID");
    expect(state.application).not.toBeNull();
    expect(await deletionEvents(order.id)).toBe(0);
  });

  it("waits for a checkout whose outcome is unknown, then deletes the order and expires the checkout once the wait is over", async () => {
    const { order } = await createOrderFixture();
    await prisma.payment.create({ data: { orderId: order.id, method: "CARD", amountNtd: 228, provider: "stripe", providerReference: "cs_open" } });
    expect(await deleteUnpaidOrder({ orderId: order.id, now: deletionDueAt(order.paymentDeadline) })).toBe("waiting");
    const waitEnds = cardOutcomeAwaitedUntil(order.paymentDeadline);
    expect(await deleteUnpaidOrder({ orderId: order.id, now: new Date(waitEnds.getTime() - SECOND) })).toBe("waiting");
    expect(await deleteUnpaidOrder({ orderId: order.id, now: waitEnds })).toBe("deleted");
    expect((await prisma.payment.findFirstOrThrow({ where: { orderId: order.id } })).status).toBe("EXPIRED");
  });
});

describe("the per-order deletion job", () => {
  it("is one delayed job per order in the orders queue, delayed until deletion is due", async () => {
    const { order } = await createOrderFixture();
    const now = new Date();
    expect(await scheduleUnpaidOrderDeletion({ orderId: order.id, paymentDeadline: order.paymentDeadline, now })).toBe(true);
    expect(await scheduleUnpaidOrderDeletion({ orderId: order.id, paymentDeadline: order.paymentDeadline, now })).toBe(true);
    const orders = queue(QUEUE_NAMES.orders);
    const job = await orders.getJob(order.id);
    expect(job).toMatchObject({ id: order.id, name: DELETE_UNPAID_JOB, data: { orderId: order.id } });
    expect(job!.opts.delay).toBe(deletionDueAt(order.paymentDeadline).getTime() - now.getTime());
    expect(await job!.isDelayed()).toBe(true);
    const delayed = await orders.getDelayed();
    expect(delayed.filter((j) => j.data.orderId === order.id)).toHaveLength(1);
    await job!.remove();
  });

  it("deletes the order when a worker runs it", async () => {
    const { order } = await createOrderFixture({ paymentDeadline: new Date(Date.now() - 60 * SECOND) });
    const worker = new Worker(QUEUE_NAMES.orders, processOrdersJob, { connection: createRedis("worker"), prefix: env().QUEUE_PREFIX });
    const events = new QueueEvents(QUEUE_NAMES.orders, { connection: createRedis("worker"), prefix: env().QUEUE_PREFIX });
    try {
      await events.waitUntilReady();
      const scheduledAt = Date.now();
      await scheduleUnpaidOrderDeletion({ orderId: order.id, paymentDeadline: order.paymentDeadline });
      const job = await queue(QUEUE_NAMES.orders).getJob(order.id);
      expect(job!.opts.delay).toBe(0);
      expect(await job!.waitUntilFinished(events, 15_000)).toEqual({ result: "deleted" });
      const state = await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id }, include: { application: true } });
      expect(state).toMatchObject({ status: "DELETED_UNPAID", application: null });
    } finally {
      await worker.close();
      await events.close();
    }
  });
});

describe("the per-order deletion job, waiting (decision 011)", () => {
  it("puts itself back in the queue, same id and payload, until the bounded wait ends when a report may still come", async () => {
    const { order } = await createOrderFixture({ paymentDeadline: new Date(Date.now() - 60 * SECOND) });
    // A checkout whose outcome nobody knows (Stripe is not configured in this file, so it cannot be asked).
    await prisma.payment.create({ data: { orderId: order.id, method: "CARD", amountNtd: 228, provider: "stripe", providerReference: "cs_unknown" } });
    const worker = new Worker(QUEUE_NAMES.orders, processOrdersJob, { connection: createRedis("worker"), prefix: env().QUEUE_PREFIX });
    try {
      const scheduledAt = Date.now();
      await scheduleUnpaidOrderDeletion({ orderId: order.id, paymentDeadline: order.paymentDeadline });
      const job = await queue(QUEUE_NAMES.orders).getJob(order.id);
      for (let i = 0; i < 100 && (await job!.getState()) !== "delayed"; i++) await new Promise((r) => setTimeout(r, 100));
      const again = await queue(QUEUE_NAMES.orders).getJob(order.id);
      expect(await again!.getState()).toBe("delayed");
      expect(again!.data).toEqual({ orderId: order.id });
      // BullMQ keeps the delay from the moment the job was put back: between scheduling and now.
      const until = deletionCertainAt(order.paymentDeadline).getTime() + SECOND;
      expect(again!.delay).toBeGreaterThanOrEqual(until - Date.now());
      expect(again!.delay).toBeLessThanOrEqual(until - scheduledAt);
      expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("AWAITING_PAYMENT");
      await again!.remove();
    } finally {
      await worker.close();
    }
  });
});

describe("sweepUnpaidOrders", () => {
  it("deletes 2,500 due orders in batches of 1,000 and leaves the ones not yet due", async () => {
    const { holder, card } = await createHolderAndCard();
    const now = new Date();
    const userCodeHash = await testUserCodeHash();
    const overdue = new Date(now.getTime() - 10 * SECOND);
    await bulkInsertUnpaidOrders(prisma, { count: 2_500, paymentDeadline: overdue, holderId: holder.id, cardId: card.id, userCodeHash });
    const { order: justDue } = await createOrderFixture({ paymentDeadline: now });
    const { order: notDue } = await createOrderFixture({ paymentDeadline: new Date(now.getTime() + SECOND) });

    const eventsBefore = await prisma.auditEvent.count({ where: { action: "order.deleted_unpaid" } });
    const report = await sweepUnpaidOrders({ now });
    expect(report).toEqual({ deleted: 2_501, batches: 3 });
    expect(await prisma.reissueOrder.count({ where: { status: "DELETED_UNPAID", deletedAt: now } })).toBe(2_501);
    expect(await prisma.reissueApplication.count({ where: { order: { status: "DELETED_UNPAID" } } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { action: "order.deleted_unpaid" } })).toBe(eventsBefore + 2_501);
    expect(await deletionEvents(justDue.id)).toBe(1);
    const kept = await prisma.reissueOrder.findUniqueOrThrow({ where: { id: notDue.id }, include: { application: true } });
    expect(kept.status).toBe("AWAITING_PAYMENT");
    expect(kept.application).not.toBeNull();

    // Twice, and racing the per-order job: each order is deleted once.
    const [again, job] = await Promise.all([sweepUnpaidOrders({ now }), deleteUnpaidOrder({ orderId: justDue.id, now })]);
    expect(again).toEqual({ deleted: 0, batches: 0 });
    expect(job).toBe("not_awaiting_payment");
    expect(await deletionEvents(justDue.id)).toBe(1);
  });

  it("leaves an order another transaction holds to that transaction, and deletes it on its next run", async () => {
    const { order } = await createOrderFixture({ paymentDeadline: new Date(Date.now() - SECOND) });
    const now = new Date();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM reissue_order WHERE id = ${order.id}::uuid FOR UPDATE`;
      locked();
      await held;
    });
    await isLocked;
    await sweepUnpaidOrders({ now });
    release();
    await holder;
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("AWAITING_PAYMENT");
    await sweepUnpaidOrders({ now });
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("DELETED_UNPAID");
  });
});
