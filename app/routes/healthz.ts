import { prisma } from "~/lib/db.server";
import { checkHealth } from "~/lib/health.server";
import { redis } from "~/lib/redis.server";

export async function loader() {
  const report = await checkHealth({ prisma, redis: redis() });
  return Response.json(report, {
    status: report.status === "ok" ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
