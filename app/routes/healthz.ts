// GET /healthz — public: database, Redis and at least one workers process; the answer is a status only.
import { prisma } from "~/lib/db.server";
import { checkHealth } from "~/lib/health.server";
import { logger } from "~/lib/logger.server";
import { redis } from "~/lib/redis.server";

export async function loader() {
  const report = await checkHealth({ prisma, redis: redis() });
  // The causes (hosts, driver errors) go to the operators' logs, never to whoever asked.
  if (report.status !== "ok") logger().warn({ health: report }, "health check: unavailable");
  return Response.json({ status: report.status }, {
    status: report.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
