import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMswServer } from "../../test/msw/server";
import { STRIPE_API } from "../../test/msw/stripe";
import { fromStripeAmount, toStripeAmount } from "./money";

const server = createMswServer();
beforeAll(() => {
  process.env.STRIPE_SECRET_KEY = "sk_test_moica_unit";
  server.listen({ onUnhandledRequest: "error" });
});
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe("money at the Stripe edge", () => {
  it("converts whole NT$ to TWD hundredths and back", () => {
    expect(toStripeAmount(228)).toBe(22800);
    expect(fromStripeAmount(22800)).toBe(228);
    expect(() => toStripeAmount(228.5)).toThrow(RangeError);
    expect(() => toStripeAmount(-1)).toThrow(RangeError);
    expect(() => fromStripeAmount(22850)).toThrow(RangeError);
  });
});

describe("stripe()", () => {
  it("authenticates with the secret key and goes through the HTTP layer tests control", async () => {
    let authorization: string | null = null;
    server.use(
      http.get(`${STRIPE_API}/v1/balance`, ({ request }) => {
        authorization = request.headers.get("authorization");
        return HttpResponse.json({ object: "balance", available: [{ amount: 22800, currency: "twd" }], pending: [], livemode: false });
      }),
    );
    const { stripe } = await import("./stripe.server");
    const balance = await stripe().balance.retrieve();
    expect(authorization).toBe("Bearer sk_test_moica_unit");
    expect(fromStripeAmount(balance.available[0]!.amount)).toBe(228);
  });

  it("surfaces a Stripe error without retrying in tests", async () => {
    let calls = 0;
    server.use(
      http.get(`${STRIPE_API}/v1/balance`, () => {
        calls++;
        return HttpResponse.json({ error: { type: "api_error", message: "boom" } }, { status: 500 });
      }),
    );
    const { stripe } = await import("./stripe.server");
    await expect(stripe().balance.retrieve()).rejects.toMatchObject({ type: "StripeAPIError" });
    expect(calls).toBe(1);
  });
});
