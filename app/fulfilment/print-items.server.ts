// A print batch's items as the vendor's replies are applied to them (print-progress.server.ts): what is read once
// per reply, the item's status under its row lock, and the rejection of a card that will not be made.
import type { Prisma } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import type { BatchLease } from "./print-lease.server";
import { openSupportCase } from "./support-cases.server";

export type PrintItemView = Awaited<ReturnType<typeof loadItems>>[number];

export function loadItems(batchId: string) {
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
export async function lockedItemStatus(tx: Prisma.TransactionClient, itemId: string) {
  const [row] = await tx.$queryRaw<Array<{ status: string }>>`SELECT status::text FROM print_item WHERE id = ${itemId}::uuid FOR UPDATE`;
  return row?.status;
}

/** A rejected card: the item is closed with the vendor's code, support gets one case, the holder's page says so. */
export async function rejectItem(
  batchId: string,
  batchNumber: string,
  item: PrintItemView,
  code: string,
  reason: string,
  by: "vendor" | "service",
  lease?: BatchLease,
): Promise<boolean> {
  return prisma.$transaction(async (tx) => {
    await lease?.guard(tx);
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
