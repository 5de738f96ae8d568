// What the vendor says about each card of a batch, applied to our records. Every step checks the item's status
// under its row lock, so the same reply applied twice (a re-poll, two workers, a crash between steps) changes
// nothing the second time: certificates are issued once per item, a letter is recorded once, a case opened once.
//
//   personalised          → the CA issues both certificates (AWAITING_ACTIVATION) and the vendor receives them
//   certificates_written  → (we crashed after delivering) the delivery is recorded
//   dispatched            → registered mail + estimate, order MAILED, the "mailed" e-mail queued
//   rejected              → the item is rejected and support gets a case
//
// A worker applies a reply under its lease on the batch (print-lease.server.ts, decision 014): renewed before each
// card, checked by each write, so a worker that lost the batch to another stops instead of doing a card twice.
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { estimateDelivery } from "./delivery-estimate";
import type { IssuingCa } from "./issuing-ca.server";
import { submitPrintBatch, submitRetryDelayMs } from "./print-batches.server";
import { deliverCertificates, issueForItem } from "./print-certificates.server";
import { lockedItemStatus, loadItems, rejectItem, type PrintItemView as Item } from "./print-items.server";
import { claimDueBatch, databaseClock, LeaseLostError, CLAIM_LEASE_MS, type BatchLease, type Clock } from "./print-lease.server";
import { openSupportCase } from "./support-cases.server";
import { VendorError, type BatchStatus, type PrintVendor, type VendorCard } from "./vendor-protocol";
import { loadWorkingDayCalendar } from "./working-day-calendar.server";

export interface ApplyResult {
  issued: number;
  delivered: number;
  dispatched: number;
  rejected: number;
  completed: boolean;
}

interface ApplyOptions {
  vendor: PrintVendor;
  now?: Date;
  /** The worker's lease on the batch: renewed before each card, checked by every write (LeaseLostError if lost). */
  lease?: BatchLease;
  /** The CA that signs; loadIssuingCa() unless given. */
  ca?: IssuingCa;
}

/** Applies a batch status reply from the vendor; completes the batch once every card is dispatched or rejected. */
export async function applyBatchStatus(batchId: string, status: BatchStatus, { vendor, now = new Date(), lease, ca }: ApplyOptions): Promise<ApplyResult> {
  const log = logger().child({ component: "print-progress", batchId });
  const result: ApplyResult = { issued: 0, delivered: 0, dispatched: 0, rejected: 0, completed: false };
  const byOrder = new Map(status.cards.map((card) => [card.orderNumber, card]));
  const items = await loadItems(batchId);
  for (const item of items) {
    const card = byOrder.get(item.order.orderNumber);
    if (!card) continue;
    byOrder.delete(item.order.orderNumber);
    await lease?.renew();
    await applyCard(batchId, status.batchNumber, item, card, { vendor, now, result, lease, ca });
  }
  if (byOrder.size > 0) log.warn({ unknownCards: byOrder.size }, "the vendor reported cards this batch does not hold");

  result.completed = await completeBatchIfDone(batchId, status.batchNumber, now, lease);
  return result;
}

async function applyCard(
  batchId: string,
  batchNumber: string,
  item: Item,
  card: VendorCard,
  ctx: { vendor: PrintVendor; now: Date; result: ApplyResult; lease?: BatchLease; ca?: IssuingCa },
): Promise<void> {
  switch (card.state) {
    case "queued":
    case "printing":
      return;
    case "rejected":
      if (await rejectItem(batchId, batchNumber, item, card.reasonCode, card.reason, "vendor", ctx.lease)) ctx.result.rejected++;
      return;
    case "personalised":
      if (item.status === "SUBMITTED") {
        if (!(await issueForItem(batchId, batchNumber, item, card, { lease: ctx.lease, ca: ctx.ca }))) return;
        ctx.result.issued++;
      }
      if (item.status === "SUBMITTED" || item.status === "CERTIFICATES_ISSUED") {
        if (await deliverCertificates(batchId, batchNumber, item, ctx.vendor, ctx.lease)) ctx.result.delivered++;
      }
      return;
    case "certificates_written":
      if (item.status === "CERTIFICATES_ISSUED") {
        const recorded = await prisma.$transaction(async (tx) => {
          await ctx.lease?.guard(tx);
          return tx.printItem.updateMany({ where: { id: item.id, status: "CERTIFICATES_ISSUED" }, data: { status: "CERTIFICATES_DELIVERED" } });
        });
        ctx.result.delivered += recorded.count;
      }
      return;
    case "dispatched":
      if (await recordDispatch(batchId, batchNumber, item, card, ctx.now, ctx.lease)) ctx.result.dispatched++;
      return;
  }
}

