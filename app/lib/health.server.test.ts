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
import { checkHealth } from "./health.server";
import { recordHeartbeat } from "./heartbeat.server";
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
