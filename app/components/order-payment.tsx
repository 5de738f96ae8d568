// How much and how to pay: the price breakdown, the card-payment button (its POST route belongs to the Stripe
// integration) and this order's own ATM virtual account, valid until the deadline.
import { Form } from "@remix-run/react";
import { formatAmount, type Locale } from "~/lib/i18n";
import type { OrderStatusView } from "~/orders/order-status.server";
import { PriceTable } from "./price-table";
import { formatTaipeiDateTime, orderText } from "./order-text";

export function OrderAmount({ locale, amount }: { locale: Locale; amount: OrderStatusView["amount"] }) {
  const say = (key: "status.cardFee" | "status.postage" | "status.total" | "status.amount") => orderText(locale, key);
  const labels = { caption: say("status.amount"), card: say("status.cardFee"), postage: say("status.postage"), total: say("status.total") };
  return <PriceTable locale={locale} labels={labels} amounts={amount} className="price-table order-amount" />;
}

export function OrderPaymentOptions({ locale, view }: { locale: Locale; view: OrderStatusView }) {
  const { card, atm } = view;
  if (!atm && !card.available) return null;
  const latest = card.latest?.status;
  return (
    <section className="order-panel" aria-labelledby="order-pay-title">
      <h2 id="order-pay-title">{orderText(locale, "status.payTitle")}</h2>
      <div className="order-methods">
        <section className="order-method" aria-labelledby="order-pay-card">
          <h3 id="order-pay-card">{orderText(locale, "status.cardTitle")}</h3>
          {card.available ? (
            <>
              <p>{orderText(locale, "status.cardBody")}</p>
              {latest === "PENDING" && <p className="order-muted">{orderText(locale, "status.cardPending")}</p>}
              {(latest === "FAILED" || latest === "EXPIRED") && <p className="order-muted">{orderText(locale, "status.cardFailed")}</p>}
              <Form method="post" action={`/reissue/orders/${view.orderNumber}/pay/card`} reloadDocument>
                <button type="submit" className="button button--primary">
                  {orderText(locale, "status.cardButton", { amount: view.amount.totalNtd })}
                </button>
              </Form>
            </>
          ) : (
            <p>{orderText(locale, "status.cardUnavailable")}</p>
          )}
        </section>
        {atm && (
          <section className="order-method" aria-labelledby="order-pay-atm">
            <h3 id="order-pay-atm">{orderText(locale, "status.atmTitle")}</h3>
            <dl className="order-dl">
              <div>
                <dt>{orderText(locale, "status.atmBankCode")}</dt>
                <dd className="order-figure">{atm.bankCode}</dd>
              </div>
              <div>
                <dt>{orderText(locale, "status.atmAccount")}</dt>
                <dd className="order-figure" data-account={atm.virtualAccount}>{atm.virtualAccountFormatted}</dd>
              </div>
              <div>
                <dt>{orderText(locale, "status.atmAmount")}</dt>
                <dd className="order-figure">{formatAmount(locale, atm.amountNtd)}</dd>
              </div>
              <div>
                <dt>{orderText(locale, "status.atmExpires")}</dt>
                <dd>
                  <time dateTime={atm.expiresAt}>{formatTaipeiDateTime(locale, atm.expiresAt)}</time>
                </dd>
              </div>
            </dl>
            <p className="order-muted">{orderText(locale, "status.atmNote")}</p>
          </section>
        )}
      </div>
    </section>
  );
}
