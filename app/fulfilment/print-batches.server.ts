// Card making starts once an order is paid (002: 繳費成功即同時進入製卡流程): paid orders are gathered into print
// batches and each batch is handed to the card-printing vendor. The batch number is the vendor's idempotency key,
// and everything sent is read back from the database, so a batch re-sent after a crash or a timeout is the same
// request — the vendor answers it as it stands and prints no card twice (docs/print-vendor-interface.md).
//
// Work is claimed, not locked across HTTP: a claim moves next_action_at forward (a lease, print-lease.server.ts)
// in a short statement, the vendor is called outside any transaction, and the result is written in another that
// first checks the lease is still this worker's. A worker that dies mid-call leaves the batch to be claimed again
// once the lease runs out.
import { cardCertificateValidity } from "~/cards/validity";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { batchNumberPrefix, formatBatchNumber } from "./batch-number";
import type { BatchLease } from "./print-lease.server";
import { openSupportCase } from "./support-cases.server";
import { VendorError, type BatchStatus, type BatchSubmission, type PrintVendor } from "./vendor-protocol";
import { taipeiDate } from "./working-days";

/** Transient vendor failures: retry after 30 s, doubling, at most hourly… */
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 60 * 60 * 1000;
/** …and after this many, a person is told (the batch keeps retrying). */
const ATTEMPTS_BEFORE_SUPPORT = 8;

export function submitRetryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), MAX_RETRY_MS);
}

/**
 * Gathers PAID orders (oldest payment first) into batches of at most `maxSize`, until none is left. Each batch
 * is one transaction: its number, its items (with the new card's validity, printed on the card), the orders set
 * IN_PRODUCTION and audited. An order is claimed with SKIP LOCKED and belongs to one batch only (unique order_id).
 */
