// What the vendor says about each card of a batch, applied to our records. Every step checks the item's status
// under its row lock, so the same reply applied twice (a re-poll, two workers, a crash between steps) changes
// nothing the second time: certificates are issued once per item, a letter is recorded once, a case opened once.
//
//   personalised          → the CA issues both certificates (AWAITING_ACTIVATION) and the vendor receives them
//   certificates_written  → (we crashed after delivering) the delivery is recorded
//   dispatched            → registered mail + estimate, order MAILED, the "mailed" e-mail queued
//   rejected              → the item is rejected and support gets a case
import type { Prisma } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { estimateDelivery } from "./delivery-estimate";
import { loadIssuingCa } from "./issuing-ca.server";
import { issueReplacementCertificates, recordReplacementCard, ReplacementCardError } from "./replacement-card.server";
import { openSupportCase } from "./support-cases.server";
import { claimDueBatches, submitPrintBatch, submitRetryDelayMs } from "./print-batches.server";
import { VendorError, type BatchStatus, type PrintVendor, type VendorCard } from "./vendor-protocol";
import { loadWorkingDayCalendar } from "./working-day-calendar.server";

type Item = Awaited<ReturnType<typeof loadItems>>[number];

function loadItems(batchId: string) {
  return prisma.printItem.findMany({
    where: { batchId },
    orderBy: { position: "asc" },
    select: {
      id: true, status: true, validFrom: true, validUntil: true, cardNumber: true, orderId: true,
      order: { select: { orderNumber: true, holderId: true, newCardId: true, holder: { select: { name: true, nationalIdLast4: true } } } },
    },
  });
}

/** Locks the item and answers its status now (another worker may have moved it since we read it). */
async function lockedItemStatus(tx: Prisma.TransactionClient, itemId: string) {
  const [row] = await tx.$queryRaw<Array<{ status: string }>>`SELECT status::text FROM print_item WHERE id = ${itemId}::uuid FOR UPDATE`;
  return row?.status;
}

export interface ApplyResult {
  issued: number;
  delivered: number;
  dispatched: number;
  rejected: number;
  completed: boolean;
}

/** Applies a batch status reply from the vendor; completes the batch once every card is dispatched or rejected. */
export async function applyBatchStatus(
  batchId: string,
  status: BatchStatus,
  { vendor, now = new Date() }: { vendor: PrintVendor; now?: Date },
): Promise<ApplyResult> {
  const log = logger().child({ component: "print-progress", batchId });
  const result: ApplyResult = { issued: 0, delivered: 0, dispatched: 0, rejected: 0, completed: false };
  const byOrder = new Map(status.cards.map((card) => [card.orderNumber, card]));
  const items = await loadItems(batchId);
  for (const item of items) {
    const card = byOrder.get(item.order.orderNumber);
    if (!card) continue;
    byOrder.delete(item.order.orderNumber);
    await applyCard(batchId, status.batchNumber, item, card, { vendor, now, result });
  }
  if (byOrder.size > 0) log.warn({ unknownCards: byOrder.size }, "the vendor reported cards this batch does not hold");

  result.completed = await completeBatchIfDone(batchId, status.batchNumber, now);
  return result;
}

async function applyCard(
  batchId: string,
  batchNumber: string,
  item: Item,
  card: VendorCard,
  ctx: { vendor: PrintVendor; now: Date; result: ApplyResult },
): Promise<void> {
  switch (card.state) {
    case "queued":
    case "printing":
      return;
    case "rejected":
      if (await rejectItem(batchId, batchNumber, item, card.reasonCode, card.reason, "vendor")) ctx.result.rejected++;
      return;
    case "personalised":
      if (item.status === "SUBMITTED") {
        if (!(await issueForItem(batchId, batchNumber, item, card))) return;
        ctx.result.issued++;
      }
      if (item.status === "SUBMITTED" || item.status === "CERTIFICATES_ISSUED") {
        if (await deliverCertificates(batchId, batchNumber, item, ctx.vendor)) ctx.result.delivered++;
      }
      return;
    case "certificates_written":
      if (item.status === "CERTIFICATES_ISSUED") {
        await prisma.printItem.updateMany({ where: { id: item.id, status: "CERTIFICATES_ISSUED" }, data: { status: "CERTIFICATES_DELIVERED" } });
        ctx.result.delivered++;
      }
      return;
    case "dispatched":
      if (await recordDispatch(batchId, batchNumber, item, card, ctx.now)) ctx.result.dispatched++;
      return;
  }
}

