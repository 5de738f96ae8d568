// Stripe's balance transactions list (GET /v1/balance_transactions) answered from a fixture, as Stripe answers it:
// filtered by created[gte]/created[lt], newest first, paged by limit/starting_after with has_more, and each source
// left as a bare id unless the request asked for expand[]=data.source.
import { readFileSync } from "node:fs";
import path from "node:path";
import { http, HttpResponse } from "msw";
import type Stripe from "stripe";
import { STRIPE_API } from "./stripe";

export interface BalanceListRequest {
  gte: number | null;
  lt: number | null;
  limit: number;
  startingAfter: string | null;
  expandSource: boolean;
}

/**
 * The msw handler. `pageSize` caps a page below the requested limit (tests use 2 to make the client page on);
 * every request is pushed to `requests` when given.
 */
export function stripeBalanceTransactionsHandler(
  transactions: readonly Stripe.BalanceTransaction[],
  { pageSize = 100, requests }: { pageSize?: number; requests?: BalanceListRequest[] } = {},
) {
  return http.get(`${STRIPE_API}/v1/balance_transactions`, ({ request }) => {
    const query = new URL(request.url).searchParams;
    const number = (key: string) => (query.has(key) ? Number(query.get(key)) : null);
    const expand = [...query.entries()].filter(([key]) => key === "expand[]" || /^expand\[\d+\]$/.test(key)).map(([, value]) => value);
    const seen: BalanceListRequest = {
      gte: number("created[gte]"), lt: number("created[lt]"), limit: number("limit") ?? 10,
      startingAfter: query.get("starting_after"), expandSource: expand.includes("data.source"),
    };
    requests?.push(seen);
    const listed = transactions
      .filter((t) => (seen.gte === null || t.created >= seen.gte) && (seen.lt === null || t.created < seen.lt))
      .sort((a, b) => b.created - a.created || (a.id < b.id ? 1 : -1));
    const from = seen.startingAfter ? listed.findIndex((t) => t.id === seen.startingAfter) + 1 : 0;
    if (seen.startingAfter && from === 0) {
      return HttpResponse.json({ error: { type: "invalid_request_error", message: `No such balance transaction: '${seen.startingAfter}'` } }, { status: 400 });
    }
    const size = Math.min(seen.limit, pageSize);
    const data = listed.slice(from, from + size).map((t) => ({
      ...structuredClone(t),
      source: seen.expandSource || t.source === null || typeof t.source === "string" ? t.source : t.source.id,
    }));
    return HttpResponse.json({ object: "list", url: "/v1/balance_transactions", has_more: from + size < listed.length, data });
  });
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/** A charge as `expand[]=data.source` returns it (only the fields reconciliation reads, plus Stripe's basics). */
export function chargeSource({ id, paymentIntent, amount, orderId }: { id: string; paymentIntent: string | null; amount: number; orderId?: string }) {
  return {
    id, object: "charge", amount, currency: "twd", paid: true, status: "succeeded",
    payment_intent: paymentIntent, metadata: orderId ? { orderId } : {},
  } as unknown as Stripe.Charge;
}

/** One balance transaction; `fee` defaults to 0 and `net` to amount − fee. */
export function balanceTransaction({ id, type = "charge", amount, fee = 0, created, source = null }: {
  id: string;
  type?: Stripe.BalanceTransaction.Type;
  amount: number;
  fee?: number;
  created: Date;
  source?: Stripe.BalanceTransaction["source"];
}): Stripe.BalanceTransaction {
  const createdSeconds = seconds(created);
  return {
    id, object: "balance_transaction", amount, currency: "twd", fee, net: amount - fee, type, created: createdSeconds,
    available_on: createdSeconds + 7 * 86_400, status: "pending", reporting_category: type, description: null,
    exchange_rate: null, fee_details: fee ? [{ amount: fee, currency: "twd", type: "stripe_fee", description: "Stripe processing fees", application: null }] : [],
    source,
  } as unknown as Stripe.BalanceTransaction;
}

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/stripe");

/** A fixture file of test/fixtures/stripe: `{ "data": [balance transactions with expanded sources] }`. */
export function loadStripeBalanceFixture(name = "balance-2026-11-23.json"): Stripe.BalanceTransaction[] {
  return (JSON.parse(readFileSync(path.join(FIXTURES, name), "utf8")) as { data: Stripe.BalanceTransaction[] }).data;
}
