// Stripe lives outside the machine: tests answer its HTTP API here. Add handlers per test with server.use().
import { http, HttpResponse } from "msw";

export const STRIPE_API = "https://api.stripe.com";

/** Refuses any Stripe call a test did not expect, with the path named. */
export const stripeFallback = http.all(`${STRIPE_API}/*`, ({ request }) =>
  HttpResponse.json(
    { error: { type: "invalid_request_error", message: `unexpected Stripe call in test: ${request.method} ${new URL(request.url).pathname}` } },
    { status: 400 },
  ),
);
