// What finance reads from the exception list: money to refund or match by hand. Ids, amounts, times, the order
// number (a tombstone's too) and the bank's references — never the applicant's personal data.
import type { FinanceExceptionKind, PaymentMethod, ReissueOrderStatus } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";

export interface FinanceExceptionListItem {
  id: string;
  kind: FinanceExceptionKind;
  method: PaymentMethod;
  amountNtd: number;
  paidAt: Date;
  /** The order the money was matched to (also after it was deleted: the tombstone keeps the number). */
  orderNumber: string | null;
  orderStatus: ReissueOrderStatus | null;
  bankCode: string | null;
  virtualAccount: string | null;
  bankTxnId: string | null;
  /** The provider's reference for card payments (Stripe) or the bank's txn id for transfers. */
  providerReference: string | null;
  detail: string;
  detectedAt: Date;
  resolvedAt: Date | null;
  /** REFUND_ISSUED, MATCHED_BY_HAND, NO_ACTION_NEEDED once resolved. */
  resolution: string | null;
}

export interface FinanceExceptionPage {
  items: FinanceExceptionListItem[];
  /** Pass back as `cursor` for the next (older) page; null at the end. */
  nextCursor: string | null;
}

/**
 * Newest first. `cursor` is the id of the last item of the previous page. `status` (open, resolved or all) wins
 * over the older `unresolvedOnly`.
 */
export async function listFinanceExceptions({ unresolvedOnly = true, status, kind, limit = 50, cursor }: {
  unresolvedOnly?: boolean;
  status?: "open" | "resolved" | "all";
  kind?: FinanceExceptionKind;
  limit?: number;
  cursor?: string;
} = {}): Promise<FinanceExceptionPage> {
  const take = Math.min(Math.max(Math.trunc(limit), 1), 500);
  const shown = status ?? (unresolvedOnly ? "open" : "all");
  const resolved = shown === "open" ? { resolvedAt: null } : shown === "resolved" ? { resolvedAt: { not: null } } : {};
  const rows = await prisma.financeException.findMany({
    where: { ...resolved, ...(kind ? { kind } : {}) },
    orderBy: [{ detectedAt: "desc" }, { id: "desc" }],
    take: take + 1,
    ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    select: {
      id: true, kind: true, method: true, amountNtd: true, paidAt: true, detail: true, detectedAt: true, resolvedAt: true, resolution: true,
      order: { select: { orderNumber: true, status: true, atmBankCode: true, virtualAccount: true } },
      bankTransfer: { select: { bankCode: true, virtualAccount: true, bankTxnId: true } },
      payment: { select: { providerReference: true } },
    },
  });
  const page = rows.slice(0, take);
  const items = page.map((row): FinanceExceptionListItem => {
    const atmOrder = row.method === "ATM" ? row.order : null;
    return {
      id: row.id,
      kind: row.kind,
      method: row.method,
      amountNtd: row.amountNtd,
      paidAt: row.paidAt,
      orderNumber: row.order?.orderNumber ?? null,
      orderStatus: row.order?.status ?? null,
      // The account as the bank reported it; an ATM payment matched otherwise falls back to the order's account.
      bankCode: row.bankTransfer?.bankCode ?? atmOrder?.atmBankCode ?? null,
      virtualAccount: row.bankTransfer?.virtualAccount ?? atmOrder?.virtualAccount ?? null,
      bankTxnId: row.bankTransfer?.bankTxnId ?? null,
      providerReference: row.payment?.providerReference ?? row.bankTransfer?.bankTxnId ?? null,
      detail: row.detail,
      detectedAt: row.detectedAt,
      resolvedAt: row.resolvedAt,
      resolution: row.resolution,
    };
  });
  return { items, nextCursor: rows.length > take ? page[page.length - 1]!.id : null };
}
