import Stripe from "stripe";
import { env } from "~/lib/env.server";

let client: Stripe | undefined;

/** The Stripe API client. Tests intercept its HTTP calls with msw (test/msw/stripe.ts). */
export function stripe(): Stripe {
  const key = env().STRIPE_SECRET_KEY;
  if (!key) throw new Error("STRIPE_SECRET_KEY is not set: card payments are unavailable");
  client ??= new Stripe(key, {
    maxNetworkRetries: env().NODE_ENV === "test" ? 0 : 2,
    timeout: 15_000,
    appInfo: { name: "moica-reissue" },
  });
  return client;
}
