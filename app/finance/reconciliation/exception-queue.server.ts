// What the exception pages read: the queue (listFinanceExceptions, paged by keyset) and one exception in full,
// with who resolved it. Ids, amounts, times, order numbers and references — no applicant's personal data.
import type { FinanceExceptionKind } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { listFinanceExceptions } from "../exception-list.server";
import { assertFinanceStaff, type FinanceStaff } from "./runs.server";
import type { ExceptionStatusFilter } from "./schema";
import { uuidSchema } from "./schema";

export const EXCEPTION_PAGE_SIZE = 50;

export async function listExceptionQueue({ staff, kind, status, cursor, limit = EXCEPTION_PAGE_SIZE }: {
  staff: FinanceStaff;
  kind?: FinanceExceptionKind;
  status: ExceptionStatusFilter;
  cursor?: string;
  limit?: number;
}) {
  assertFinanceStaff(staff);
  return listFinanceExceptions({ status, kind, cursor, limit });
}

export async function loadFinanceException({ staff, exceptionId }: { staff: FinanceStaff; exceptionId: string }) {
  assertFinanceStaff(staff);
  if (!uuidSchema.safeParse(exceptionId).success) return null;
  const row = await prisma.financeException.findUnique({
    where: { id: exceptionId },
    select: {
      id: true, kind: true, method: true, amountNtd: true, paidAt: true, detail: true, detectedAt: true,
      resolvedAt: true, resolvedBy: true, resolution: true, resolutionNote: true, reconciliationRunId: true,
      stripeBalanceTransactionId: true,
      order: { select: { orderNumber: true, status: true } },
      payment: { select: { providerReference: true, providerPaymentId: true } },
      bankTransfer: { select: { bankCode: true, bankTxnId: true } },
      reconciliationRun: { select: { source: true, day: true } },
    },
  });
  if (!row) return null;
  // The resolver's name for the page; "resolved by" keeps the account id, which outlives a renamed account.
  const resolver = row.resolvedBy && uuidSchema.safeParse(row.resolvedBy).success
    ? await prisma.staffAccount.findUnique({ where: { id: row.resolvedBy }, select: { displayName: true, username: true } })
    : null;
  await recordAuditEvent({ actor: { type: "STAFF", id: staff.id }, action: "finance.exception_viewed", subject: { type: "finance_exception", id: row.id } });
  const { order, payment, bankTransfer, reconciliationRun, ...rest } = row;
  return {
    ...rest,
    orderNumber: order?.orderNumber ?? null,
    orderStatus: order?.status ?? null,
    providerReference: payment?.providerPaymentId ?? payment?.providerReference ?? bankTransfer?.bankTxnId ?? null,
    bankCode: bankTransfer?.bankCode ?? null,
    run: reconciliationRun ? { source: reconciliationRun.source, day: reconciliationRun.day.toISOString().slice(0, 10) } : null,
    resolver: resolver ? `${resolver.displayName} (${resolver.username})` : row.resolvedBy,
  };
}

export type FinanceExceptionDetail = NonNullable<Awaited<ReturnType<typeof loadFinanceException>>>;
