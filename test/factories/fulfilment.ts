// Fulfilment states for tests, written straight to the database: paid orders in a print batch, and an order
// whose card is in the post with its registered-mail number (as recordDispatch would leave it).
import type { PrintBatchStatus, PrintItemStatus, TrackingStatus } from "../../app/generated/prisma/client";
import { formatBatchNumber } from "../../app/fulfilment/batch-number";
import { prisma } from "../../app/lib/db.server";
import { createOrderFixture, type OrderFixtureOptions } from "./orders";

let batchSequence = 0;
let mailSequence = 0;

/** A PAID order (with its application), the holder named `holderName`. */
export function createPaidOrderFixture(options: OrderFixtureOptions = {}) {
  return createOrderFixture({ ...options, status: "PAID" });
}

/** A batch holding `orderIds` in that order (positions 1…n); the orders become IN_PRODUCTION. */
export async function createPrintBatchFixture({
  orderIds,
  status = "SUBMITTED",
  itemStatus = "SUBMITTED",
  createdAt = new Date(),
}: {
  orderIds: string[];
  status?: PrintBatchStatus;
  itemStatus?: PrintItemStatus;
  createdAt?: Date;
}) {
  const validFrom = new Date(Math.floor(createdAt.getTime() / 1000) * 1000);
  const validUntil = new Date(validFrom);
  validUntil.setUTCFullYear(validUntil.getUTCFullYear() + 5);
  const batch = await prisma.printBatch.create({
    data: {
      batchNumber: formatBatchNumber(createdAt, (++batchSequence % 9000) + 1000),
      status,
      itemCount: orderIds.length,
      submittedAt: status === "ASSEMBLED" ? null : createdAt,
      createdAt,
      items: {
        create: orderIds.map((orderId, index) => ({ orderId, position: index + 1, status: itemStatus, validFrom, validUntil })),
      },
    },
    include: { items: { orderBy: { position: "asc" } } },
  });
  await prisma.reissueOrder.updateMany({ where: { id: { in: orderIds } }, data: { status: "IN_PRODUCTION" } });
  return batch;
}

/** A 20-digit registered-mail number, unique within the run. */
export function testMailNumber(): string {
  return `${Date.now()}${String(process.pid % 1000).padStart(3, "0")}${String(++mailSequence).padStart(4, "0")}`.slice(-20).padStart(20, "0");
}

/**
 * An order whose card is in the post: PAID → batch item DISPATCHED → RegisteredMail (status `trackingStatus`,
 * default ACCEPTED), order MAILED. The estimate is stored as given (default: dispatch + 9/10 days, not computed).
 */
export async function createMailedOrderFixture(
  options: OrderFixtureOptions & {
    dispatchedAt?: Date;
    mailNumber?: string;
    trackingStatus?: TrackingStatus;
    estimatedFrom?: Date;
    estimatedTo?: Date;
  } = {},
) {
  const dispatchedAt = options.dispatchedAt ?? new Date();
  const fixture = await createPaidOrderFixture({ paidAt: new Date(dispatchedAt.getTime() - 2 * 86_400_000), ...options });
  const batch = await createPrintBatchFixture({ orderIds: [fixture.order.id], status: "COMPLETED", itemStatus: "DISPATCHED", createdAt: new Date(dispatchedAt.getTime() - 86_400_000) });
  const day = (n: number) => new Date(Date.UTC(dispatchedAt.getUTCFullYear(), dispatchedAt.getUTCMonth(), dispatchedAt.getUTCDate() + n));
  const registeredMail = await prisma.registeredMail.create({
    data: {
      orderId: fixture.order.id,
      mailNumber: options.mailNumber ?? testMailNumber(),
      dispatchedAt,
      estimatedFrom: options.estimatedFrom ?? day(9),
      estimatedTo: options.estimatedTo ?? day(10),
      status: options.trackingStatus ?? "ACCEPTED",
      statusAt: dispatchedAt,
    },
  });
  const order = await prisma.reissueOrder.update({ where: { id: fixture.order.id }, data: { status: "MAILED" } });
  return { ...fixture, order, batch, registeredMail };
}
