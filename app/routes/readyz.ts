// GET /readyz — the load balancer's check: can this web process serve (database and Redis)? A status only.
import { prisma } from "~/lib/db.server";
import { checkReadiness } from "~/lib/health.server";
import { logger } from "~/lib/logger.server";
import { redis } from "~/lib/redis.server";

export async function loader() {
  const report = await checkReadiness({ prisma, redis: redis() });
  if (report.status !== "ok") logger().warn({ readiness: report }, "readiness check: unavailable");
  return Response.json({ status: report.status }, {
    status: report.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
