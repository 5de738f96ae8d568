// Finance's reports: takings per Taipei day and method, one day's payments, and the CSV export. Days are Taiwan
// calendar days (UTC+8 all year, no daylight saving since 1979); times are stored UTC. Money is whole NT$.
// Nothing here names a person: payments carry the order number and the provider's reference only.
import { z } from "zod";
import type { PaymentMethod, PaymentOutcome, PaymentStatus } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";

const TAIPEI_OFFSET_MS = 8 * 3600_000;
const DAY_MS = 24 * 3600_000;
/** A year, leap day included: the longest range a report or an export covers. */
export const MAX_REPORT_DAYS = 366;
export const PAYMENT_METHODS: PaymentMethod[] = ["CARD", "ATM"];

// ---- Taipei calendar days ("YYYY-MM-DD") ----

/** The Taipei calendar day an instant falls on. */
export function taipeiDayOf(at: Date): string {
  return new Date(at.getTime() + TAIPEI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Taipei day starts (00:00 +08:00). */
export function taipeiDayStart(day: string): Date {
  return new Date(`${day}T00:00:00+08:00`);
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included (0 or less when `to` is before `from`). */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;
}

/** An ISO time in Asia/Taipei with its offset: 2026-11-23T00:30:00+08:00 (what a spreadsheet in Taiwan reads). */
export function taipeiIsoTime(at: Date): string {
  return `${new Date(at.getTime() + TAIPEI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

export interface DayRange {
  from: string;
  to: string;
}

/** Refuses a reversed range or one longer than a year, in both languages. */
export function assertReportRange({ from, to }: DayRange): void {
  const days = daysInRange(from, to);
  if (days < 1) {
    throw new AppError("finance_range_reversed", { "zh-TW": "結束日期不可早於開始日期。", en: "The end date cannot be before the start date." });
  }
  if (days > MAX_REPORT_DAYS) {
    throw new AppError("finance_range_too_long", {
      "zh-TW": `日期範圍最長 ${MAX_REPORT_DAYS} 天。`,
      en: `A date range can cover at most ${MAX_REPORT_DAYS} days.`,
    });
  }
}

/** The last `days` Taipei days ending today. */
export function recentDays(now: Date, days = 30): DayRange {
  const to = taipeiDayOf(now);
  return { from: addDays(to, -(days - 1)), to };
}

// ---- What the finance pages accept (errors are keys of app/i18n/finance.*) ----

const optionalText = z.preprocess((value) => (value === "" || value === null ? undefined : value), z.string().optional());
/** `card` / `atm` in a URL, the domain's CARD / ATM after parsing; empty means both. */
export const paymentMethodParamSchema = z.preprocess(
  (value) => (value === "" || value === null ? undefined : value),
  z.enum(["card", "atm"], { error: "error.method" }).transform((method) => method.toUpperCase() as PaymentMethod).optional(),
);
/**
 * A calendar day the service can have records for. Years outside 4 digits broke the day arithmetic (year 0 made a
 * 500, 9999-12-31 + 1 day is "+010000-01-01", which sorts before it: the day loop never ended) — issue 13.
 */
const dayParam = z.iso.date({ error: "error.dayFormat" }).refine((day) => day >= "2000-01-01" && day <= "2999-12-31", { error: "error.dayFormat" });

/** A report's range from a query string: both days or neither (then `fallback`), at most 366 days, not reversed. */
export function reportRangeSchema(fallback?: DayRange) {
  return z
    .object({
      from: z.preprocess((value) => (value === "" || value === null ? fallback?.from : value), dayParam),
      to: z.preprocess((value) => (value === "" || value === null ? fallback?.to : value), dayParam),
      method: paymentMethodParamSchema,
    })
    .refine(({ from, to }) => daysInRange(from, to) >= 1, { error: "error.rangeReversed", path: ["to"] })
    .refine(({ from, to }) => daysInRange(from, to) <= MAX_REPORT_DAYS, { error: "error.rangeTooLong", path: ["to"] });
}

export const paymentsQuerySchema = (today: string) =>
  z.object({
    day: z.preprocess((value) => (value === "" || value === null ? today : value), dayParam),
    method: paymentMethodParamSchema,
    cursor: optionalText,
  });

/** A query string as the schemas above read it (absent parameters as null). */
export function queryValues(url: URL, names: string[]): Record<string, string | null> {
  return Object.fromEntries(names.map((name) => [name, url.searchParams.get(name)]));
}

// ---- Daily totals ----

export interface MethodTotals {
  /** Payments that paid their order (SUCCEEDED, APPLIED). */
  paidCount: number;
  paidNtd: number;
  /** Money that arrived but went to the exception queue (late, wrong amount, duplicate): to refund or match. */
  exceptionCount: number;
  exceptionNtd: number;
}

export interface DailyTotal {
  /** Taipei calendar day, YYYY-MM-DD. */
  day: string;
  card: MethodTotals;
  atm: MethodTotals;
}

const zeroTotals = (): MethodTotals => ({ paidCount: 0, paidNtd: 0, exceptionCount: 0, exceptionNtd: 0 });

type Viewer = { id: string };

/**
 * Every Taipei day from `from` to `to` (inclusive, at most 366), days without payments as zeros. One GROUP BY over
 * the `(method, paid_at)` index: the range is turned into UTC bounds so the index serves it, and rows are put on
 * their Taipei day by the database. `staff`, when given, is audited as having looked.
 */
export async function dailyTotals({ from, to, staff }: DayRange & { staff?: Viewer }): Promise<DailyTotal[]> {
  assertReportRange({ from, to });
  const start = taipeiDayStart(from);
  const end = taipeiDayStart(addDays(to, 1));
  const rows = await prisma.$queryRaw<Array<{
    day: string; method: PaymentMethod; paid_count: number; paid_ntd: bigint; exception_count: number; exception_ntd: bigint;
  }>>`
    SELECT ((paid_at AT TIME ZONE 'Asia/Taipei')::date)::text AS day,
           method::text AS method,
           (count(*) FILTER (WHERE status = 'SUCCEEDED' AND outcome = 'APPLIED'))::int AS paid_count,
           COALESCE(sum(amount_ntd) FILTER (WHERE status = 'SUCCEEDED' AND outcome = 'APPLIED'), 0)::bigint AS paid_ntd,
           (count(*) FILTER (WHERE outcome IN ('LATE_PAYMENT', 'WRONG_AMOUNT', 'DUPLICATE_PAYMENT')))::int AS exception_count,
           COALESCE(sum(amount_ntd) FILTER (WHERE outcome IN ('LATE_PAYMENT', 'WRONG_AMOUNT', 'DUPLICATE_PAYMENT')), 0)::bigint AS exception_ntd
      FROM payment
     WHERE method IN ('CARD', 'ATM') AND paid_at >= ${start} AND paid_at < ${end}
     GROUP BY 1, 2`;
  const byDay = new Map<string, DailyTotal>();
  for (let day = from; day <= to; day = addDays(day, 1)) byDay.set(day, { day, card: zeroTotals(), atm: zeroTotals() });
  for (const row of rows) {
    const total = byDay.get(row.day);
    if (!total) continue;
    total[row.method === "CARD" ? "card" : "atm"] = {
      paidCount: row.paid_count, paidNtd: Number(row.paid_ntd), exceptionCount: row.exception_count, exceptionNtd: Number(row.exception_ntd),
    };
  }
  if (staff) {
    await recordAuditEvent({ actor: { type: "STAFF", id: staff.id }, action: "finance.totals_viewed", details: { from, to } });
  }
  return [...byDay.values()];
}

// ---- One day's payments, keyset paged ----

export interface PaymentListItem {
  id: string;
  orderNumber: string;
  method: PaymentMethod;
  amountNtd: number;
  status: PaymentStatus;
  outcome: PaymentOutcome | null;
  provider: string;
  /** Shortened for the screen (cs_test_a1…f3c9d2); the CSV has it whole. */
  providerReference: string | null;
  /** ISO (UTC); pages show it in Asia/Taipei. */
  paidAt: string;
}

export interface PaymentPage {
  items: PaymentListItem[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

interface Position {
  paidAt: Date;
  id: string;
}

const cursorSchema = z.object({ paidAt: z.iso.datetime(), id: z.uuid() });

export function encodePaymentCursor({ paidAt, id }: Position): string {
  return Buffer.from(JSON.stringify({ paidAt: paidAt.toISOString(), id })).toString("base64url");
}

function decodePaymentCursor(cursor: string): Position {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  const position = cursorSchema.safeParse(parsed);
  if (!position.success) {
    throw new AppError("finance_cursor_invalid", { "zh-TW": "分頁位置無效，請從第一頁重新開始。", en: "The page position is not valid; start again from the first page." });
  }
  return { paidAt: new Date(position.data.paidAt), id: position.data.id };
}

/** A reference short enough for a table cell, still recognisable at both ends. */
export function shortenReference(reference: string | null): string | null {
  if (!reference || reference.length <= 18) return reference;
  return `${reference.slice(0, 10)}…${reference.slice(-6)}`;
}

/** Payments paid in [start, end), ordered by (paid_at, id), after `after`: served by the (method, paid_at) or paid_at index. */
function paymentPage({ start, end, method, after, take }: { start: Date; end: Date; method?: PaymentMethod; after?: Position; take: number }) {
  return prisma.payment.findMany({
    where: {
      paidAt: { gte: start, lt: end },
      ...(method ? { method } : {}),
      ...(after ? { OR: [{ paidAt: { gt: after.paidAt } }, { paidAt: after.paidAt, id: { gt: after.id } }] } : {}),
    },
    orderBy: [{ paidAt: "asc" }, { id: "asc" }],
    take,
    select: {
      id: true, method: true, amountNtd: true, status: true, outcome: true, provider: true, providerReference: true, paidAt: true,
      order: { select: { orderNumber: true } },
    },
  });
}

/** One Taipei day's payments, oldest first, `limit` (1–200) a page. `staff`, when given, is audited as having looked. */
export async function listPayments({ day, method, cursor, limit = 50, staff }: {
  day: string;
  method?: PaymentMethod;
  cursor?: string;
  limit?: number;
  staff?: Viewer;
}): Promise<PaymentPage> {
  const take = Math.min(Math.max(Math.trunc(limit), 1), 200);
  const after = cursor ? decodePaymentCursor(cursor) : undefined;
  const rows = await paymentPage({ start: taipeiDayStart(day), end: taipeiDayStart(addDays(day, 1)), method, after, take: take + 1 });
  const page = rows.slice(0, take);
  const last = page[page.length - 1];
  if (staff) {
    await recordAuditEvent({
      actor: { type: "STAFF", id: staff.id }, action: "finance.payments_listed", details: { day, method: method ?? null, page: cursor ? "next" : "first" },
    });
  }
  return {
    items: page.map((row) => ({
      id: row.id,
      orderNumber: row.order.orderNumber,
      method: row.method,
      amountNtd: row.amountNtd,
      status: row.status,
      outcome: row.outcome,
      provider: row.provider,
      providerReference: shortenReference(row.providerReference),
      paidAt: row.paidAt!.toISOString(),
    })),
    nextCursor: rows.length > take && last ? encodePaymentCursor({ paidAt: last.paidAt!, id: last.id }) : null,
  };
}

// ---- CSV export ----

const CSV_HEADER = [
  "付款時間 Paid at (Asia/Taipei)",
  "訂單編號 Order number",
  "付款方式 Method",
  "金額（新臺幣）Amount (NT$)",
  "狀態 Status",
  "結果 Outcome",
  "金流業者 Provider",
  "金流參考號 Provider reference",
];

/** RFC 4180 quoting; a text starting like a formula is defused so a spreadsheet shows it instead of running it. */
export function csvField(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${text.replace(/"/g, '""')}"`;
}

const csvLine = (fields: Array<string | number | null>) => `${fields.map(csvField).join(",")}\r\n`;

/**
 * The payments paid from `from` to `to` (Taipei days, inclusive) as CSV lines, each ending in CRLF; the first is the
 * header and starts with a UTF-8 BOM (Excel in zh-TW otherwise reads the file as Big5). Rows are read `pageSize` at
 * a time by keyset, each page only when the reader asks for more, so a year of payments never sits in memory.
 */
export async function* paymentsCsv({ from, to, method, pageSize = 1000 }: DayRange & { method?: PaymentMethod; pageSize?: number }): AsyncGenerator<string> {
  assertReportRange({ from, to });
  const start = taipeiDayStart(from);
  const end = taipeiDayStart(addDays(to, 1));
  yield `\uFEFF${csvLine(CSV_HEADER)}`;
  let after: Position | undefined;
  for (;;) {
    const rows = await paymentPage({ start, end, method, after, take: pageSize });
    for (const row of rows) {
      yield csvLine([taipeiIsoTime(row.paidAt!), row.order.orderNumber, row.method, row.amountNtd, row.status, row.outcome, row.provider, row.providerReference]);
    }
    if (rows.length < pageSize) return;
    const last = rows[rows.length - 1]!;
    after = { paidAt: last.paidAt!, id: last.id };
  }
}

/** The download's file name: payments-2026-11-01_2026-11-30.csv (…-card.csv / …-atm.csv when one method). */
export function paymentsCsvFilename({ from, to, method }: DayRange & { method?: PaymentMethod }): string {
  return `payments-${from}_${to}${method ? `-${method.toLowerCase()}` : ""}.csv`;
}

export interface PaymentsExport {
  filename: string;
  /** Payments in the range when the export started (what the audit records). */
  rows: number;
  lines: AsyncGenerator<string>;
}

/**
 * Finance exports a range: the range is checked, the export audited as `finance.exported` (who, range, method, row
 * count) before the first byte leaves, and the lines handed back to be streamed. The count is taken when the export
 * starts; a payment recorded in the range while the file streams may be in the file but not in the count.
 */
export async function exportPaymentsCsv({ staff, from, to, method }: DayRange & { staff: Viewer; method?: PaymentMethod }): Promise<PaymentsExport> {
  assertReportRange({ from, to });
  const rows = await prisma.payment.count({
    where: { paidAt: { gte: taipeiDayStart(from), lt: taipeiDayStart(addDays(to, 1)) }, ...(method ? { method } : {}) },
  });
  await recordAuditEvent({
    actor: { type: "STAFF", id: staff.id }, action: "finance.exported", details: { from, to, method: method ?? null, rows },
  });
  return { filename: paymentsCsvFilename({ from, to, method }), rows, lines: paymentsCsv({ from, to, method }) };
}
