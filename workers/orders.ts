// orders queue: the delayed deletion job of each unpaid order (jobId = order id). Parses job.data, calls the domain.
import type { Job } from "bullmq";
import { z } from "zod";
import { DELETE_UNPAID_JOB } from "~/orders/deletion-schedule.server";
import { deleteUnpaidOrder } from "~/orders/deletion.server";

const deletePayload = z.object({ orderId: z.string().uuid() }).strict();

export async function processOrdersJob(job: Job): Promise<unknown> {
  switch (job.name) {
    case DELETE_UNPAID_JOB: {
      const { orderId } = deletePayload.parse(job.data);
      // "not_due" cannot happen for a job delayed to the due time unless the grace was raised since: the sweeper
      // deletes the order later. No `now`: the domain reads the clock once it holds the order's lock.
      return { result: await deleteUnpaidOrder({ orderId }) };
    }
    default:
      throw new Error(`unknown orders job ${job.name}`);
  }
}
