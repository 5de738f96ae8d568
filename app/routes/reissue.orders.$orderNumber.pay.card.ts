// POST from the status page's "pay by card" button: open Stripe Checkout and send the payer there. The order
// becomes paid only through Stripe's signed webhook (webhooks.stripe.ts), never through this route or the return.
import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireCitizenForChange } from "~/auth/session.server";
import { AppError } from "~/lib/errors.server";
import { assertSameOrigin, errorResponse } from "~/lib/http.server";
import { parseOrderNumber } from "~/orders/order-number";
import { startCardCheckout } from "~/payments/card-checkout.server";

export async function action({ request, params, context }: ActionFunctionArgs) {
  const citizen = await requireCitizenForChange(request, { statusSource: context.certificateStatus });
  const orderNumber = parseOrderNumber(params.orderNumber ?? "");
  if (!orderNumber) throw new Response("Not Found", { status: 404 });
  try {
    assertSameOrigin(request);
    const checkout = await startCardCheckout({ holderId: citizen.holderId, orderNumber, requestOrigin: new URL(request.url).origin });
    return redirect(checkout.url, 303);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // Another site's form, or an order that is not this holder's: nothing to show on a status page.
    if (error.code === "CROSS_ORIGIN" || error.code === "ORDER_NOT_FOUND") return errorResponse(error);
    // The status page shows the refusal in the holder's language (cardCheckoutErrorMessage); the URL carries a code only.
    return redirect(`/reissue/orders/${orderNumber}?checkout_error=${encodeURIComponent(error.code)}`, 303);
  }
}

export function loader() {
  throw new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST" } });
}
