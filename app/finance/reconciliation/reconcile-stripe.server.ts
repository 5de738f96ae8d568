// Card payments against Stripe's balance for one Taipei day. Stripe's balance transactions of the day are fetched
// (all pages), stored once each by txn id, and every charge is matched to our card payment by its PaymentIntent
// (fallback: the order id Checkout put in the charge's metadata). What does not add up goes on finance's list:
// a charge no payment accounts for, a charge and payment that disagree on the amount, and a card payment we
// recorded as paid that day with no charge. Refunds, payouts and fees are stored and listed, not matched.
import type Stripe from "stripe";
import { recordAuditEvent } from "~/audit/audit.server";
import type { Prisma } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { logger } from "~/lib/logger.server";
import { fromStripeAmount, toStripeAmount } from "~/payments/money";
import { stripe } from "~/payments/stripe.server";
import { countKinds, recordRunException, type FoundException, type FoundExceptionResult } from "./run-exceptions.server";
import { assertFinanceStaff, finishRun, lockReconciliationDay, reconciliationDay, RUN_TRANSACTION, type FinanceStaff, type ReconciliationSummary } from "./runs.server";

type Tx = Prisma.TransactionClient;

export interface StripeReconciliation extends ReconciliationSummary {
  /** Balance transactions Stripe listed for the day, of which charges (matched or not) and others (stored only). */
  transactions: number;
  charges: number;
  others: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** Whole NT$ for storage; a TWD amount with cents (a fee, usually) is rounded — matching compares minor units. */
function ntd(minor: number): number {
  return Number.isSafeInteger(minor) && minor % 100 === 0 ? fromStripeAmount(minor) : Math.round(minor / 100);
}

async function fetchBalanceTransactions(start: Date, end: Date): Promise<Stripe.BalanceTransaction[]> {
  const fetched: Stripe.BalanceTransaction[] = [];
  try {
    // The SDK pages on with starting_after while has_more is true.
    for await (const txn of stripe().balanceTransactions.list({ created: { gte: seconds(start), lt: seconds(end) }, limit: 100, expand: ["data.source"] })) {
      fetched.push(txn);
    }
  } catch (error) {
    logger().error({ reason: error instanceof Error ? error.message : String(error) }, "stripe balance transactions could not be fetched");
    throw new AppError("STRIPE_UNAVAILABLE", { "zh-TW": "目前無法向 Stripe 取得交易明細，請稍後再試。", en: "Stripe's balance could not be fetched; try again later." }, 502, { cause: error });
  }
  return fetched;
}

interface ChargeFacts {
  chargeId: string | null;
  paymentIntentId: string | null;
  orderId: string | null;
}

function chargeFacts(txn: Stripe.BalanceTransaction): ChargeFacts {
  const source = txn.source;
  if (!source || typeof source === "string") return { chargeId: typeof source === "string" && source.startsWith("ch_") ? source : null, paymentIntentId: null, orderId: null };
  if (source.object !== "charge") return { chargeId: null, paymentIntentId: null, orderId: null };
  const charge = source as Stripe.Charge;
  const intent = charge.payment_intent;
  const orderId = charge.metadata?.orderId;
  return {
    chargeId: charge.id,
    paymentIntentId: typeof intent === "string" ? intent : (intent?.id ?? null),
    orderId: orderId && UUID.test(orderId) ? orderId : null,
  };
}

type CardPayment = { id: string; orderId: string; amountNtd: number; paidAt: Date | null };
const cardPaymentSelect = { id: true, orderId: true, amountNtd: true, paidAt: true } as const;

/** Our card payment a charge pays: by PaymentIntent, else the order's card payment that has none recorded yet. */
async function paymentForCharge(tx: Tx, facts: ChargeFacts): Promise<CardPayment | null> {
  if (facts.paymentIntentId) {
    const byIntent = await tx.payment.findFirst({ where: { providerPaymentId: facts.paymentIntentId, method: "CARD" }, select: cardPaymentSelect });
    if (byIntent) return byIntent;
  }
  if (!facts.orderId) return null;
  return tx.payment.findFirst({
    where: { orderId: facts.orderId, method: "CARD", provider: "stripe", status: { in: ["SUCCEEDED", "REFUNDED"] }, providerPaymentId: null },
    orderBy: { paidAt: "asc" },
    select: cardPaymentSelect,
  });
}

interface Tally {
  matched: number;
  matchedNtd: number;
  feeNtd: number;
  charges: number;
  found: FoundExceptionResult[];
  matchedPayments: Map<string, string>;
}

async function reconcileCharge(tx: Tx, { txn, runId, tally, note }: {
  txn: Stripe.BalanceTransaction;
  runId: string;
  tally: Tally;
  note: (found: FoundException) => Promise<void>;
}) {
  const facts = chargeFacts(txn);
  const paidAt = new Date(txn.created * 1000);
  const amountNtd = ntd(txn.amount);
  let payment = await paymentForCharge(tx, facts);
  // A second charge for a payment another transaction already accounts for is money nobody ordered.
  const holder = payment ? await tx.stripeBalanceTransaction.findUnique({ where: { paymentId: payment.id }, select: { id: true } }) : null;
  const claimedBy = payment ? (tally.matchedPayments.get(payment.id) ?? (holder && holder.id !== txn.id ? holder.id : null)) : null;
  if (payment && claimedBy && claimedBy !== txn.id) payment = null;

  await tx.stripeBalanceTransaction.update({ where: { id: txn.id }, data: { paymentId: payment?.id ?? null } });
  const about = { stripeBalanceTransactionId: txn.id };
  if (!payment) {
    const why = claimedBy ? `a second charge for the payment already matched to ${claimedBy}` : "no card payment of ours names its PaymentIntent or order";
    await note({ kind: "STRIPE_CHARGE_UNMATCHED", method: "CARD", amountNtd, paidAt, orderId: facts.orderId && !claimedBy ? await existingOrder(tx, facts.orderId) : null, about,
      detail: `Stripe charge ${facts.chargeId ?? "?"} (${facts.paymentIntentId ?? "no PaymentIntent"}) of ${txn.amount} ${txn.currency} (minor units): ${why}; refund in Stripe or match by hand` });
    return;
  }
  tally.matchedPayments.set(payment.id, txn.id);
  if (txn.currency !== "twd" || txn.amount !== toStripeAmount(payment.amountNtd)) {
    await note({ kind: "STRIPE_AMOUNT_MISMATCH", method: "CARD", amountNtd, paidAt, orderId: payment.orderId, about,
      detail: `Stripe charge ${facts.chargeId ?? "?"} is ${txn.amount} ${txn.currency} (minor units), our payment ${payment.id} is NT$${payment.amountNtd}` });
    return;
  }
  tally.matched++;
  tally.matchedNtd += amountNtd;
  tally.feeNtd += ntd(txn.fee);
}

async function existingOrder(tx: Tx, orderId: string): Promise<string | null> {
  return (await tx.reissueOrder.findUnique({ where: { id: orderId }, select: { id: true } }))?.id ?? null;
}

/** A card payment first seen missing (a neighbouring day's run came first) and now found: nothing to do. */
async function closeFoundCardExceptions(tx: Tx, { matchedPayments, staffId, day, now }: { matchedPayments: Map<string, string>; staffId: string; day: string; now: Date }) {
  for (const [paymentId, txnId] of matchedPayments) {
    const open = await tx.financeException.findMany({
      where: { kind: "CARD_NOT_IN_STRIPE", resolvedAt: null, OR: [{ paymentId }, { detail: { startsWith: `[${paymentId}]` } }] },
      select: { id: true },
    });
    for (const { id } of open) {
      const resolutionNote = `Stripe balance transaction ${txnId} found in the reconciliation of ${day}`;
      await tx.financeException.update({ where: { id }, data: { resolvedAt: now, resolvedBy: staffId, resolution: "NO_ACTION_NEEDED", resolutionNote } });
      await recordAuditEvent({ actor: { type: "STAFF", id: staffId }, action: "finance.exception_resolved", subject: { type: "finance_exception", id },
        reason: resolutionNote, details: { resolution: "NO_ACTION_NEEDED", kind: "CARD_NOT_IN_STRIPE" } }, tx);
    }
  }
}

export async function reconcileStripeDay({ staff, day, now = new Date() }: { staff: FinanceStaff; day: string; now?: Date }): Promise<StripeReconciliation> {
  assertFinanceStaff(staff);
  const window = reconciliationDay(day, now);
  // Fetched before the transaction: no database connection is held across Stripe's HTTP calls.
  const fetched = await fetchBalanceTransactions(window.start, window.end);

  return prisma.$transaction(async (tx) => {
    await lockReconciliationDay(tx, "STRIPE", day);
    const run = await tx.reconciliationRun.create({ data: { source: "STRIPE", day: window.date, startedBy: staff.id, startedAt: now }, select: { id: true } });
    const tally: Tally = { matched: 0, matchedNtd: 0, feeNtd: 0, charges: 0, found: [], matchedPayments: new Map() };
    const note = async (found: FoundException) => {
      tally.found.push(await recordRunException(tx, { runId: run.id, staffId: staff.id, detectedAt: now, found }));
    };

    // Oldest first (Stripe lists newest first): of two charges for one payment, the earlier one pays it.
    const oldestFirst = [...fetched].sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1));
    for (const txn of oldestFirst) {
      const facts = chargeFacts(txn);
      const stored = {
        type: txn.type.slice(0, 32), amountNtd: ntd(txn.amount), feeNtd: ntd(txn.fee), netNtd: ntd(txn.net),
        createdAt: new Date(txn.created * 1000), availableOn: new Date(txn.available_on * 1000),
        chargeId: facts.chargeId, paymentIntentId: facts.paymentIntentId, runId: run.id, fetchedAt: now,
      };
      await tx.stripeBalanceTransaction.upsert({ where: { id: txn.id }, create: { id: txn.id, ...stored }, update: stored });
      if (txn.type !== "charge") continue;
      tally.charges++;
      await reconcileCharge(tx, { txn, runId: run.id, tally, note });
    }

    // Card payments paid that day that no charge (of this day or, stored, of a neighbouring one) accounts for.
    const paid = await tx.payment.findMany({
      where: { method: "CARD", provider: "stripe", status: "SUCCEEDED", paidAt: { gte: window.start, lt: window.end } },
      select: { ...cardPaymentSelect, providerPaymentId: true, providerReference: true },
    });
    const accounted = new Set(
      (await tx.stripeBalanceTransaction.findMany({ where: { paymentId: { in: paid.map((p) => p.id) } }, select: { paymentId: true } })).map((t) => t.paymentId),
    );
    for (const payment of paid) {
      if (accounted.has(payment.id)) continue;
      await note({ kind: "CARD_NOT_IN_STRIPE", method: "CARD", amountNtd: payment.amountNtd, paidAt: payment.paidAt!, orderId: payment.orderId, about: { paymentId: payment.id },
        detail: `card payment ${payment.id} (${payment.providerPaymentId ?? payment.providerReference ?? "no Stripe reference"}) has no charge in Stripe's balance for ${day}` });
    }
    await closeFoundCardExceptions(tx, { matchedPayments: tally.matchedPayments, staffId: staff.id, day, now });

    const newExceptions = tally.found.filter((f) => f.created).length;
    const summary: StripeReconciliation = {
      runId: run.id, source: "STRIPE", day,
      matched: tally.matched, matchedNtd: tally.matchedNtd, feeNtd: tally.feeNtd, netNtd: tally.matchedNtd - tally.feeNtd,
      exceptions: tally.found.length, newExceptions, exceptionsByKind: countKinds(tally.found), exceptionIds: tally.found.map((f) => f.id),
      transactions: fetched.length, charges: tally.charges, others: fetched.length - tally.charges,
    };
    await finishRun(tx, {
      runId: run.id, staffId: staff.id, source: "STRIPE", day, now,
      counts: { matched: summary.matched, exceptions: summary.exceptions, newExceptions, matchedNtd: summary.matchedNtd, feeNtd: summary.feeNtd, transactions: summary.transactions, charges: summary.charges },
    });
    return summary;
  }, RUN_TRANSACTION);
}
