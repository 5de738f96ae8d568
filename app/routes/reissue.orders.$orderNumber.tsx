import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireCitizen } from "~/auth/session.server";
import { OrderStatus } from "~/components/order-status";
import { orderText, useOrderText } from "~/components/order-text";
import { cardCheckoutErrorMessage } from "~/payments/card-checkout.server";
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
  // A refused card checkout comes back with its code only (?checkout_error=CODE); the text is ours.
  return { view, checkoutError: cardCheckoutErrorMessage(query.get("checkout_error")) ?? null };
}

export const meta: MetaFunction = ({ matches }) => {
  const locale = localeFromMatches(matches);
  return [{ title: `${orderText(locale, "status.title")} — ${t(locale, "site.name")}` }];
};

export default function OrderStatusPage() {
  const { view, checkoutError } = useLoaderData<typeof loader>();
  const { locale, say } = useOrderText();
  return (
    <section className="page page--narrow">
      <h1>{say("status.title")}</h1>
      {checkoutError ? <p className="notice" role="alert">{checkoutError[locale]}</p> : null}
      <OrderStatus locale={locale} view={view} />
      <p>
        <Link to="/reissue">{say("status.back")}</Link>
      </p>
    </section>
  );
}