/** Issues the card's two certificates from its key requests; a refusal rejects the item for support. */
async function issueForItem(
  batchId: string,
  batchNumber: string,
  item: Item,
  card: Extract<VendorCard, { state: "personalised" }>,
): Promise<boolean> {
  let certificates: { signing: Uint8Array; encryption: Uint8Array };
  try {
    certificates = await issueReplacementCertificates({
      ca: await loadIssuingCa(),
      holder: { name: item.order.holder.name, idLast4: item.order.holder.nationalIdLast4 },
      validFrom: item.validFrom,
      validUntil: item.validUntil,
      signingCsr: card.signingCsr,
      encryptionCsr: card.encryptionCsr,
      cardNumber: card.cardNumber,
    });
  } catch (error) {
    if (!(error instanceof ReplacementCardError)) throw error;
    await rejectItem(batchId, batchNumber, item, error.code, "the card's key requests were refused", "service");
    return false;
  }
  try {
    return await prisma.$transaction(async (tx) => {
      if ((await lockedItemStatus(tx, item.id)) !== "SUBMITTED") return false;
      await recordReplacementCard(tx, {
        orderId: item.orderId,
        holderId: item.order.holderId,
        cardNumber: card.cardNumber,
        signing: certificates.signing,
        encryption: certificates.encryption,
      });
      await tx.printItem.update({ where: { id: item.id }, data: { status: "CERTIFICATES_ISSUED", cardNumber: card.cardNumber } });
      return true;
    });
  } catch (error) {
    if (!(error instanceof ReplacementCardError)) throw error;
    await rejectItem(batchId, batchNumber, item, error.code, "the card could not be recorded", "service");
    return false;
  }
}

/** Sends the issued certificates to the vendor to write onto the card. A transient failure waits for the next poll. */
async function deliverCertificates(
  batchId: string,
  batchNumber: string,
  { id: itemId, orderId }: { id: string; orderId: string },
  vendor: PrintVendor,
): Promise<boolean> {
  const item = await prisma.printItem.findUniqueOrThrow({
    where: { id: itemId },
    select: {
      status: true, cardNumber: true,
      order: { select: { orderNumber: true, newCard: { select: { cardNumber: true, certificates: { select: { usage: true, der: true } } } } } },
    },
  });
  const newCard = item.order.newCard;
  if (item.status !== "CERTIFICATES_ISSUED" || !newCard) return false;
  const der = (usage: "SIGNING" | "ENCRYPTION") => {
    const certificate = newCard.certificates.find((c) => c.usage === usage);
    if (!certificate) throw new Error(`card ${newCard.cardNumber} has no ${usage} certificate`);
    return Buffer.from(certificate.der).toString("base64");
  };
  try {
    await vendor.deliverCertificates(batchNumber, item.order.orderNumber, {
      cardNumber: newCard.cardNumber,
      signingCertificate: der("SIGNING"),
      encryptionCertificate: der("ENCRYPTION"),
    });
  } catch (error) {
    if (!(error instanceof VendorError)) throw error;
    if (error.transient) return false;
    await prisma.$transaction((tx) =>
      openSupportCase(tx, {
        kind: "PRINT_VENDOR_ERROR",
        dedupeKey: `PRINT_VENDOR_ERROR:${itemId}:certificates`,
        batchId,
        orderId,
        reason: `the vendor refused the certificates for a card of batch ${batchNumber}: ${error.code}${error.httpStatus ? ` HTTP ${error.httpStatus}` : ""}`,
        openedBy: "system",
      }),
    );
    return false;
  }
  const { count } = await prisma.printItem.updateMany({ where: { id: itemId, status: "CERTIFICATES_ISSUED" }, data: { status: "CERTIFICATES_DELIVERED" } });
  return count === 1;
}

