// Stripe lives outside the machine: tests answer its HTTP API here. Add handlers per test with server.use().
import { randomBytes } from "node:crypto";
import { http, HttpResponse } from "msw";
import Stripe from "stripe";

export const STRIPE_API = "https://api.stripe.com";

/** Refuses any Stripe call a test did not expect, with the path named. */
export const stripeFallback = http.all(`${STRIPE_API}/*`, ({ request }) =>
  HttpResponse.json(
    { error: { type: "invalid_request_error", message: `unexpected Stripe call in test: ${request.method} ${new URL(request.url).pathname}` } },
    { status: 400 },
  ),
);

type Form = { [key: string]: string | Form | Form[] | string[] };

/** Stripe's form encoding (`line_items[0][price_data][currency]=twd`) back into the object the SDK was given. */
export function parseStripeForm(body: string): Form {
  const root: Form = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const path = key.replace(/\]/g, "").split("[");
    let node: Record<string, unknown> = root;
    path.forEach((part, i) => {
      if (i === path.length - 1) node[part] = value;
      else node = (node[part] ??= {}) as Record<string, unknown>;
    });
  }
  const arrays = (value: unknown): unknown => {
    if (typeof value !== "object" || value === null) return value;
    const entries = Object.entries(value).map(([k, v]) => [k, arrays(v)] as const);
    return entries.length > 0 && entries.every(([k]) => /^\d+$/.test(k))
      ? entries.sort(([a], [b]) => Number(a) - Number(b)).map(([, v]) => v)
      : Object.fromEntries(entries);
  };
  return arrays(root) as Form;
}

