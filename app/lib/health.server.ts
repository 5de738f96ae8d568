// Health of the web tier's dependencies. The detailed report (each part up or down, the cause named, no secrets or
// URLs) is for the logs only; over HTTP, /healthz and /readyz answer a status and nothing else (issue 13).
import type { Redis } from "ioredis";
import type { PrismaClient } from "~/generated/prisma/client";
import { readHeartbeats } from "./heartbeat.server";
import { redisConnectionProblem } from "./redis.server";

export type CheckResult =
  | { status: "up"; latencyMs: number; detail?: Record<string, unknown> }
  | { status: "down"; error: string };

export interface HealthReport {
  status: "ok" | "unavailable";
  checkedAt: string;
  checks: { database: CheckResult; redis: CheckResult; workers: CheckResult };
}

const CHECK_TIMEOUT_MS = 2_000;

function describe(error: unknown): string {
  const err = error as {
    code?: string;
    message?: string;
    meta?: { driverAdapterError?: { cause?: { kind?: string; host?: string; port?: number; message?: string } } };
  };
  // Prisma's driver adapters put the real cause (DatabaseNotReachable, AuthenticationFailed…) in meta.
  const cause = err?.meta?.driverAdapterError?.cause;
  if (cause?.kind) {
    return [cause.kind, cause.host ? `${cause.host}:${cause.port}` : "", cause.message ?? ""].filter(Boolean).join(" ");
  }
  const lines = (err?.message ?? String(error)).split("\n").map((l) => l.trim()).filter(Boolean);
  // Connection strings can appear in driver messages; never pass credentials on.
  const message = (lines.at(-1) ?? "unknown error").slice(0, 200).replace(/\/\/[^@\s]*@/g, "//");
  return err?.code && !message.includes(err.code) ? `${err.code}: ${message}` : message;
}

async function timed(check: () => Promise<Record<string, unknown> | void>): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const detail = await Promise.race([
      check(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: "up", latencyMs: Math.round(performance.now() - started), ...(detail ? { detail } : {}) };
  } catch (error) {
    return { status: "down", error: describe(error) };
  } finally {
    clearTimeout(timer);
  }
}

async function checkDatabase(prisma: PrismaClient): Promise<CheckResult> {
  return timed(async () => void (await prisma.$queryRaw`SELECT 1`));
}

async function checkRedis(redis: Redis): Promise<CheckResult> {
  return timed(async () => {
    let pong: string;
    try {
      pong = await redis.ping();
    } catch (error) {
      // The failed command only says "max retries reached"; the connection knows the cause.
      throw new Error(redisConnectionProblem(redis) ?? describe(error));
    }
    if (pong !== "PONG") throw new Error(`unexpected PING reply ${pong}`);
  });
}

/** Everything the service needs, workers included: what monitoring watches (GET /healthz). */
export async function checkHealth({ prisma, redis }: { prisma: PrismaClient; redis: Redis }): Promise<HealthReport> {
  const [database, redisCheck] = await Promise.all([checkDatabase(prisma), checkRedis(redis)]);
  const workers: CheckResult =
    redisCheck.status === "down"
      ? { status: "down", error: "unknown: Redis is unreachable" }
      : await timed(async () => {
          const beats = await readHeartbeats(redis);
          if (beats.length === 0) throw new Error("no worker heartbeat: is the workers process running?");
          const latest = beats.map((b) => b.beatAt).sort().at(-1);
          return { processes: beats.length, lastBeatAt: latest };
        });
  const allUp = [database, redisCheck, workers].every((c) => c.status === "up");
  return {
    status: allUp ? "ok" : "unavailable",
    checkedAt: new Date().toISOString(),
    checks: { database, redis: redisCheck, workers },
  };
}

export interface ReadinessReport {
  status: "ok" | "unavailable";
  checkedAt: string;
  checks: { database: CheckResult; redis: CheckResult };
}

/**
 * Whether this web process can serve requests (GET /readyz, the load balancer's check): the database and Redis only.
 * A workers outage delays mail and printing but must not take the web tier out of the load balancer.
 */
export async function checkReadiness({ prisma, redis }: { prisma: PrismaClient; redis: Redis }): Promise<ReadinessReport> {
  const [database, redisCheck] = await Promise.all([checkDatabase(prisma), checkRedis(redis)]);
  return {
    status: database.status === "up" && redisCheck.status === "up" ? "ok" : "unavailable",
    checkedAt: new Date().toISOString(),
    checks: { database, redis: redisCheck },
  };
}
