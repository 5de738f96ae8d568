// fulfilment queue: card making and the post. Each job parses job.data and calls the domain. The schedules run
// often and cheaply; what is due is decided by the rows themselves (next_action_at, next_poll_at), so a
// restarted or replicated worker neither skips nor repeats work.
import type { Job } from "bullmq";
import { z } from "zod";
import { assemblePrintBatches } from "~/fulfilment/print-batches.server";
import { advancePrintBatches } from "~/fulfilment/print-progress.server";
import { postTrackingFromEnv } from "~/fulfilment/post-client.server";
import { pollDueRegisteredMail } from "~/fulfilment/tracking.server";
import { vendorClientFromEnv } from "~/fulfilment/vendor-client.server";
import { env } from "~/lib/env.server";

export const FULFILMENT_JOBS = {
  assemblePrintBatches: "assemble-print-batches",
  advancePrintBatches: "advance-print-batches",
  pollRegisteredMail: "poll-registered-mail",
} as const;

/** Read when the workers start (env() is fixed for the process). */
export function fulfilmentSchedules(): ReadonlyArray<{ id: string; every: number }> {
  const config = env();
  return [
    // 002: card making starts once paid — batches are gathered every PRINT_BATCH_INTERVAL_SECONDS.
    { id: FULFILMENT_JOBS.assemblePrintBatches, every: config.PRINT_BATCH_INTERVAL_SECONDS * 1000 },
    { id: FULFILMENT_JOBS.advancePrintBatches, every: Math.min(config.PRINT_POLL_INTERVAL_SECONDS, 15) * 1000 },
    { id: FULFILMENT_JOBS.pollRegisteredMail, every: Math.min(config.TRACKING_POLL_INTERVAL_SECONDS, 60) * 1000 },
  ];
}

const emptyPayload = z.object({}).strict();

export async function processFulfilmentJob(job: Job): Promise<unknown> {
  emptyPayload.parse(job.data ?? {});
  switch (job.name) {
    case FULFILMENT_JOBS.assemblePrintBatches: {
      // Without a vendor there is nobody to hand a batch to: paid orders wait as PAID (and say so in the log).
      if (!vendorClientFromEnv()) return { skipped: "PRINT_VENDOR_URL / PRINT_VENDOR_SECRET not set" };
      const batches = await assemblePrintBatches({ now: new Date() });
      return { batches: batches.map((b) => ({ batchNumber: b.batchNumber, cards: b.itemCount })) };
    }
    case FULFILMENT_JOBS.advancePrintBatches: {
      const vendor = vendorClientFromEnv();
      if (!vendor) return { skipped: "PRINT_VENDOR_URL / PRINT_VENDOR_SECRET not set" };
      return advancePrintBatches({ vendor });
    }
    case FULFILMENT_JOBS.pollRegisteredMail: {
      const client = postTrackingFromEnv();
      if (!client) return { skipped: "POST_TRACKING_URL / POST_TRACKING_API_KEY not set" };
      return pollDueRegisteredMail({ client, now: new Date() });
    }
    default:
      throw new Error(`unknown fulfilment job ${job.name}`);
  }
}