export interface StripeRequestRecord {
  method: string;
  path: string;
  params: Form;
  idempotencyKey: string | null;
}

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString("base64url")}`;
const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * A stateful fake of Stripe's Checkout Sessions API (create, retrieve, expire, with idempotency keys) and of what
 * happens on Stripe's hosted page (complete, async result, expiry), plus the events Stripe would send about it.
 * `checkoutPageUrl` decides where a session's `url` points (a local page that "pays" in end-to-end tests).
 */
export function createCheckoutSessionsFake({
  checkoutPageUrl = (sessionId: string) => `https://checkout.stripe.com/c/pay/${sessionId}`,
  clock = () => new Date(),
}: { checkoutPageUrl?: (sessionId: string) => string; clock?: () => Date } = {}) {
  const sessions = new Map<string, Stripe.Checkout.Session>();
  const requests: StripeRequestRecord[] = [];
  const idempotent = new Map<string, { params: string; sessionId: string }>();
  const error = (status: number, type: string, message: string) => HttpResponse.json({ error: { type, message } }, { status });

  function newSession(params: Form): Stripe.Checkout.Session {
    const items = (params.line_items ?? []) as Array<{ quantity?: string; price_data?: { currency?: string; unit_amount?: string } }>;
    const currency = items[0]?.price_data?.currency ?? null;
    const amountTotal = items.reduce((sum, item) => sum + Number(item.price_data?.unit_amount ?? 0) * Number(item.quantity ?? 1), 0);
    const sessionId = id("cs");
    const created = seconds(clock());
    return {
      id: sessionId,
      object: "checkout.session",
      mode: params.mode,
      status: "open",
      payment_status: "unpaid",
      amount_subtotal: amountTotal,
      amount_total: amountTotal,
      currency,
      client_reference_id: (params.client_reference_id as string | undefined) ?? null,
      metadata: (params.metadata as Record<string, string> | undefined) ?? {},
      success_url: (params.success_url as string | undefined) ?? null,
      cancel_url: (params.cancel_url as string | undefined) ?? null,
      customer_email: (params.customer_email as string | undefined) ?? null,
      created,
      expires_at: params.expires_at ? Number(params.expires_at) : created + 24 * 3600,
      livemode: false,
      payment_intent: null,
      url: checkoutPageUrl(sessionId),
    } as unknown as Stripe.Checkout.Session;
  }

  function session(sessionId: string): Stripe.Checkout.Session {
    const found = sessions.get(sessionId);
    if (!found) throw new Error(`no Checkout Session ${sessionId} in the fake`);
    return found;
  }

  function update(sessionId: string, changes: Partial<Stripe.Checkout.Session>): Stripe.Checkout.Session {
    const next = { ...session(sessionId), ...changes };
    sessions.set(sessionId, next);
    return next;
  }

  const handlers = [
    http.post(`${STRIPE_API}/v1/checkout/sessions`, async ({ request }) => {
      const body = await request.text();
      const params = parseStripeForm(body);
      const idempotencyKey = request.headers.get("idempotency-key");
      requests.push({ method: "POST", path: "/v1/checkout/sessions", params, idempotencyKey });
      if (idempotencyKey) {
        const earlier = idempotent.get(idempotencyKey);
        if (earlier && earlier.params !== body) {
          return error(400, "idempotency_error", "Keys for idempotent requests can only be used with the same parameters they were first used with.");
        }
        if (earlier) return HttpResponse.json(session(earlier.sessionId), { headers: { "Idempotent-Replayed": "true" } });
      }
      const created = newSession(params);
      sessions.set(created.id, created);
      if (idempotencyKey) idempotent.set(idempotencyKey, { params: body, sessionId: created.id });
      return HttpResponse.json(created);
    }),
    http.get(`${STRIPE_API}/v1/checkout/sessions/:id`, ({ params }) => {
      const found = sessions.get(String(params.id));
      requests.push({ method: "GET", path: `/v1/checkout/sessions/${params.id}`, params: {}, idempotencyKey: null });
      return found ? HttpResponse.json(found) : error(404, "invalid_request_error", `No such checkout.session: '${params.id}'`);
    }),
    http.post(`${STRIPE_API}/v1/checkout/sessions/:id/expire`, ({ params, request }) => {
      const sessionId = String(params.id);
      requests.push({ method: "POST", path: `/v1/checkout/sessions/${sessionId}/expire`, params: {}, idempotencyKey: request.headers.get("idempotency-key") });
      const found = sessions.get(sessionId);
      if (!found) return error(404, "invalid_request_error", `No such checkout.session: '${sessionId}'`);
      if (found.status !== "open") return error(400, "invalid_request_error", "Only Checkout Sessions with a status in [\"open\"] can be expired.");
      return HttpResponse.json(update(sessionId, { status: "expired" }));
    }),
  ];

  return {
    handlers,
    sessions,
    requests,
    session,
    /** The customer finishes the hosted page: paid at once (card) or "unpaid" while an asynchronous method settles. */
    complete(sessionId: string, { paymentStatus = "paid" }: { paymentStatus?: "paid" | "unpaid" } = {}) {
      return update(sessionId, { status: "complete", payment_status: paymentStatus, payment_intent: id("pi") });
    },
    /** The asynchronous method's outcome arrives after completion. */
    settleAsync(sessionId: string, outcome: "succeeded" | "failed") {
      return update(sessionId, { payment_status: outcome === "succeeded" ? "paid" : "unpaid" });
    },
    /** Stripe expires an open session at its expires_at. */
    expire(sessionId: string) {
      return update(sessionId, { status: "expired" });
    },
    /** The event Stripe would send now about the session as it stands. */
    event(type: CheckoutEventType, sessionId: string, { created = clock() }: { created?: Date } = {}) {
      return checkoutEvent({ type, session: session(sessionId), created });
    },
  };
}

export type CheckoutSessionsFake = ReturnType<typeof createCheckoutSessionsFake>;

export type CheckoutEventType =
  | "checkout.session.completed"
  | "checkout.session.async_payment_succeeded"
  | "checkout.session.async_payment_failed"
  | "checkout.session.expired";

/** A Stripe event about a Checkout Session, shaped as Stripe delivers it. */
export function checkoutEvent({ type, session, created = new Date() }: { type: string; session: Stripe.Checkout.Session; created?: Date }): Stripe.Event {
  return {
    id: id("evt"),
    object: "event",
    api_version: Stripe.API_VERSION,
    created: seconds(created),
    data: { object: structuredClone(session) },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  } as unknown as Stripe.Event;
}

/** The body and headers of a webhook delivery signed as Stripe signs it (t=…,v1=HMAC-SHA256 of "t.body"). */
export function signedStripeWebhook({ event, secret, timestamp }: { event: unknown; secret: string; timestamp?: number }) {
  const body = JSON.stringify(event, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret, timestamp });
  return { body, headers: { "Content-Type": "application/json; charset=utf-8", "Stripe-Signature": signature } };
}
