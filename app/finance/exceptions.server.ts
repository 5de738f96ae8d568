// Finance's exception list: money that did not simply pay its order. Never dropped — refunded or matched by hand
// in the back office. Rows carry ids, amounts and times, no personal data.
import type { FinanceExceptionKind, PaymentMethod, Prisma } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";

export interface NewFinanceException {
  kind: FinanceExceptionKind;
  method: PaymentMethod;
  amountNtd: number;
  paidAt: Date;
  orderId?: string | null;
  paymentId?: string | null;
  bankTransferId?: string | null;
  detail: string;
}

/** Records one exception inside the caller's transaction (the one that received the money). */
export async function recordFinanceException(tx: Prisma.TransactionClient, exception: NewFinanceException) {
  const row = await tx.financeException.create({ data: { ...exception, detail: exception.detail.slice(0, 500) } });
  await recordAuditEvent(
    {
      actor: { type: "SYSTEM" },
      action: "finance.exception_recorded",
      subject: { type: "finance_exception", id: row.id },
      details: { kind: exception.kind, method: exception.method, amountNtd: exception.amountNtd, orderId: exception.orderId ?? null },
    },
    tx,
  );
  return row;
}
