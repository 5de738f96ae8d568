import { Queue, QueueEvents } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordCard } from "~/cards/certificates.server";
import { env } from "~/lib/env.server";
import { readHeartbeats } from "~/lib/heartbeat.server";
import { QUEUE_NAMES } from "~/lib/queue.server";
import { createRedis, redis } from "~/lib/redis.server";
import { prisma } from "~/lib/db.server";
import { importBankFileForDayOf } from "../test/factories/bank-days";
import { createTestIssuer, issueCardCertificate } from "../test/factories/certificates";
import { createOrderFixture } from "../test/factories/orders";
import { MAIL_JOBS } from "./mail";
import { FULFILMENT_JOBS } from "./fulfilment";
import { MAINTENANCE_JOBS } from "./maintenance";
import { startWorkers, type RunningWorkers } from "./workers";

let workers: RunningWorkers;

/** Adds one job to the maintenance queue, as its scheduler would, and waits for the running workers' answer. */
async function runMaintenanceJob(name: string): Promise<unknown> {
  const connection = createRedis("producer");
  const producer = new Queue(QUEUE_NAMES.maintenance, { connection, prefix: env().QUEUE_PREFIX });
  const events = new QueueEvents(QUEUE_NAMES.maintenance, { connection: createRedis("worker"), prefix: env().QUEUE_PREFIX });
  try {
    await events.waitUntilReady();
    const job = await producer.add(name, {});
    return await job.waitUntilFinished(events, 15_000);
  } finally {
    await producer.close();
    await events.close();
    connection.disconnect();
  }
}
beforeAll(async () => {
  workers = await startWorkers();
});
afterAll(async () => {
  await workers?.stop();
});

describe("workers process", () => {
  it("beats a heartbeat naming its queues, and registers the maintenance, mail and fulfilment schedules", async () => {
    const beats = await readHeartbeats(redis());
    expect(beats.map((b) => b.workerId)).toContain(workers.workerId);
    expect(beats[0]!.queues).toEqual([QUEUE_NAMES.maintenance, QUEUE_NAMES.orders, QUEUE_NAMES.mail, QUEUE_NAMES.fulfilment]);
    const connection = createRedis("producer");
    const schedulersOf = async (name: string) => {
      const inspector = new Queue(name, { connection, prefix: env().QUEUE_PREFIX });
      try {
        return (await inspector.getJobSchedulers()).map((s) => ({ key: s.key, every: Number(s.every) }));
      } finally {
        await inspector.close();
      }
    };
    try {
      expect(await schedulersOf(QUEUE_NAMES.maintenance)).toEqual(expect.arrayContaining([
        { key: MAINTENANCE_JOBS.expireLapsedCertificates, every: 3_600_000 },
        { key: MAINTENANCE_JOBS.sweepUnpaidOrders, every: 600_000 },
      ]));
      expect(await schedulersOf(QUEUE_NAMES.mail)).toEqual([{ key: MAIL_JOBS.drainOutbox, every: 5_000 }]);
      // Defaults: batches every 300 s; the vendor and the post asked at most every 15 s / 60 s about what is due.
      expect(await schedulersOf(QUEUE_NAMES.fulfilment)).toEqual(expect.arrayContaining([
        { key: FULFILMENT_JOBS.assemblePrintBatches, every: 300_000 },
        { key: FULFILMENT_JOBS.advancePrintBatches, every: 15_000 },
        { key: FULFILMENT_JOBS.pollRegisteredMail, every: 60_000 },
      ]));
    } finally {
      connection.disconnect();
    }
  });

  it("sweeps due unpaid orders through the maintenance queue", async () => {
    const { order } = await createOrderFixture({ paymentDeadline: new Date(Date.now() - 1000) });
    await importBankFileForDayOf(order.paymentDeadline);
    await runMaintenanceJob(MAINTENANCE_JOBS.sweepUnpaidOrders);
    // The scheduler's own first run may have deleted it already; either way it is deleted exactly once.
    const state = await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id }, include: { application: true } });
    expect(state).toMatchObject({ status: "DELETED_UNPAID", application: null });
    expect(await prisma.auditEvent.count({ where: { action: "order.deleted_unpaid", subjectId: order.id } })).toBe(1);
  });

  it("runs a maintenance job through Redis to the domain function", async () => {
    const issuer = await createTestIssuer();
    const notAfter = new Date(Date.now() - 1000);
    const notBefore = new Date(notAfter.getTime() - 5 * 365 * 24 * 3600 * 1000);
    const { der } = await issueCardCertificate({ issuer, name: "吳家豪", idLast4: "6789", usage: "SIGNING", notBefore, notAfter });
    const { card } = await recordCard({
      holder: { nationalId: "A123456789", name: "吳家豪" }, cardNumber: "TP00000000000201",
      certificates: [{ der, usage: "SIGNING", status: "VALID" }],
    });
    expect(await runMaintenanceJob(MAINTENANCE_JOBS.expireLapsedCertificates)).toEqual({ expired: 1 });
    const certificate = await prisma.certificate.findFirstOrThrow({ where: { cardId: card.id } });
    expect(certificate.status).toBe("EXPIRED");
  });

  it("removes its heartbeat when it stops", async () => {
    await workers.stop();
    expect((await readHeartbeats(redis())).map((b) => b.workerId)).not.toContain(workers.workerId);
    workers = await startWorkers();
  });
});
