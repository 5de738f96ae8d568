import { Redis, type RedisOptions } from "ioredis";
import { env } from "./env.server";

/**
 * - "command": request-path use (health check, rate limits). While Redis is down a command fails after one
 *   reconnect attempt (about a second) instead of waiting; the client reconnects by itself when it returns.
 * - "worker": BullMQ workers, which must block on Redis; BullMQ requires maxRetriesPerRequest: null.
 * - "producer": BullMQ queues in the web process: fail fast too, so a request never hangs on enqueue.
 */
export type RedisRole = "command" | "worker" | "producer";

export function createRedis(role: RedisRole, extra: RedisOptions = {}, url = env().REDIS_URL): Redis {
  const options: RedisOptions = {
    connectionName: `moica-${role}`,
    connectTimeout: 5_000,
    retryStrategy: (times) => Math.min(200 * times, 2_000),
    ...(role === "worker"
      ? { maxRetriesPerRequest: null }
      : { maxRetriesPerRequest: 1 }),
    ...extra,
  };
  const client = new Redis(url, options);
  // Without a listener ioredis prints every reconnect failure as an unhandled error event.
  client.on("error", () => {});
  return client;
}

const globalForRedis = globalThis as unknown as { redis?: Redis };

/** The shared "command" connection of this process. */
export function redis(): Redis {
  globalForRedis.redis ??= createRedis("command");
  return globalForRedis.redis;
}
