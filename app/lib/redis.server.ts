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
  // Without a listener ioredis prints every reconnect failure as an unhandled error event. Keep the last one
  // so the health check can name the cause ("connect ECONNREFUSED …") instead of a retry-limit message.
  client.on("error", (error: Error) => lastErrors.set(client, error));
  client.on("ready", () => lastErrors.delete(client));
  return client;
}

const lastErrors = new WeakMap<Redis, Error>();

/** Why this client cannot talk to Redis right now, or null when it is connected. */
export function redisConnectionProblem(client: Redis): string | null {
  if (client.status === "ready") return null;
  const last = lastErrors.get(client);
  return `not connected (${client.status})${last ? `: ${last.message}` : ""}`;
}

const globalForRedis = globalThis as unknown as { redis?: Redis };

/** The shared "command" connection of this process. */
export function redis(): Redis {
  globalForRedis.redis ??= createRedis("command");
  return globalForRedis.redis;
}
