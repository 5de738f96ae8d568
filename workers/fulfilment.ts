// fulfilment queue: card making and the post. Each job parses job.data and calls one domain function.
import type { Job } from "bullmq";

export const FULFILMENT_JOBS = {} as const;

export const fulfilmentSchedules: ReadonlyArray<{ id: string; every: number }> = [];

export async function processFulfilmentJob(job: Job): Promise<unknown> {
  switch (job.name) {
    default:
      throw new Error(`unknown fulfilment job ${job.name}`);
  }
}
