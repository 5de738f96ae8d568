// Starts the private PostgreSQL and Redis that every test run uses (separate from the dev data in .data/dev),
// and builds a migrated template database that each test file copies (test/setup-file.ts).
import { rmSync } from "node:fs";
import path from "node:path";
import { ensureBrowser, ensureServerPackages, removeClusterFallback, startPostgres, startRedis } from "../scripts/services/local-services";
import { deployMigrations } from "../scripts/migrate/engine";
import { TEMPLATE_DATABASE, databaseUrl, withAdmin } from "./support/databases";
import { freePort } from "./support/free-port";

const root = path.resolve(import.meta.dirname, "..");

export default async function setup() {
  const log = (line: string) => console.log(`[test services] ${line}`);
  ensureServerPackages(log, { postgres: true, redis: true });
  ensureBrowser(log);
  const [pgPort, redisPort] = [await freePort(), await freePort()];
  // A folder per run: two runs in one checkout (an editor's watcher and a terminal, say) must not share servers.
  const runDir = path.join(root, ".data/test", `run-${process.pid}`);
  const postgres = await startPostgres({ dataDir: path.join(runDir, "pg"), port: pgPort, database: "postgres", log });
  const redis = await startRedis({ dataDir: path.join(runDir, "redis"), port: redisPort, persist: false, log });
  process.env.TEST_PG_ADMIN_URL = postgres.url;
  process.env.TEST_REDIS_URL = redis.url;
  // Shared by the test files' processes, e.g. for one production build for all end-to-end tests.
  process.env.TEST_RUN_DIR = runDir;
  const teardown = async () => {
    await Promise.all([postgres.stop(), redis.stop()]);
    rmSync(runDir, { recursive: true, force: true });
    removeClusterFallback(path.join(runDir, "pg"));
  };

  try {
    await withAdmin(async (client) => {
      await client.query(`DROP DATABASE IF EXISTS "${TEMPLATE_DATABASE}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${TEMPLATE_DATABASE}" TEMPLATE template0`);
    });
    await deployMigrations({
      databaseUrl: databaseUrl(TEMPLATE_DATABASE),
      migrationsDir: path.join(root, "prisma/migrations"),
      schemaPath: path.join(root, "prisma/schema.prisma"),
    });
  } catch (error) {
    // Vitest gets no teardown from a setup that threw: stop the servers here.
    await teardown();
    throw error;
  }
  return teardown;
}
