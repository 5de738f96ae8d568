// The orders catalogue (app/i18n/orders.*.ts) for the application and status pages, and dates in Asia/Taipei.
import { ordersEn } from "~/i18n/orders.en";
import { ordersZhTW, type OrdersMessageKey, type OrdersMessages, type OrdersVars } from "~/i18n/orders.zh-TW";
import { fillPlaceholders } from "~/i18n/placeholders";
import { useLocale, type Locale } from "~/lib/i18n";

const catalogues: Record<Locale, OrdersMessages> = { "zh-TW": ordersZhTW, en: ordersEn };
const TAIPEI = "Asia/Taipei";

export function orderText<K extends OrdersMessageKey>(locale: Locale, key: K, ...[vars]: OrdersVars<K>): string {
  return fillPlaceholders(catalogues[locale][key], vars);
}

/** For keys chosen at run time (field errors, statuses): extra values are ignored, missing ones left visible. */
export function orderTextLoose(locale: Locale, key: OrdersMessageKey, vars?: Record<string, string | number>): string {
  return fillPlaceholders(catalogues[locale][key], vars);
}

export type OrderSay = <K extends OrdersMessageKey>(key: K, ...vars: OrdersVars<K>) => string;

export function useOrderText(): { locale: Locale; say: OrderSay } {
  const locale = useLocale();
  return { locale, say: (key, ...vars) => orderText(locale, key, ...vars) };
}

const dateFormats: Record<Locale, Intl.DateTimeFormat> = {
  "zh-TW": new Intl.DateTimeFormat("zh-TW", { timeZone: TAIPEI, year: "numeric", month: "long", day: "numeric" }),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: TAIPEI, year: "numeric", month: "long", day: "numeric" }),
};
const timeFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: TAIPEI, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
});

/** 2026年11月25日 10:15:30 / 25 November 2026 at 10:15:30, Taiwan time (to the second: the deadline is exact). */
export function formatTaipeiDateTime(locale: Locale, iso: string): string {
  const at = new Date(iso);
  return orderText(locale, "dateTime", { date: dateFormats[locale].format(at), time: timeFormat.format(at) });
}

export function formatCountdown(locale: Locale, totalSeconds: number): string {
  const seconds = Math.max(0, Math.floor(totalSeconds));
  return orderText(locale, "status.countdown", {
    hours: Math.floor(seconds / 3600),
    minutes: String(Math.floor((seconds % 3600) / 60)).padStart(2, "0"),
    seconds: String(seconds % 60).padStart(2, "0"),
  });
}