/**
 * The letter is in the post: registered mail with its estimate, the order MAILED, the "mailed" e-mail queued, in
 * one transaction. A card the vendor dispatched before its certificates were delivered is a vendor fault for
 * support; the letter is still recorded, because it is in the post either way.
 */
async function recordDispatch(
  batchId: string,
  batchNumber: string,
  item: Item,
  card: Extract<VendorCard, { state: "dispatched" }>,
  now: Date,
  lease?: BatchLease,
): Promise<boolean> {
  const dispatchedAt = new Date(card.dispatchedAt);
  const application = await prisma.reissueApplication.findUnique({ where: { orderId: item.orderId }, select: { outlyingIsland: true } });
  const estimate = estimateDelivery({ from: dispatchedAt, outlyingIsland: application?.outlyingIsland ?? false }, await loadWorkingDayCalendar());
  return prisma.$transaction(async (tx) => {
    await lease?.guard(tx);
    const current = await lockedItemStatus(tx, item.id);
    if (current === "DISPATCHED" || current === "REJECTED") return false;
    if (current !== "CERTIFICATES_DELIVERED" && current !== "CERTIFICATES_ISSUED") {
      await openSupportCase(tx, {
        kind: "PRINT_VENDOR_ERROR",
        dedupeKey: `PRINT_VENDOR_ERROR:${item.id}:dispatched-early`,
        orderId: item.orderId,
        batchId,
        reason: `the vendor dispatched a card of batch ${batchNumber} before its certificates were delivered (item was ${current})`,
        openedBy: "system",
      });
    }
    if (card.cardNumber !== (item.cardNumber ?? card.cardNumber)) {
      await openSupportCase(tx, {
        kind: "PRINT_VENDOR_ERROR",
        dedupeKey: `PRINT_VENDOR_ERROR:${item.id}:card-number`,
        orderId: item.orderId,
        batchId,
        reason: `the vendor dispatched card ${card.cardNumber} but personalised ${item.cardNumber} (batch ${batchNumber})`,
        openedBy: "system",
      });
    }
    await tx.printItem.update({ where: { id: item.id }, data: { status: "DISPATCHED" } });
    const mail = await tx.registeredMail.create({
      data: {
        orderId: item.orderId,
        mailNumber: card.mailNumber,
        dispatchedAt,
        estimatedFrom: new Date(`${estimate.from}T00:00:00Z`),
        estimatedTo: new Date(`${estimate.to}T00:00:00Z`),
        status: "ACCEPTED",
        statusAt: dispatchedAt,
        nextPollAt: now,
      },
    });
    await tx.reissueOrder.updateMany({ where: { id: item.orderId, status: { in: ["PAID", "IN_PRODUCTION"] } }, data: { status: "MAILED" } });
    await tx.mailOutbox.createMany({ data: [{ orderId: item.orderId, kind: "MAILED" }], skipDuplicates: true });
    await recordAuditEvent(
      {
        actor: { type: "SYSTEM" },
        action: "order.mailed",
        subject: { type: "order", id: item.orderId },
        details: { registeredMailId: mail.id, batchNumber, estimatedTo: estimate.to },
      },
      tx,
    );
    return true;
  });
}

async function completeBatchIfDone(batchId: string, batchNumber: string, now: Date, lease?: BatchLease): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await lease?.guard(tx);
    const open = await tx.printItem.count({ where: { batchId, status: { notIn: ["DISPATCHED", "REJECTED"] } } });
    if (open > 0) return false;
    const { count } = await tx.printBatch.updateMany({ where: { id: batchId, status: "SUBMITTED" }, data: { status: "COMPLETED", completedAt: now } });
    if (count === 1) {
      await recordAuditEvent(
        { actor: { type: "SYSTEM" }, action: "printing.batch_completed", subject: { type: "print_batch", id: batchId }, details: { batchNumber } },
        tx,
      );
    }
    return true;
  });
}