export async function assemblePrintBatches({
  now = new Date(),
  maxSize = env().PRINT_BATCH_MAX_SIZE,
}: { now?: Date; maxSize?: number } = {}): Promise<Array<{ id: string; batchNumber: string; itemCount: number }>> {
  const made: Array<{ id: string; batchNumber: string; itemCount: number }> = [];
  for (;;) {
    const batch = await prisma.$transaction(async (tx) => {
      // One assembler at a time numbers the day's batches (replicas wait here a moment, then find nothing left).
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('print-batch-assembly'))`;
      const orders = await tx.$queryRaw<Array<{ id: string }>>`
        SELECT o.id::text AS id FROM reissue_order o
        WHERE o.status = 'PAID' AND NOT EXISTS (SELECT 1 FROM print_item i WHERE i.order_id = o.id)
        ORDER BY o.paid_at, o.id
        LIMIT ${maxSize}
        FOR UPDATE OF o SKIP LOCKED`;
      if (orders.length === 0) return null;

      const prefix = batchNumberPrefix(now);
      const last = await tx.printBatch.findFirst({
        where: { batchNumber: { startsWith: prefix } },
        orderBy: { batchNumber: "desc" },
        select: { batchNumber: true },
      });
      const sequence = last ? Number(last.batchNumber.slice(prefix.length)) + 1 : 1;
      // 001: a new card's certificates are valid 5 years (extended later by 展期); the dates are printed on the card.
      const { notBefore, notAfter } = cardCertificateValidity({ issuedAt: now, extended: false });
      const created = await tx.printBatch.create({
        data: {
          batchNumber: formatBatchNumber(now, sequence),
          itemCount: orders.length,
          nextActionAt: now,
          createdAt: now,
          items: {
            create: orders.map(({ id }, index) => ({ orderId: id, position: index + 1, validFrom: notBefore, validUntil: notAfter })),
          },
        },
        select: { id: true, batchNumber: true, itemCount: true },
      });
      const orderIds = orders.map(({ id }) => id);
      await tx.reissueOrder.updateMany({ where: { id: { in: orderIds }, status: "PAID" }, data: { status: "IN_PRODUCTION" } });
      await tx.auditEvent.createMany({
        data: orderIds.map((id) => ({
          actorType: "SYSTEM" as const,
          action: "order.in_production",
          subjectType: "order",
          subjectId: id,
          details: { batchNumber: created.batchNumber },
        })),
      });
      await recordAuditEvent(
        {
          actor: { type: "SYSTEM" },
          action: "printing.batch_assembled",
          subject: { type: "print_batch", id: created.id },
          details: { batchNumber: created.batchNumber, cards: created.itemCount },
        },
        tx,
      );
      return created;
    });
    if (!batch) return made;
    made.push(batch);
    if (batch.itemCount < maxSize) return made;
  }
}

/** What is sent for a batch, read from the database: the same on every attempt (the vendor compares it). */
export async function loadBatchSubmission(batchId: string): Promise<BatchSubmission> {
  const batch = await prisma.printBatch.findUniqueOrThrow({
    where: { id: batchId },
    select: {
      batchNumber: true,
      items: {
        orderBy: { position: "asc" },
        select: { validFrom: true, validUntil: true, order: { select: { orderNumber: true, holder: { select: { name: true } } } } },
      },
    },
  });
  return {
    batchNumber: batch.batchNumber,
    cards: batch.items.map((item) => ({
      orderNumber: item.order.orderNumber,
      holderName: item.order.holder.name,
      // The card shows dates; Taipei's calendar day of each instant.
      validFrom: taipeiDate(item.validFrom),
      validUntil: taipeiDate(item.validUntil),
    })),
  };
}

export type SubmitOutcome = "submitted" | "retrying" | "failed";

/**
 * Sends one leased batch. Accepted → SUBMITTED and the vendor's answer applied (`onStatus`), then the first status
 * question is due a poll interval later; a transient failure is retried with backoff (support is told after
 * ATTEMPTS_BEFORE_SUPPORT); a refusal fails the batch for support. Every write first checks the lease is ours.
 */
export async function submitPrintBatch(
  lease: BatchLease,
  { vendor, onStatus }: { vendor: PrintVendor; onStatus?: (status: BatchStatus) => Promise<{ completed: boolean }> },
): Promise<SubmitOutcome> {
  const { batch } = lease;
  const attempts = batch.submitAttempts + 1;
  const submission = await loadBatchSubmission(batch.id);
  await lease.renew();
  let status: BatchStatus;
  try {
    status = await vendor.submitBatch(submission);
  } catch (error) {
    return recordSubmitFailure(lease, attempts, error, await lease.clock());
  }
  const now = await lease.clock();
  await prisma.$transaction(async (tx) => {
    await lease.guard(tx);
    await tx.printBatch.updateMany({
      where: { id: batch.id, status: "ASSEMBLED" },
      data: { status: "SUBMITTED", submittedAt: now, submitAttempts: attempts, lastError: null },
    });
    await tx.printItem.updateMany({ where: { batchId: batch.id, status: "QUEUED" }, data: { status: "SUBMITTED" } });
    await recordAuditEvent(
      {
        actor: { type: "SYSTEM" },
        action: "printing.batch_submitted",
        subject: { type: "print_batch", id: batch.id },
        details: { batchNumber: batch.batchNumber, attempts },
      },
      tx,
    );
  });
  const applied = await onStatus?.(status);
  const pollAt = new Date((await lease.clock()).getTime() + env().PRINT_POLL_INTERVAL_SECONDS * 1000);
  await prisma.$transaction((tx) => lease.release(tx, applied?.completed ? undefined : pollAt));
  return "submitted";
}

async function recordSubmitFailure(
  lease: BatchLease,
  attempts: number,
  error: unknown,
  now: Date,
): Promise<SubmitOutcome> {
  const { batch } = lease;
  const vendorError = error instanceof VendorError ? error : null;
  const code = vendorError ? `${vendorError.code}${vendorError.httpStatus ? ` HTTP ${vendorError.httpStatus}` : ""}` : "UNEXPECTED";
  // Anything but the vendor's own refusal (a dropped database connection, a bug) is retried, not held against the batch.
  const transient = vendorError ? vendorError.transient : true;
  const log = logger().child({ component: "print-batches" });
  log.warn({ batchId: batch.id, batchNumber: batch.batchNumber, attempts, code, transient }, "print batch not accepted");
  if (!vendorError) log.error({ batchId: batch.id, err: (error as Error)?.message }, "unexpected error sending a print batch");

  return prisma.$transaction(async (tx) => {
    await lease.guard(tx);
    if (transient) {
      await tx.printBatch.update({ where: { id: batch.id }, data: { submitAttempts: attempts, lastError: code } });
      await lease.release(tx, new Date(now.getTime() + submitRetryDelayMs(attempts)));
      if (attempts >= ATTEMPTS_BEFORE_SUPPORT) {
        await openSupportCase(tx, {
          kind: "PRINT_VENDOR_ERROR",
          dedupeKey: `PRINT_VENDOR_ERROR:${batch.id}:unreachable`,
          batchId: batch.id,
          reason: `batch ${batch.batchNumber} not accepted after ${attempts} attempts (last: ${code}); still retrying`,
          openedBy: "system",
        });
      }
      return "retrying";
    }
    // The vendor refused the batch itself (or answered nonsense): nothing was printed, support decides.
    await tx.printBatch.update({
      where: { id: batch.id },
      data: { status: "FAILED", submitAttempts: attempts, lastError: code, completedAt: now },
    });
    await lease.release(tx);
    await openSupportCase(tx, {
      kind: "PRINT_VENDOR_ERROR",
      dedupeKey: `PRINT_VENDOR_ERROR:${batch.id}:refused`,
      batchId: batch.id,
      reason: `the print vendor refused batch ${batch.batchNumber}: ${code}`,
      openedBy: "system",
    });
    await recordAuditEvent(
      { actor: { type: "SYSTEM" }, action: "printing.batch_failed", subject: { type: "print_batch", id: batch.id }, details: { code } },
      tx,
    );
    return "failed";
  });
}
