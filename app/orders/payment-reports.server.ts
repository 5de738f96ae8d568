// What the service has heard so far about payments that may still count for an unpaid order: the bank's daily
// files and the card checkouts whose outcome Stripe has not told us. Erasure waits on both (decision 011).
import type { Prisma } from "~/generated/prisma/client";
import type { PaymentReports } from "./payment-window.server";

type Db = Pick<Prisma.TransactionClient, "$queryRaw">;

/**
 * The latest Asia/Taipei day whose transfers the bank has reported in full by file, or null. A file reports the
 * day of its latest transfer, once that day is over when it is imported: an intraday file (imported the same day)
 * reports only the day before. The bank file format has no statement date (docs/bank-interfaces.md), and a
 * file whose newest transfer is dated on day D was cut after D began, so it holds day D's transfers
 * up to its cut. Files without lines name no day. Covering D also covers every earlier day, hence max().
 */
export async function lastBankDayReported(db: Db): Promise<string | null> {
  const rows = await db.$queryRaw<Array<{ day: string | null }>>`
    SELECT to_char(max(LEAST((latest_paid_at AT TIME ZONE 'Asia/Taipei')::date,
                             (imported_at AT TIME ZONE 'Asia/Taipei')::date - 1)), 'YYYY-MM-DD') AS day
      FROM bank_import
     WHERE latest_paid_at IS NOT NULL
       AND applied_at IS NOT NULL`; // an unsigned file awaiting a second FINANCE member's approval reports nothing yet
  return rows[0]?.day ?? null;
}

/** Checkout Sessions of the order whose outcome is unknown (a completed payment's webhook may still be coming). */
export async function openCheckoutCount(db: Db, orderId: string): Promise<number> {
  const rows = await db.$queryRaw<Array<{ open: number }>>`
    SELECT count(*)::int AS open FROM payment WHERE order_id = ${orderId}::uuid AND provider = 'stripe' AND status = 'PENDING'`;
  return rows[0]?.open ?? 0;
}

export async function paymentReportsFor(db: Db, orderId: string): Promise<PaymentReports> {
  // One after the other: a transaction's queries run on one connection anyway.
  const lastDay = await lastBankDayReported(db);
  return { lastBankDayReported: lastDay, openCheckouts: await openCheckoutCount(db, orderId) };
}
