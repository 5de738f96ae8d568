// maintenance queue: periodic housekeeping. Each job only parses job.data and calls a domain function.
import type { Job } from "bullmq";
import { z } from "zod";
import { expireLapsedCertificates } from "~/cards/certificates.server";
import { sweepUnpaidOrders } from "~/orders/deletion.server";
import { expireLapsedCheckouts } from "~/payments/checkout-expiry.server";

export const MAINTENANCE_JOBS = {
  expireLapsedCertificates: "expire-lapsed-certificates",
  sweepUnpaidOrders: "sweep-unpaid-orders",
} as const;

/** Job schedulers the workers process keeps registered (upserted at start, so replicas agree). */
export const maintenanceSchedules = [
  { id: MAINTENANCE_JOBS.expireLapsedCertificates, every: 60 * 60 * 1000 },
  // 002: unpaid orders are deleted after 2 days. The per-order delayed job does it on time; this catches any
  // order whose job Redis lost, and any order that waited for its bank file (decision 011), within 10 minutes.
  { id: MAINTENANCE_JOBS.sweepUnpaidOrders, every: 10 * 60 * 1000 },
] as const;

const emptyPayload = z.object({}).strict();

export async function processMaintenanceJob(job: Job): Promise<unknown> {
  switch (job.name) {
    case MAINTENANCE_JOBS.expireLapsedCertificates: {
      emptyPayload.parse(job.data ?? {});
      const expired = await expireLapsedCertificates({ now: new Date() });
      return { expired };
    }
    case MAINTENANCE_JOBS.sweepUnpaidOrders: {
      emptyPayload.parse(job.data ?? {});
      // Checkouts still open past their deadline first (a lost per-order job, or Stripe unreachable then), so that
      // the sweep finds their outcome; then every order due, including those whose bank file has come in.
      const checkouts = await expireLapsedCheckouts({ now: new Date() });
      return { ...(await sweepUnpaidOrders({ now: new Date() })), checkouts };
    }
    default:
      throw new Error(`unknown maintenance job ${job.name}`);
  }
}
