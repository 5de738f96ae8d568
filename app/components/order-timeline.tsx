// What has happened to the order, oldest first, in the reader's language (from the audit trail).
import type { OrdersMessageKey } from "~/i18n/orders.zh-TW";
import type { Locale } from "~/lib/i18n";
import type { TimelineEntry } from "~/orders/order-status.server";
import { formatTaipeiDateTime, orderText, orderTextLoose } from "./order-text";

export function timelineLabel(locale: Locale, entry: TimelineEntry): string {
  const key: OrdersMessageKey =
    entry.action === "order.paid" && entry.method ? `timeline.order.paid.${entry.method}` : `timeline.${entry.action}`;
  return orderTextLoose(locale, key);
}

export function OrderTimeline({ locale, entries }: { locale: Locale; entries: TimelineEntry[] }) {
  return (
    <section className="order-panel" aria-labelledby="order-timeline-title">
      <h2 id="order-timeline-title">{orderText(locale, "status.timeline")}</h2>
      {entries.length === 0 ? (
        <p>{orderText(locale, "status.timelineEmpty")}</p>
      ) : (
        <ol className="order-timeline">
          {entries.map((entry, index) => (
            <li key={`${entry.action}-${entry.at}-${index}`} className={`order-timeline__item order-timeline__item--${entry.action.replace(".", "-")}`}>
              <time dateTime={entry.at}>{formatTaipeiDateTime(locale, entry.at)}</time>
              <span>{timelineLabel(locale, entry)}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
