// The workers process: `tsx workers/main.ts`. Any number of replicas may run against the same Redis.
import { ConfigError, env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { disconnectAll } from "~/lib/shutdown.server";
import { startWorkers } from "./workers";

try {
  env();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const running = await startWorkers();
let stopping = false;

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger().info({ signal }, "workers shutting down");
  const force = setTimeout(() => {
    logger().error("workers did not stop within 30 s; exiting");
    process.exit(1);
  }, 30_000);
  force.unref();
  await running.stop();
  await disconnectAll();
  process.exit(0);
}

process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
// Started by scripts/start.ts with an IPC channel: if that parent dies, don't linger as a stray process.
process.on("disconnect", () => void shutdown("parent exited"));
