import { data, redirect, type ActionFunctionArgs, type LinksFunction, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireCitizen, requireCitizenForChange } from "~/auth/session.server";
import { NOT_RECEIVED_INTENT } from "~/components/order-fulfilment";
import { OrderStatus } from "~/components/order-status";
import { orderText, useOrderText } from "~/components/order-text";
import { reportDeliveredNotReceived } from "~/fulfilment/not-received.server";
import { cardCheckoutErrorMessage } from "~/payments/card-checkout.server";
import { AppError } from "~/lib/errors.server";
import { assertSameOrigin, errorResponse } from "~/lib/http.server";
import { localeFromMatches, t } from "~/lib/i18n";
import { loadOrderStatus } from "~/orders/order-status.server";
import landingStyles from "~/styles/landing.css?url";
import orderStyles from "~/styles/orders.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: landingStyles },
  { rel: "stylesheet", href: orderStyles },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const citizen = await requireCitizen(request);
  // Stripe sends the holder back with ?checkout=returned; only the signed webhook marks the order paid.
  const query = new URL(request.url).searchParams;
  const checkoutReturned = query.get("checkout") === "returned";
  const view = await loadOrderStatus({
    holderId: citizen.holderId,
    orderNumber: params.orderNumber ?? "",
    now: new Date(),
    checkoutReturned,
  });
  // Someone else's order is answered exactly like one that does not exist.
  if (!view) throw new Response(null, { status: 404 });
  return {
    view,
    // A refused card checkout comes back with its code only (?checkout_error=CODE); the text is ours.
    checkoutError: cardCheckoutErrorMessage(query.get("checkout_error")) ?? null,
    // After the not-received report (action below); the flag alone claims nothing the order does not show.
    notReceivedReported: query.get("reported") === "not-received" && Boolean(view.fulfilment?.notReceived.reportedAt),
  };
}

const statusPageForm = z.object({ intent: z.literal(NOT_RECEIVED_INTENT) });

/** 002 收件問題: the post shows the letter delivered but the holder has no card — support is told. */
export async function action({ request, params, context }: ActionFunctionArgs) {
  const citizen = await requireCitizenForChange(request, { statusSource: context.certificateStatus });
  try {
    assertSameOrigin(request);
    const form = statusPageForm.safeParse(Object.fromEntries(await request.formData()));
    if (!form.success) return data({ formError: { "zh-TW": "無法辨識的操作。", en: "Unknown request." } }, { status: 400 });
    const orderNumber = params.orderNumber ?? "";
    await reportDeliveredNotReceived({ holderId: citizen.holderId, orderNumber, now: new Date() });
    return redirect(`/reissue/orders/${encodeURIComponent(orderNumber)}?reported=not-received`, 303);
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    // Another site's form, or an order that is not this holder's: nothing to show on a status page.
    if (error.code === "CROSS_ORIGIN" || error.code === "ORDER_NOT_FOUND") return errorResponse(error);
    return data({ formError: error.userMessage }, { status: error.status });
  }
}

export const meta: MetaFunction = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return [{ title: `${orderText(locale, "status.title")} — ${t(locale, "site.name")}` }];
};

export default function OrderStatusPage() {
  const { view, checkoutError, notReceivedReported } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { locale, say } = useOrderText();
  return (
    <section className="page page--narrow">
      <h1>{say("status.title")}</h1>
      {checkoutError ? <p className="notice" role="alert">{checkoutError[locale]}</p> : null}
      {result && "formError" in result ? <p className="notice" role="alert">{result.formError[locale]}</p> : null}
      {notReceivedReported ? <p className="notice" role="status">{say("fulfilment.notReceivedReported")}</p> : null}
      <OrderStatus locale={locale} view={view} />
      <p>
        <Link to="/reissue">{say("status.back")}</Link>
      </p>
    </section>
  );
}
