// The web process: `tsx server/main.ts` (production build) or with --dev (Vite middleware, hot reload).
import path from "node:path";
import { ConfigError, env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { disconnectAll } from "~/lib/shutdown.server";
import { createApp } from "./app";

let config;
try {
  config = env();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const root = path.resolve(import.meta.dirname, "..");
const mode = process.argv.includes("--dev") ? "development" : "production";
const { app, close } = await createApp({ mode, root });
const server = app.listen(config.PORT, config.HOST, () => {
  logger().info({ host: config.HOST, port: config.PORT, mode }, `web listening on http://${config.HOST}:${config.PORT}`);
});
server.on("error", (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === "EADDRINUSE" ? `Port ${config.PORT} is already in use: stop the other server or set PORT.` : error.message,
  );
  process.exit(1);
});

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger().info({ signal }, "web shutting down");
  setTimeout(() => process.exit(1), 15_000).unref();
  // Stop accepting, let requests in flight finish, then drop idle keep-alive sockets.
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  await closed;
  await close();
  await disconnectAll();
  process.exit(0);
}
process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
process.on("disconnect", () => void shutdown("parent exited"));
