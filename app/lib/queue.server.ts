// Queue names and producers. The web process only enqueues; workers/ consumes (one worker per queue).
// Job payloads carry ids, never personal data.
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { env } from "./env.server";
import { logger } from "./logger.server";
import { createRedis } from "./redis.server";

export const QUEUE_NAMES = {
  /** Periodic housekeeping over certificates and orders. */
  maintenance: "maintenance",
  /** Per-order delayed jobs (jobId = order id): delete an unpaid order once its payment window has closed. */
  orders: "orders",
  /** Drains the mail outbox (written in the same transaction as what each mail reports) through SMTP. */
  mail: "mail",
  /** Card making and the post: gathers paid orders into print batches, talks to the vendor, polls tracking. */
  fulfilment: "fulfilment",
} as const;

export type QueueName = (typeof QUEUE_NAMES)[keyof typeof QUEUE_NAMES];

const globalForQueues = globalThis as unknown as { queues?: Map<QueueName, { queue: Queue; connection: Redis }> };

export function queue(name: QueueName): Queue {
  const queues = (globalForQueues.queues ??= new Map());
  let existing = queues.get(name);
  if (!existing) {
    const connection = createRedis("producer");
    const created = new Queue(name, {
      connection,
      prefix: env().QUEUE_PREFIX,
      defaultJobOptions: {
        attempts: 5,
        backoff: { type: "exponential", delay: 5_000 },
        removeOnComplete: { age: 7 * 24 * 3600, count: 10_000 },
        removeOnFail: { age: 30 * 24 * 3600 },
      },
    });
    // An unhandled "error" event makes BullMQ print a raw stack trace; log it as one structured line instead.
    created.on("error", (error: Error) => logger().warn({ queue: name, err: error.message }, "queue connection error"));
    existing = { queue: created, connection };
    queues.set(name, existing);
  }
  return existing.queue;
}

export async function closeQueues(): Promise<void> {
  const queues = globalForQueues.queues;
  if (!queues) return;
  globalForQueues.queues = undefined;
  await Promise.all(
    [...queues.values()].map(async ({ queue, connection }) => {
      await queue.close();
      // A connection we passed in is ours to close, not BullMQ's.
      connection.disconnect();
    }),
  );
}
