// The health check against real servers: PostgreSQL from the test run, and a Redis of this file's own that
// the test stops and starts again, as an operator's outage would.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "~/generated/prisma/client";
import { startRedis, type RunningService } from "../../scripts/services/local-services";
import { freePort } from "../../test/support/free-port";
import { prisma } from "./db.server";
import { loader as healthz } from "~/routes/healthz";
import { loader as readyz } from "~/routes/readyz";
import { env } from "./env.server";
import { checkHealth, checkReadiness } from "./health.server";
import { heartbeatKey, readHeartbeats, recordHeartbeat } from "./heartbeat.server";
import { createRedis } from "./redis.server";

let port: number;
let server: RunningService;
let client: Redis;
const dataDir = mkdtempSync(path.join(tmpdir(), "moica-health-redis-"));
const start = () => startRedis({ dataDir, port, persist: false, log: () => {} });

beforeAll(async () => {
  port = await freePort();
  server = await start();
  // The app's own kind of connection (fail fast, reconnect by itself), pointed at this file's Redis.
  client = createRedis("command", {}, server.url);
  // The first query of a process starts Prisma's query compiler: on a loaded machine that alone can pass the
  // check's 2 s budget, which would read as a database outage.
  await prisma.$queryRaw`SELECT 1`;
});
afterAll(async () => {
  client.disconnect();
  await server.stop();
});

const waitFor = async (predicate: () => Promise<boolean>, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await predicate()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("condition not reached");
};

describe("checkHealth", () => {
  it("is ok only when the database, Redis and a worker heartbeat are all up", async () => {
    const before = await checkHealth({ prisma, redis: client });
    expect(before.checks.database.status).toBe("up");
    expect(before.checks.redis.status).toBe("up");
    expect(before.checks.workers).toMatchObject({ status: "down", error: expect.stringMatching(/no worker heartbeat/) });
    expect(before.status).toBe("unavailable");

    await recordHeartbeat(client, { workerId: "w1", queues: ["maintenance"], startedAt: new Date().toISOString() });
    const after = await checkHealth({ prisma, redis: client });
    expect(after.status).toBe("ok");
    expect(after.checks.workers).toMatchObject({ status: "up", detail: { processes: 1 } });
  });

  it("names Redis as the cause while it is down, and recovers by itself when it returns", async () => {
    await recordHeartbeat(client, { workerId: "w1", queues: ["maintenance"], startedAt: new Date().toISOString() });
    await server.stop();
    const down = await checkHealth({ prisma, redis: client });
    expect(down.status).toBe("unavailable");
    expect(down.checks.redis).toMatchObject({ status: "down", error: expect.stringMatching(/ECONNREFUSED|not connected/) });
    expect(down.checks.database.status).toBe("up");
    expect(down.checks.workers).toMatchObject({ status: "down", error: expect.stringMatching(/Redis is unreachable/) });
    expect(JSON.stringify(down)).not.toContain(new URL(server.url).password);

    server = await start();
    // The data did not persist; a real workers process would beat again within a third of the TTL.
    await waitFor(async () => (await checkHealth({ prisma, redis: client })).checks.redis.status === "up");
    await recordHeartbeat(client, { workerId: "w1", queues: ["maintenance"], startedAt: new Date().toISOString() });
    expect((await checkHealth({ prisma, redis: client })).status).toBe("ok");
  });

  it("names the database as the cause when PostgreSQL cannot be reached", async () => {
    const unreachable = new PrismaClient({
      adapter: new PrismaPg({ connectionString: `postgresql://nobody:x@127.0.0.1:${await freePort()}/none`, connectionTimeoutMillis: 1_000 }),
    });
    try {
      const report = await checkHealth({ prisma: unreachable, redis: client });
      expect(report.status).toBe("unavailable");
      expect(report.checks.database).toMatchObject({ status: "down", error: expect.stringMatching(/DatabaseNotReachable 127\.0\.0\.1:\d+/) });
    } finally {
      await unreachable.$disconnect();
    }
  });
});

describe("checkReadiness (the load balancer's check)", () => {
  it("stays ok without any worker heartbeat: a workers outage must not take the web tier out", async () => {
    await client.del(heartbeatKey());
    expect((await checkHealth({ prisma, redis: client })).status).toBe("unavailable");
    const ready = await checkReadiness({ prisma, redis: client });
    expect(ready.status).toBe("ok");
    expect(Object.keys(ready.checks)).toEqual(["database", "redis"]);
  });

  it("is unavailable while Redis is down", async () => {
    await server.stop();
    try {
      expect((await checkReadiness({ prisma, redis: client })).status).toBe("unavailable");
    } finally {
      server = await start();
      await waitFor(async () => (await checkReadiness({ prisma, redis: client })).status === "ok");
    }
  });
});

describe("worker heartbeats", () => {
  it("live in one hash, a field per process, read without a keyspace SCAN; stale fields are ignored and removed", async () => {
    const now = new Date();
    const stale = new Date(now.getTime() - 2 * env().WORKER_HEARTBEAT_TTL_SECONDS * 1000);
    await recordHeartbeat(client, { workerId: "fresh", queues: ["mail"], startedAt: now.toISOString() }, now);
    await recordHeartbeat(client, { workerId: "hung", queues: ["mail"], startedAt: stale.toISOString() }, stale);
    expect(await client.type(heartbeatKey())).toBe("hash");
    expect(await client.hlen(heartbeatKey())).toBe(2);
    expect(await client.ttl(heartbeatKey())).toBeGreaterThan(0);

    await client.config("RESETSTAT");
    expect((await readHeartbeats(client, now)).map((b) => b.workerId)).toEqual(["fresh"]);
    expect(await client.hkeys(heartbeatKey())).toEqual(["fresh"]);
    const commands = await client.info("commandstats");
    expect(commands).toContain("cmdstat_hgetall");
    expect(commands).not.toContain("cmdstat_scan");
    expect(commands).not.toContain("cmdstat_keys");
  });
});

describe("GET /healthz and GET /readyz", () => {
  it("answer a status only: no checks, hosts or error text", async () => {
    // The run's own Redis holds no heartbeat of this file: /healthz is unavailable, /readyz ok.
    const health = await healthz();
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: "unavailable" });
    const ready = await readyz();
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ok" });
  });
});
