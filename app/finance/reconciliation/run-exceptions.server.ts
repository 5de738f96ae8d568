// The exceptions a reconciliation run finds. One row per cause, however often a day is re-run: each cause is keyed
// by what it is about (Stripe's balance transaction, our payment, the bank transfer), and a re-run that finds an
// open one again only moves it to the newer run. A resolved one stays resolved — finance has dealt with it.
import type { FinanceExceptionKind, PaymentMethod, Prisma } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";

type Tx = Prisma.TransactionClient;

export interface FoundException {
  kind: FinanceExceptionKind;
  method: PaymentMethod;
  amountNtd: number;
  paidAt: Date;
  orderId?: string | null;
  /** What the cause is about: exactly one of these. */
  about: { stripeBalanceTransactionId: string } | { paymentId: string } | { bankTransferId: string };
  detail: string;
}

export interface FoundExceptionResult {
  id: string;
  kind: FinanceExceptionKind;
  created: boolean;
}

const aboutKey = (about: FoundException["about"]) =>
  "stripeBalanceTransactionId" in about ? about.stripeBalanceTransactionId : "paymentId" in about ? about.paymentId : about.bankTransferId;

/**
 * Records (or finds again) one exception of a run. The link columns are unique, and a payment or transfer may
 * already carry the exception settlement opened for it (a late payment, say); then this cause is kept unlinked,
 * with its key in the detail, and found again by order, kind and that key.
 */
export async function recordRunException(
  tx: Tx,
  { runId, staffId, detectedAt, found }: { runId: string; staffId: string; detectedAt: Date; found: FoundException },
): Promise<FoundExceptionResult> {
  const key = aboutKey(found.about);
  const linked = await tx.financeException.findUnique({ where: found.about, select: { id: true, kind: true, resolvedAt: true } });
  let existing = linked?.kind === found.kind ? linked : null;
  const linkFree = !linked;
  if (!existing && !linkFree) {
    existing = await tx.financeException.findFirst({
      where: { kind: found.kind, orderId: found.orderId ?? null, detail: { startsWith: `[${key}]` } },
      select: { id: true, kind: true, resolvedAt: true },
    });
  }
  if (existing) {
    if (!existing.resolvedAt) await tx.financeException.update({ where: { id: existing.id }, data: { reconciliationRunId: runId } });
    return { id: existing.id, kind: found.kind, created: false };
  }
  const row = await tx.financeException.create({
    data: {
      kind: found.kind,
      method: found.method,
      amountNtd: found.amountNtd,
      paidAt: found.paidAt,
      orderId: found.orderId ?? null,
      ...(linkFree ? found.about : {}),
      reconciliationRunId: runId,
      detail: `[${key}] ${found.detail}`.slice(0, 500),
      detectedAt,
    },
    select: { id: true },
  });
  await recordAuditEvent(
    {
      actor: { type: "STAFF", id: staffId },
      action: "finance.exception_recorded",
      subject: { type: "finance_exception", id: row.id },
      details: { kind: found.kind, method: found.method, amountNtd: found.amountNtd, orderId: found.orderId ?? null, runId },
    },
    tx,
  );
  return { id: row.id, kind: found.kind, created: true };
}

export type KindCounts = Partial<Record<FinanceExceptionKind, number>>;

export function countKinds(results: ReadonlyArray<{ kind: FinanceExceptionKind }>): KindCounts {
  const counts: KindCounts = {};
  for (const { kind } of results) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
