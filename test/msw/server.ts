import { http, passthrough } from "msw";
import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { createCheckoutSessionsFake, stripeFallback, type CheckoutSessionsFake } from "./stripe";

/**
 * The test CA's OCSP responder and CRL run on this machine (test/setup-file.ts starts one per file): status
 * checks reach it for real even where msw answers the outside services and fails on anything unhandled.
 */
export const localCaPassthrough = http.all(/^http:\/\/127\.0\.0\.1:\d+\/(ocsp|crl)(\/|$)/, () => passthrough());

/** One msw server per test file that needs outside services; unhandled requests fail the test. */
export function createMswServer() {
  return setupServer(localCaPassthrough, stripeFallback);
}

/**
 * For a test file that talks to Stripe: the msw server listening for the whole file, and a fresh Checkout fake
 * for each test, handed to `onEach` before the test runs. Returns the server (for extra per-test handlers).
 */
export function serveStripeCheckoutFake(onEach: (fake: CheckoutSessionsFake) => void) {
  const server = createMswServer();
  beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
  beforeEach(() => {
    const fake = createCheckoutSessionsFake();
    server.use(...fake.handlers);
    onEach(fake);
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}
