// What both reconciliations share: who may run one, which day, one run at a time per source and day, the run row
// and its audit event; and what the reconcile page reads back (past runs, one run with its exceptions).
import type { Prisma, ReconciliationSource, StaffRole } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { FINANCE_ROLES } from "~/staff/areas";
import type { KindCounts } from "./run-exceptions.server";
import { taipeiDayWindow, type TaipeiDayWindow } from "./taipei-day";

export interface FinanceStaff {
  id: string;
  roles: StaffRole[];
}

export interface ReconciliationSummary {
  runId: string;
  source: ReconciliationSource;
  day: string;
  matched: number;
  /** Whole NT$: gross of what matched, Stripe's fees on it, and gross − fees. */
  matchedNtd: number;
  feeNtd: number;
  netNtd: number;
  /** Causes found this run (new or still open from an earlier run of the day). */
  exceptions: number;
  newExceptions: number;
  exceptionsByKind: KindCounts;
  exceptionIds: string[];
}

const FORBIDDEN = new AppError("FORBIDDEN", { "zh-TW": "您的角色不能執行這項作業。", en: "Your role does not allow this action." }, 403);

export function assertFinanceStaff(staff: FinanceStaff): void {
  if (!staff.roles.some((role) => FINANCE_ROLES.includes(role))) throw FORBIDDEN;
}

/** A Taipei day that has begun (a future day has nothing to reconcile yet). */
export function reconciliationDay(day: string, now: Date): TaipeiDayWindow {
  let window: TaipeiDayWindow;
  try {
    window = taipeiDayWindow(day);
  } catch {
    throw new AppError("DAY_INVALID", { "zh-TW": "請輸入有效的日期（YYYY-MM-DD）。", en: "Enter a valid date (YYYY-MM-DD)." }, 400);
  }
  if (window.start.getTime() > now.getTime()) {
    throw new AppError("DAY_IN_FUTURE", { "zh-TW": "這一天還沒開始，無法對帳。", en: "That day has not begun; there is nothing to reconcile yet." }, 400);
  }
  return window;
}

/** Two runs of the same source and day wait for each other instead of both opening the same exceptions. */
export async function lockReconciliationDay(tx: Prisma.TransactionClient, source: ReconciliationSource, day: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`reconcile:${source}:${day}`}))`;
}

export async function finishRun(
  tx: Prisma.TransactionClient,
  { runId, staffId, source, day, now, counts }: {
    runId: string;
    staffId: string;
    source: ReconciliationSource;
    day: string;
    now: Date;
    counts: { matched: number; exceptions: number; newExceptions: number; matchedNtd: number; feeNtd: number } & Record<string, number>;
  },
): Promise<void> {
  const { matched, exceptions, matchedNtd, feeNtd } = counts;
  await tx.reconciliationRun.update({ where: { id: runId }, data: { finishedAt: now, matched, exceptions, matchedNtd, feeNtd } });
  await recordAuditEvent(
    { actor: { type: "STAFF", id: staffId }, action: "finance.reconciled", subject: { type: "reconciliation_run", id: runId }, details: { source, day, ...counts } },
    tx,
  );
}

// A day of a few thousand payments is written in one transaction: all of a run or none of it.
export const RUN_TRANSACTION = { maxWait: 30_000, timeout: 120_000 };

export interface ReconciliationRunListItem {
  id: string;
  source: ReconciliationSource;
  day: string;
  startedBy: string;
  startedAt: Date;
  finishedAt: Date | null;
  matched: number;
  exceptions: number;
  matchedNtd: number;
  feeNtd: number;
}

const runSelect = {
  id: true, source: true, day: true, startedBy: true, startedAt: true, finishedAt: true, matched: true, exceptions: true, matchedNtd: true, feeNtd: true,
} as const;

const toItem = (row: Prisma.ReconciliationRunGetPayload<{ select: typeof runSelect }>): ReconciliationRunListItem => ({
  ...row,
  day: row.day.toISOString().slice(0, 10),
});

/** Newest first, keyset paged by id (uuid v7 ids grow with time). */
export async function listReconciliationRuns({ staff, limit = 20, cursor }: { staff: FinanceStaff; limit?: number; cursor?: string }) {
  assertFinanceStaff(staff);
  const take = Math.min(Math.max(Math.trunc(limit), 1), 100);
  const rows = await prisma.reconciliationRun.findMany({
    where: cursor ? { id: { lt: cursor } } : {},
    orderBy: { id: "desc" },
    take: take + 1,
    select: runSelect,
  });
  const page = rows.slice(0, take).map(toItem);
  return { items: page, nextCursor: rows.length > take ? page[page.length - 1]!.id : null };
}

/** One run with the exceptions it found (those it was the latest run to find) and Stripe's other transactions. */
export async function loadReconciliationRun({ staff, runId }: { staff: FinanceStaff; runId: string }) {
  assertFinanceStaff(staff);
  const run = await prisma.reconciliationRun.findUnique({
    where: { id: runId },
    select: {
      ...runSelect,
      financeExceptions: {
        orderBy: { detectedAt: "asc" },
        take: 500,
        select: {
          id: true, kind: true, amountNtd: true, paidAt: true, detectedAt: true, resolvedAt: true, resolution: true,
          order: { select: { orderNumber: true } },
        },
      },
      balanceTransactions: {
        where: { type: { not: "charge" } },
        orderBy: { createdAt: "asc" },
        take: 500,
        select: { id: true, type: true, amountNtd: true, feeNtd: true, netNtd: true, createdAt: true },
      },
    },
  });
  if (!run) return null;
  const { financeExceptions, balanceTransactions, ...rest } = run;
  // What only the run's audit event keeps: a bank day waiting for its file.
  const audit = await prisma.auditEvent.findFirst({
    where: { subjectType: "reconciliation_run", subjectId: run.id, action: "finance.reconciled" },
    select: { details: true },
  });
  const details = (audit?.details ?? {}) as Record<string, unknown>;
  return {
    ...toItem(rest),
    awaitingFile: typeof details.awaitingFile === "number" ? details.awaitingFile : 0,
    foundExceptions: financeExceptions.map(({ order, ...e }) => ({ ...e, orderNumber: order?.orderNumber ?? null })),
    otherTransactions: balanceTransactions,
  };
}
