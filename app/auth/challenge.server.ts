// One-time login challenges: random, single-use, valid for 2 minutes, kept in Redis so that any web replica
// can verify what another issued. Consuming is atomic (GETDEL): a nonce can succeed at most once.
import { randomBytes } from "node:crypto";
import { env } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";

export const CHALLENGE_TTL_SECONDS = 120;
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const key = (nonce: string) => `${env().QUEUE_PREFIX}:auth:challenge:${nonce}`;

export async function issueChallenge({ now = new Date() }: { now?: Date } = {}): Promise<{ nonce: string; expiresAt: string }> {
  const nonce = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_SECONDS * 1000);
  await redis().set(key(nonce), expiresAt.toISOString(), "EX", CHALLENGE_TTL_SECONDS, "NX");
  return { nonce, expiresAt: expiresAt.toISOString() };
}

/** True once for a nonce we issued that has not expired; false for unknown, expired or already used ones. */
export async function consumeChallenge(nonce: string, { now = new Date() }: { now?: Date } = {}): Promise<boolean> {
  if (!NONCE_PATTERN.test(nonce)) return false;
  const expiresAt = await redis().getdel(key(nonce));
  // Redis expires the key itself; the stored time also guards a clock passed in by tests and replicas.
  return expiresAt !== null && new Date(expiresAt).getTime() > now.getTime();
}