/**
 * Asks the vendor about one leased batch and applies the answer; the next question is due a poll interval later.
 * A failed question is retried later (with backoff); one the vendor refuses is a case for support.
 */
export async function pollPrintBatch(lease: BatchLease, { vendor }: { vendor: PrintVendor }): Promise<ApplyResult | "failed"> {
  const { batch } = lease;
  const interval = env().PRINT_POLL_INTERVAL_SECONDS * 1000;
  let status: BatchStatus;
  try {
    status = await vendor.getBatch(batch.batchNumber);
  } catch (error) {
    if (!(error instanceof VendorError)) throw error;
    const code = `${error.code}${error.httpStatus ? ` HTTP ${error.httpStatus}` : ""}`;
    logger().warn({ component: "print-progress", batchId: batch.id, code, transient: error.transient }, "print batch status not read");
    const now = await lease.clock();
    await prisma.$transaction(async (tx) => {
      await lease.guard(tx);
      const row = await tx.printBatch.update({
        where: { id: batch.id },
        data: { lastError: code, pollFailures: { increment: 1 } },
        select: { pollFailures: true },
      });
      await lease.release(tx, new Date(now.getTime() + Math.max(interval, submitRetryDelayMs(row.pollFailures))));
      if (!error.transient || row.pollFailures >= 8) {
        await openSupportCase(tx, {
          kind: "PRINT_VENDOR_ERROR",
          dedupeKey: `PRINT_VENDOR_ERROR:${batch.id}:status`,
          batchId: batch.id,
          reason: `the status of batch ${batch.batchNumber} cannot be read from the vendor: ${code}; still retrying`,
          openedBy: "system",
        });
      }
    });
    return "failed";
  }
  const result = await applyBatchStatus(batch.id, status, { vendor, now: await lease.clock(), lease });
  const now = await lease.clock();
  await prisma.$transaction(async (tx) => {
    await lease.release(tx, result.completed ? undefined : new Date(now.getTime() + interval));
    if (!result.completed) await tx.printBatch.update({ where: { id: batch.id }, data: { lastError: null, pollFailures: 0 } });
  });
  return result;
}

/**
 * One worker run: sends batches waiting for the vendor, then asks about submitted ones that are due. One batch is
 * claimed at a time, with the clock read at the claim, and held under a renewed lease while it is worked; a batch
 * whose lease was lost to another worker is left to it. Returns counts for the job log.
 */
export async function advancePrintBatches({
  vendor,
  clock = databaseClock,
  limit = 20,
  leaseMs = CLAIM_LEASE_MS,
  renewEveryMs,
}: {
  vendor: PrintVendor;
  clock?: Clock;
  limit?: number;
  leaseMs?: number;
  renewEveryMs?: number;
}) {
  const counts = { submitted: 0, retrying: 0, failed: 0, polled: 0, dispatched: 0, rejected: 0, leaseLost: 0 };
  const work = async <T>(lease: BatchLease, step: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await lease.hold(step, { renewEveryMs });
    } catch (error) {
      if (!(error instanceof LeaseLostError)) throw error;
      logger().warn({ component: "print-progress", batchId: lease.id }, "print batch taken over by another worker; this one stopped");
      counts.leaseLost++;
      return undefined;
    }
  };

  for (let n = 0; n < limit; n++) {
    const lease = await claimDueBatch("ASSEMBLED", { clock, leaseMs });
    if (!lease) break;
    const outcome = await work(lease, () =>
      submitPrintBatch(lease, {
        vendor,
        onStatus: async (status) => {
          const applied = await applyBatchStatus(lease.id, status, { vendor, now: await clock(), lease });
          counts.dispatched += applied.dispatched;
          counts.rejected += applied.rejected;
          return applied;
        },
      }),
    );
    if (outcome) counts[outcome]++;
  }
  for (let n = 0; n < limit; n++) {
    const lease = await claimDueBatch("SUBMITTED", { clock, leaseMs });
    if (!lease) break;
    const result = await work(lease, () => pollPrintBatch(lease, { vendor }));
    if (result === undefined) continue;
    counts.polled++;
    if (result !== "failed") {
      counts.dispatched += result.dispatched;
      counts.rejected += result.rejected;
    }
  }
  return counts;
}
