// Builds the workers process: one BullMQ Worker per queue, the job schedulers, and the heartbeat that
// /healthz reads. main.ts wires it to signals; tests start and stop it directly.
import { hostname } from "node:os";
import { randomBytes } from "node:crypto";
import { Worker, type Processor } from "bullmq";
import { env } from "~/lib/env.server";
import { clearHeartbeat, recordHeartbeat } from "~/lib/heartbeat.server";
import { logger } from "~/lib/logger.server";
import { QUEUE_NAMES, queue, type QueueName } from "~/lib/queue.server";
import { createRedis } from "~/lib/redis.server";
import { fulfilmentSchedules, processFulfilmentJob } from "./fulfilment";
import { mailSchedules, processMailJob } from "./mail";
import { maintenanceSchedules, processMaintenanceJob } from "./maintenance";
import { processOrdersJob } from "./orders";

const processors: Record<QueueName, { processor: Processor; concurrency: number }> = {
  [QUEUE_NAMES.maintenance]: { processor: processMaintenanceJob, concurrency: 1 },
  [QUEUE_NAMES.orders]: { processor: processOrdersJob, concurrency: 4 },
  // One drain at a time per process; replicas drain side by side (the outbox claims rows with SKIP LOCKED).
  [QUEUE_NAMES.mail]: { processor: processMailJob, concurrency: 1 },
  // Batches and letters are claimed with SKIP LOCKED, so replicas share the work; one job at a time per process.
  [QUEUE_NAMES.fulfilment]: { processor: processFulfilmentJob, concurrency: 1 },
};

const schedules = (): Partial<Record<QueueName, ReadonlyArray<{ id: string; every: number }>>> => ({
  [QUEUE_NAMES.maintenance]: maintenanceSchedules,
  [QUEUE_NAMES.mail]: mailSchedules,
  [QUEUE_NAMES.fulfilment]: fulfilmentSchedules(),
});

export interface RunningWorkers {
  workerId: string;
  stop(): Promise<void>;
}

export async function startWorkers(): Promise<RunningWorkers> {
  const log = logger().child({ component: "workers" });
  const workerId = `${hostname()}-${process.pid}-${randomBytes(3).toString("hex")}`;
  const startedAt = new Date().toISOString();
  const workers = Object.entries(processors).map(([name, { processor, concurrency }]) => {
    const worker = new Worker(name, processor, {
      connection: createRedis("worker"),
      prefix: env().QUEUE_PREFIX,
      concurrency,
    });
    worker.on("failed", (job, error) =>
      log.warn({ queue: name, jobId: job?.id, jobName: job?.name, attempts: job?.attemptsMade, err: error.message }, "job failed"),
    );
    worker.on("completed", (job) => {
      // A scheduler's run (the mail drain every 5 s) would flood the log at info level.
      const level = job.repeatJobKey ? "debug" : "info";
      log[level]({ queue: name, jobId: job.id, jobName: job.name }, "job completed");
    });
    worker.on("error", (error) => log.error({ queue: name, err: error.message }, "worker error"));
    return worker;
  });

  for (const [name, list] of Object.entries(schedules()) as Array<[QueueName, ReadonlyArray<{ id: string; every: number }>]>) {
    for (const schedule of list) {
      await queue(name).upsertJobScheduler(
        schedule.id,
        { every: schedule.every },
        { name: schedule.id, data: {}, opts: { removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } } },
      );
    }
  }

  const heartbeatRedis = createRedis("command");
  const queues = Object.keys(processors);
  const beat = () =>
    recordHeartbeat(heartbeatRedis, { workerId, queues, startedAt }).catch((error: Error) =>
      log.warn({ err: error.message }, "heartbeat not recorded"),
    );
  await beat();
  const interval = Math.max(1, Math.floor(env().WORKER_HEARTBEAT_TTL_SECONDS / 3)) * 1000;
  const timer = setInterval(beat, interval);
  log.info({ workerId, queues }, "workers started");

  return {
    workerId,
    async stop() {
      clearInterval(timer);
      // Worker.close() waits for the jobs in progress to finish; BullMQ re-queues none of them.
      await Promise.all(workers.map((w) => w.close()));
      await clearHeartbeat(heartbeatRedis, workerId).catch(() => {});
      heartbeatRedis.disconnect();
      log.info({ workerId }, "workers stopped");
    },
  };
}
