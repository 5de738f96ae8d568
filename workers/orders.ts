// orders queue: the delayed deletion job of each unpaid order (jobId = order id). Parses job.data, calls the domain.
import { DelayedError, type Job } from "bullmq";
import { z } from "zod";
import { DELETE_UNPAID_JOB } from "~/orders/deletion-schedule.server";
import { closeUnpaidOrder } from "~/payments/checkout-expiry.server";

const deletePayload = z.object({ orderId: z.string().uuid() }).strict();

export async function processOrdersJob(job: Job, token?: string): Promise<unknown> {
  switch (job.name) {
    case DELETE_UNPAID_JOB: {
      const { orderId } = deletePayload.parse(job.data);
      // No `now`: the domain reads the clock once it holds the order's lock. "not_due" cannot happen for a job
      // delayed to the deadline unless the grace was raised since: the sweeper deletes the order later.
      const closing = await closeUnpaidOrder({ orderId });
      // Decision 011: a payment made in time may still be reported. The same job (same id, same ids-only payload)
      // comes back when the wait is over; the expiry webhook or the sweeper erases the order sooner if they can.
      if (closing.result === "waiting" && closing.retryAt && token) {
        await job.moveToDelayed(closing.retryAt.getTime() + 1000, token);
        throw new DelayedError();
      }
      return { result: closing.result };
    }
    default:
      throw new Error(`unknown orders job ${job.name}`);
  }
}
