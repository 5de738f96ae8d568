// mail queue: one repeatable job drains the outbox every few seconds, so a paid e-mail goes out within seconds
// and a failed one is retried on the outbox's own backoff (the row, not the job, counts the attempts).
import type { Job } from "bullmq";
import { z } from "zod";
import { sendPendingMail } from "~/mail/outbox.server";

export const MAIL_JOBS = { drainOutbox: "drain-mail-outbox" } as const;

export const mailSchedules = [{ id: MAIL_JOBS.drainOutbox, every: 5_000 }] as const;

const emptyPayload = z.object({}).strict();

export async function processMailJob(job: Job): Promise<unknown> {
  switch (job.name) {
    case MAIL_JOBS.drainOutbox: {
      emptyPayload.parse(job.data ?? {});
      return sendPendingMail({ now: new Date() });
    }
    default:
      throw new Error(`unknown mail job ${job.name}`);
  }
}
