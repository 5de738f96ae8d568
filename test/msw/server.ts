import { setupServer } from "msw/node";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { createCheckoutSessionsFake, stripeFallback, type CheckoutSessionsFake } from "./stripe";

/** One msw server per test file that needs outside services; unhandled requests fail the test. */
export function createMswServer() {
  return setupServer(stripeFallback);
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
