// The order status page's body: where the order stands, the deadline with a live countdown, how to pay, what
// the seed says happens after payment or after deletion, and the timeline.
import { Link, useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef, type ReactNode } from "react";
import type { OrdersMessageKey } from "~/i18n/orders.zh-TW";
import type { Locale } from "~/lib/i18n";
import type { OrderPhase, OrderStatusView } from "~/orders/order-status.server";
import { SUPPORT_PHONE } from "./support-contact";
import { OrderCountdown } from "./order-countdown";
import { fulfilmentStageLabel, OrderFulfilment } from "./order-fulfilment";
import { OrderAmount, OrderPaymentOptions } from "./order-payment";
import { formatTaipeiDateTime, orderText, orderTextLoose } from "./order-text";
import { OrderTimeline } from "./order-timeline";

/** 002 注意事項 2: the household registration office charges NT$250 for the card. */
const IN_PERSON_CARD_FEE_NTD = 250;
/** While a card payment is processing: ask again this often, for at most this long (a checkout left open). */
export const PROCESSING_REFRESH_MS = 4_000;
const PROCESSING_REFRESH_LIMIT = 75;

export function phaseLabel(locale: Locale, phase: OrderPhase): string {
  return orderTextLoose(locale, `status.${phase}`);
}

/** Re-reads the loader until the webhook has settled the payment; <noscript> pages get a meta refresh instead. */
function useAutoRefresh(active: boolean) {
  const revalidator = useRevalidator();
  // The revalidator object changes with its state; the interval must not restart (and reset its count) each time.
  const latest = useRef(revalidator);
  latest.current = revalidator;
  useEffect(() => {
    if (!active) return;
    let count = 0;
    const timer = setInterval(() => {
      if (++count > PROCESSING_REFRESH_LIMIT) return clearInterval(timer);
      if (latest.current.state === "idle") latest.current.revalidate();
    }, PROCESSING_REFRESH_MS);
    return () => clearInterval(timer);
  }, [active]);
}

export function OrderStatus({ locale, view }: { locale: Locale; view: OrderStatusView }) {
  const say = (key: OrdersMessageKey) => orderTextLoose(locale, key);
  const revalidator = useRevalidator();
  const processing = view.phase === "PROCESSING";
  useAutoRefresh(processing);
  const revalidate = useRef(revalidator.revalidate);
  revalidate.current = revalidator.revalidate;
  // At the deadline the page reloads its data, so the payment options disappear without a manual refresh.
  const onExpired = useCallback(() => revalidate.current(), []);
  const unpaid = view.status === "AWAITING_PAYMENT";

  let body: ReactNode;
  if (view.status === "DELETED_UNPAID") body = <Deleted locale={locale} />;
  else if (view.status === "PAID") body = <Paid locale={locale} outlyingIsland={view.outlyingIsland} />;
  else if (!unpaid && !view.fulfilment) body = <p>{say("status.laterBody")}</p>;
  else if (processing) body = <p>{say("status.processingBody")}</p>;

  return (
    <>
      {processing && (
        <noscript>
          <meta httpEquiv="refresh" content={String(PROCESSING_REFRESH_MS / 1000)} />
        </noscript>
      )}
      <div className={`order-state order-state--${view.phase.toLowerCase().replace("_", "-")}`} role="status">
        <dl className="order-dl">
          <div>
            <dt>{say("status.orderNumber")}</dt>
            <dd className="order-figure">{view.orderNumberFormatted}</dd>
          </div>
          <div>
            <dt>{say("status.state")}</dt>
            <dd>
              {/* A returned letter or a card that could not be made outranks the order's own status. */}
              <strong>{(view.fulfilment && fulfilmentStageLabel(locale, view.fulfilment.stage)) ?? phaseLabel(locale, view.phase)}</strong>
            </dd>
          </div>
        </dl>
        {body}
      </div>
      {view.fulfilment && <OrderFulfilment locale={locale} orderNumber={view.orderNumber} view={view.fulfilment} />}
      {unpaid && (
        <section className="order-panel" aria-labelledby="order-deadline-title">
          <h2 id="order-deadline-title">{say("status.deadline")}</h2>
          <p>
            {orderText(locale, "status.deadlineAt", { deadline: formatTaipeiDateTime(locale, view.paymentDeadline) })}
          </p>
          {view.secondsRemaining > 0 ? (
            <p>
              {say("status.remaining")}{locale === "zh-TW" ? "：" : ": "}
              <OrderCountdown locale={locale} initialSeconds={view.secondsRemaining} onExpired={onExpired} />
            </p>
          ) : (
            <p>
              <strong>{say("status.deadlinePassed")}</strong>
            </p>
          )}
          <p className="page__note">{say("status.timeZoneNote")}</p>
        </section>
      )}
      <OrderAmount locale={locale} amount={view.amount} />
      {unpaid && <OrderPaymentOptions locale={locale} view={view} />}
      <OrderTimeline locale={locale} entries={view.timeline} />
      <p className="page__note">{say("status.orderNumberNote")}</p>
    </>
  );
}

function Paid({ locale, outlyingIsland }: { locale: Locale; outlyingIsland: boolean | null }) {
  return (
    <>
      <p>{orderText(locale, "status.paidBody")}</p>
      <div className="notice" role="note">
        <ul className="bullets">
          <li>{orderText(locale, "status.paidFrozen")}</li>
          <li>{orderText(locale, "status.paidNoRefund")}</li>
          <li>{orderText(locale, outlyingIsland ? "status.deliveryOutlying" : "status.delivery")}</li>
        </ul>
      </div>
    </>
  );
}

function Deleted({ locale }: { locale: Locale }) {
  return (
    <>
      <p>{orderText(locale, "status.deletedBody")}</p>
      <p>{orderText(locale, "status.deletedAgain")}</p>
      <p>
        <Link to="/reissue" className="button button--primary">
          {orderText(locale, "status.deletedAgainAction")}
        </Link>
      </p>
      <p>{orderText(locale, "status.deletedInPerson", { amount: IN_PERSON_CARD_FEE_NTD })}</p>
      <p className="page__note">{orderText(locale, "status.deletedLatePayment", { phone: SUPPORT_PHONE })}</p>
    </>
  );
}
