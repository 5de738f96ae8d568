import { Queue, QueueEvents } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordCard } from "~/cards/certificates.server";
import { env } from "~/lib/env.server";
import { readHeartbeats } from "~/lib/heartbeat.server";
import { QUEUE_NAMES } from "~/lib/queue.server";
import { createRedis, redis } from "~/lib/redis.server";
import { prisma } from "~/lib/db.server";
import { createTestIssuer, issueCardCertificate } from "../test/factories/certificates";
import { MAINTENANCE_JOBS } from "./maintenance";
import { startWorkers, type RunningWorkers } from "./workers";

let workers: RunningWorkers;
beforeAll(async () => {
  workers = await startWorkers();
});
afterAll(async () => {
  await workers?.stop();
});

describe("workers process", () => {
  it("beats a heartbeat naming its queues, and registers the maintenance schedule", async () => {
    const beats = await readHeartbeats(redis());
    expect(beats.map((b) => b.workerId)).toContain(workers.workerId);
    expect(beats[0]!.queues).toEqual([QUEUE_NAMES.maintenance]);
    const connection = createRedis("producer");
    const inspector = new Queue(QUEUE_NAMES.maintenance, { connection, prefix: env().QUEUE_PREFIX });
    try {
      const schedulers = await inspector.getJobSchedulers();
      expect(schedulers.map((s) => s.key)).toContain(MAINTENANCE_JOBS.expireLapsedCertificates);
    } finally {
      await inspector.close();
      connection.disconnect();
    }
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
    const connection = createRedis("producer");
    const producer = new Queue(QUEUE_NAMES.maintenance, { connection, prefix: env().QUEUE_PREFIX });
    const events = new QueueEvents(QUEUE_NAMES.maintenance, { connection: createRedis("worker"), prefix: env().QUEUE_PREFIX });
    try {
      await events.waitUntilReady();
      const job = await producer.add(MAINTENANCE_JOBS.expireLapsedCertificates, {});
      const result = await job.waitUntilFinished(events, 15_000);
      expect(result).toEqual({ expired: 1 });
      const certificate = await prisma.certificate.findFirstOrThrow({ where: { cardId: card.id } });
      expect(certificate.status).toBe("EXPIRED");
    } finally {
      await producer.close();
      await events.close();
      connection.disconnect();
    }
  });

  it("removes its heartbeat when it stops", async () => {
    await workers.stop();
    expect((await readHeartbeats(redis())).map((b) => b.workerId)).not.toContain(workers.workerId);
    workers = await startWorkers();
  });
});
