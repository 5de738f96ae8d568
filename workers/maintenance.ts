// maintenance queue: periodic housekeeping. Each job only parses job.data and calls a domain function.
import type { Job } from "bullmq";
import { z } from "zod";
import { expireLapsedCertificates } from "~/cards/certificates.server";

export const MAINTENANCE_JOBS = {
  expireLapsedCertificates: "expire-lapsed-certificates",
} as const;

/** Job schedulers the workers process keeps registered (upserted at start, so replicas agree). */
export const maintenanceSchedules = [
  { id: MAINTENANCE_JOBS.expireLapsedCertificates, every: 60 * 60 * 1000 },
] as const;

const emptyPayload = z.object({}).strict();

export async function processMaintenanceJob(job: Job): Promise<unknown> {
  switch (job.name) {
    case MAINTENANCE_JOBS.expireLapsedCertificates: {
      emptyPayload.parse(job.data ?? {});
      const expired = await expireLapsedCertificates({ now: new Date() });
      return { expired };
    }
    default:
      throw new Error(`unknown maintenance job ${job.name}`);
  }
}
