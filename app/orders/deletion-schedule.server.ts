// The delayed deletion job per order (jobId = order id, so scheduling twice is one job). The sweeper in
// workers/ (every 10 minutes) is the safety net when Redis lost the job or was down when the order was made.
import { logger } from "~/lib/logger.server";
import { QUEUE_NAMES, queue } from "~/lib/queue.server";
import { deletionDueAt } from "./payment-window.server";

export const DELETE_UNPAID_JOB = "delete-unpaid-order";

export async function scheduleUnpaidOrderDeletion({ orderId, paymentDeadline, now = new Date() }: {
  orderId: string;
  paymentDeadline: Date;
  now?: Date;
}): Promise<boolean> {
  const delay = Math.max(0, deletionDueAt(paymentDeadline).getTime() - now.getTime());
  try {
    await queue(QUEUE_NAMES.orders).add(DELETE_UNPAID_JOB, { orderId }, { jobId: orderId, delay });
    return true;
  } catch (error) {
    // The order is safe in the database; the sweeper deletes it on time without this job.
    logger().warn({ orderId, err: error instanceof Error ? error.message : String(error) }, "deletion job not scheduled");
    return false;
  }
}
