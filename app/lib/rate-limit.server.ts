// Fixed-window counters in Redis, shared by every web replica. Keys hold an HMAC of the subject (an IP address,
// a card number), never the subject itself.
import { createHmac } from "node:crypto";
import { env } from "./env.server";
import { redis } from "./redis.server";

export interface Limit {
  /** What is limited, e.g. "login-failure:ip". */
  name: string;
  max: number;
  windowSeconds: number;
}

function key(limit: Limit, subject: string): string {
  const digest = createHmac("sha256", env().SESSION_SECRET).update(subject).digest("base64url").slice(0, 22);
  return `${env().QUEUE_PREFIX}:ratelimit:${limit.name}:${digest}`;
}

/** Seconds until the subject may try again, or 0 when it is under the limit. */
export async function retryAfterSeconds(limit: Limit, subject: string): Promise<number> {
  const k = key(limit, subject);
  const [count, ttl] = await Promise.all([redis().get(k), redis().ttl(k)]);
  return Number(count ?? 0) >= limit.max ? Math.max(ttl, 1) : 0;
}

export async function countAttempt(limit: Limit, subject: string): Promise<number> {
  const k = key(limit, subject);
  const [[, count]] = (await redis().multi().incr(k).expire(k, limit.windowSeconds, "NX").exec()) as [[null, number]];
  return count;
}