/** A rejected card: the item is closed with the vendor's code, support gets one case, the holder's page says so. */
async function rejectItem(
  batchId: string,
  batchNumber: string,
  item: Item,
  code: string,
  reason: string,
  by: "vendor" | "service",
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    const current = await lockedItemStatus(tx, item.id);
    if (current === "REJECTED" || current === "DISPATCHED") return false;
    await tx.printItem.update({
      where: { id: item.id },
      data: { status: "REJECTED", rejectionCode: code.slice(0, 64), rejectionReason: reason.slice(0, 500) },
    });
    await openSupportCase(tx, {
      kind: "PRINT_REJECTED",
      dedupeKey: `PRINT_REJECTED:${item.id}`,
      orderId: item.orderId,
      batchId,
      // The code only: a vendor's words may quote the name it could not print.
      reason: `card not made (${by === "vendor" ? "vendor" : "certificate issuance"}: ${code}) in batch ${batchNumber}`,
      openedBy: "system",
    });
    await recordAuditEvent(
      { actor: { type: "SYSTEM" }, action: "order.print_rejected", subject: { type: "order", id: item.orderId }, details: { batchNumber, code } },
      tx,
    );
    return true;
  });
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
): Promise<boolean> {
  const dispatchedAt = new Date(card.dispatchedAt);
  const application = await prisma.reissueApplication.findUnique({ where: { orderId: item.orderId }, select: { outlyingIsland: true } });
  const estimate = estimateDelivery({ from: dispatchedAt, outlyingIsland: application?.outlyingIsland ?? false }, await loadWorkingDayCalendar());
  return prisma.$transaction(async (tx) => {
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

async function completeBatchIfDone(batchId: string, batchNumber: string, now: Date): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
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
 * Asks the vendor about one claimed batch and applies the answer; the next question is due a poll interval later.
 * A failed question is retried later (with backoff); one the vendor refuses is a case for support.
 */
export async function pollPrintBatch(
  batch: { id: string; batchNumber: string },
  { vendor, now = new Date() }: { vendor: PrintVendor; now?: Date },
): Promise<ApplyResult | "failed"> {
  const interval = env().PRINT_POLL_INTERVAL_SECONDS * 1000;
  let status: BatchStatus;
  try {
    status = await vendor.getBatch(batch.batchNumber);
  } catch (error) {
    if (!(error instanceof VendorError)) throw error;
    const code = `${error.code}${error.httpStatus ? ` HTTP ${error.httpStatus}` : ""}`;
    logger().warn({ component: "print-progress", batchId: batch.id, code, transient: error.transient }, "print batch status not read");
    await prisma.$transaction(async (tx) => {
      const row = await tx.printBatch.update({
        where: { id: batch.id },
        data: { lastError: code, pollFailures: { increment: 1 } },
        select: { pollFailures: true },
      });
      await tx.printBatch.update({
        where: { id: batch.id },
        data: { nextActionAt: new Date(now.getTime() + Math.max(interval, submitRetryDelayMs(row.pollFailures))) },
      });
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
  const result = await applyBatchStatus(batch.id, status, { vendor, now });
  if (!result.completed) {
    await prisma.printBatch.update({
      where: { id: batch.id },
      data: { nextActionAt: new Date(now.getTime() + interval), lastError: null, pollFailures: 0 },
    });
  }
  return result;
}

/**
 * One worker run: sends batches waiting for the vendor, then asks about submitted ones that are due. Returns
 * counts for the job log.
 */
export async function advancePrintBatches({ vendor, now = new Date(), limit = 20 }: { vendor: PrintVendor; now?: Date; limit?: number }) {
  const counts = { submitted: 0, retrying: 0, failed: 0, polled: 0, dispatched: 0, rejected: 0 };
  for (const batch of await claimDueBatches("ASSEMBLED", { now, limit })) {
    const outcome = await submitPrintBatch(batch, {
      vendor,
      now,
      onStatus: async (status) => {
        const applied = await applyBatchStatus(batch.id, status, { vendor, now });
        counts.dispatched += applied.dispatched;
        counts.rejected += applied.rejected;
      },
    });
    counts[outcome]++;
  }
  for (const batch of await claimDueBatches("SUBMITTED", { now, limit })) {
    const result = await pollPrintBatch(batch, { vendor, now });
    counts.polled++;
    if (result !== "failed") {
      counts.dispatched += result.dispatched;
      counts.rejected += result.rejected;
    }
  }
  return counts;
}
