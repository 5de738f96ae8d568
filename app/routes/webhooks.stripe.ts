// Stripe's webhook endpoint: verify the signature on the raw body, then one domain call. 2xx tells Stripe to stop
// retrying, so it is answered only once the event is durably recorded (with its effect, or as a known duplicate);
// a missing, malformed or bad signature is 400 with nothing recorded; no configured secret is 503; any other
// failure is 500. Stripe delivers the event again after a 503 or a 500.
import type { ActionFunctionArgs } from "@remix-run/node";
import { AppError } from "~/lib/errors.server";
import { errorResponse } from "~/lib/http.server";
import { handleStripeEvent, verifyStripeWebhook } from "~/payments/stripe-webhook.server";

export async function action({ request }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") throw new AppError("METHOD", { "zh-TW": "請使用 POST。", en: "Use POST." }, 405);
    const event = await verifyStripeWebhook(request);
    const result = await handleStripeEvent(event);
    return Response.json({ received: true, outcome: result.outcome });
  } catch (error) {
    return errorResponse(error);
  }
}
