// Stripe's hosted checkout page, played locally for end-to-end tests: the msw fake of the Checkout Sessions API
// (test/msw/stripe.ts) points each session's url here. "Paying" completes the session in the fake, sends the
// browser back to the session's success_url, and delivers the signed checkout.session.completed webhook
// afterwards — later than the redirect, as Stripe may, so the status page has to wait for it.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { signedStripeWebhook, type CheckoutSessionsFake } from "../msw/stripe";

export interface FakeHostedCheckout {
  pageUrl(sessionId: string): string;
  /** Resolves with the webhook answer's status once the delivery after a payment has happened. */
  deliveries: Array<Promise<number>>;
  close(): Promise<void>;
}

export async function startFakeHostedCheckout({ fake, webhookUrl, secret, webhookDelayMs = 1500 }: {
  fake: () => CheckoutSessionsFake;
  webhookUrl: string;
  secret: string;
  webhookDelayMs?: number;
}): Promise<FakeHostedCheckout> {
  const deliveries: Array<Promise<number>> = [];
  const server = http.createServer((request, response) => {
    const match = /^\/pay\/([\w-]+)$/.exec(request.url ?? "");
    const session = match ? fake().sessions.get(match[1]!) : undefined;
    if (!session) {
      response.writeHead(404).end("no such checkout session");
      return;
    }
    if (request.method === "GET") {
      response.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(
        `<!doctype html><title>Stripe Checkout (test)</title><h1>TWD ${(session.amount_total ?? 0) / 100}</h1>` +
          `<form method="post"><button id="pay" type="submit">Pay</button></form>`,
      );
      return;
    }
    fake().complete(session.id);
    const { body, headers } = signedStripeWebhook({ event: fake().event("checkout.session.completed", session.id), secret });
    deliveries.push(
      new Promise<number>((resolve, reject) =>
        setTimeout(() => fetch(webhookUrl, { method: "POST", headers, body }).then((r) => resolve(r.status), reject), webhookDelayMs),
      ),
    );
    response.writeHead(303, { Location: session.success_url ?? "/" }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    pageUrl: (sessionId) => `http://127.0.0.1:${port}/pay/${sessionId}`,
    deliveries,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
