// The row lock both sides of a payment-vs-deletion race take first, so PostgreSQL — not timing — orders them.
import type { Prisma, ReissueOrderStatus } from "~/generated/prisma/client";

export interface LockedOrder {
  id: string;
  status: ReissueOrderStatus;
  amountNtd: number;
  paymentDeadline: Date;
}

export async function lockOrder(tx: Prisma.TransactionClient, orderId: string): Promise<LockedOrder | null> {
  const rows = await tx.$queryRaw<Array<{ id: string; status: ReissueOrderStatus; amount_ntd: number; payment_deadline: Date }>>`
    SELECT id::text, status::text AS status, amount_ntd, payment_deadline
      FROM reissue_order WHERE id = ${orderId}::uuid FOR UPDATE`;
  const row = rows[0];
  return row ? { id: row.id, status: row.status, amountNtd: row.amount_ntd, paymentDeadline: row.payment_deadline } : null;
}
