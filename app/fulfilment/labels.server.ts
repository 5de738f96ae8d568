// The address labels of a print batch (002: 印製收件人信封) and the audit record that they were printed.
// Only name, postcode, address and order number are read: the label sheet is one of the two places personal
// data leaves the system (the other is the vendor hand-off), so it carries nothing more.
import { recordAuditEvent } from "~/audit/audit.server";
import { AppError } from "~/lib/errors.server";
import { prisma } from "~/lib/db.server";
import type { AddressLabel } from "./label-sheet";

export interface BatchLabels {
  batchId: string;
  batchNumber: string;
  labels: AddressLabel[];
  /** Cards the vendor rejected: no card, so no envelope. */
  skipped: number;
}

/** The labels of the batch in position order; REJECTED items are left out and counted. */
export async function loadBatchLabels(batchNumber: string): Promise<BatchLabels> {
  const wanted = batchNumber.trim().toUpperCase();
  const batch = await prisma.printBatch.findUnique({
    where: { batchNumber: wanted },
    select: {
      id: true,
      batchNumber: true,
      items: {
        orderBy: { position: "asc" },
        select: {
          position: true,
          status: true,
          order: {
            select: {
              id: true,
              orderNumber: true,
              holder: { select: { name: true } },
              application: { select: { postcode: true, address: true } },
            },
          },
        },
      },
    },
  });
  if (!batch) {
    throw new AppError(
      "print_batch.not_found",
      { "zh-TW": `查無製卡批次 ${wanted.slice(0, 32)}`, en: `No print batch ${wanted.slice(0, 32)}` },
      404,
    );
  }
  const labels: AddressLabel[] = [];
  let skipped = 0;
  for (const item of batch.items) {
    if (item.status === "REJECTED") {
      skipped++;
      continue;
    }
    const { application } = item.order;
    // A paid order always has its application (002: no data changes after payment); its absence is a bug.
    if (!application) throw new Error(`order ${item.order.id} in batch ${batch.batchNumber} (position ${item.position}) has no application`);
    labels.push({
      position: item.position,
      postcode: application.postcode,
      address: application.address,
      name: item.order.holder.name,
      orderNumber: item.order.orderNumber,
    });
  }
  return { batchId: batch.id, batchNumber: batch.batchNumber, labels, skipped };
}

// printing.*, beside the batch's other audit actions (printing.batch_submitted …).
/** Who produced the label file of which batch, how many labels and in what format — no personal data. */
export async function recordLabelsPrinted(input: {
  batchId: string;
  batchNumber: string;
  operator: string;
  labels: number;
  format: "html" | "pdf";
}): Promise<void> {
  await recordAuditEvent({
    actor: { type: "STAFF", id: input.operator.slice(0, 64) },
    action: "printing.labels_printed",
    subject: { type: "print_batch", id: input.batchId },
    details: { batchNumber: input.batchNumber, labels: input.labels, format: input.format },
  });
}
