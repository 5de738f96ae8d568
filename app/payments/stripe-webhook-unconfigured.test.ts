// POST /webhooks/stripe on a deployment without STRIPE_WEBHOOK_SECRET (the default of `npm start`), issue 13:
// a request without a well-formed Stripe-Signature is refused 400 as anywhere else; a signed one finds a
// configuration gap, answered 503 like the bank callback so that Stripe keeps retrying — never a 500.
import { describe, expect, it, vi } from "vitest";

// env() caches on first read: make sure this file's process has no webhook secret before anything reads it.
vi.hoisted(() => {
  delete process.env.STRIPE_WEBHOOK_SECRET;
});

import { prisma } from "~/lib/db.server";
import { action as stripeWebhook } from "~/routes/webhooks.stripe";

const body = JSON.stringify({ id: "evt_unconfigured", object: "event", type: "checkout.session.completed" });

async function post(headers: Record<string, string>) {
  const request = new Request("http://moica.test/webhooks/stripe", { method: "POST", body, headers: { "Content-Type": "application/json", ...headers } });
  const response = await stripeWebhook({ request, params: {}, context: { clientIp: "127.0.0.1" } });
  return { status: response.status, code: ((await response.json()) as { error?: { code?: string } }).error?.code };
}

describe("POST /webhooks/stripe without a configured secret", () => {
  it("answers a missing or malformed signature 400 STRIPE_SIGNATURE_INVALID", async () => {
    expect(await post({})).toEqual({ status: 400, code: "STRIPE_SIGNATURE_INVALID" });
    expect(await post({ "Stripe-Signature": "nonsense" })).toEqual({ status: 400, code: "STRIPE_SIGNATURE_INVALID" });
  });

  it("answers a well-formed signature 503 STRIPE_WEBHOOK_DISABLED and records nothing", async () => {
    const signature = `t=${Math.floor(Date.now() / 1000)},v1=${"a".repeat(64)}`;
    expect(await post({ "Stripe-Signature": signature })).toEqual({ status: 503, code: "STRIPE_WEBHOOK_DISABLED" });
    expect(await prisma.providerEvent.count({ where: { provider: "stripe" } })).toBe(0);
  });
});
