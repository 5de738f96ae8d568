// The finance catalogue (app/i18n/finance.*.ts), NT$ amounts and Taipei times for the finance pages.
import type { MetaDescriptor } from "@remix-run/node";
import { financeEn } from "~/i18n/finance.en";
import { financeZhTW, type FinanceMessageKey, type FinanceMessages, type FinanceVars } from "~/i18n/finance.zh-TW";
import { fillPlaceholders } from "~/i18n/placeholders";
import { localeFromMatches, locales, t, useLocale, type Locale } from "~/lib/i18n";
import { staffText } from "../staff-text";

const catalogues: Record<Locale, FinanceMessages> = { "zh-TW": financeZhTW, en: financeEn };

export function financeText<K extends FinanceMessageKey>(locale: Locale, key: K, ...[vars]: FinanceVars<K>): string {
  return fillPlaceholders(catalogues[locale][key], vars);
}

export function isFinanceMessageKey(key: string): key is FinanceMessageKey {
  return Object.hasOwn(financeZhTW, key);
}

export type Bilingual = Record<Locale, string>;

/** Both languages of a catalogue text (what loaders return as errors; the page shows the reader's). */
export function financeBilingual(key: FinanceMessageKey): Bilingual {
  return Object.fromEntries(locales.map((locale) => [locale, catalogues[locale][key]])) as Bilingual;
}

export type FinanceSay = <K extends FinanceMessageKey>(key: K, ...vars: FinanceVars<K>) => string;

export function useFinanceText(): { locale: Locale; say: FinanceSay } {
  const locale = useLocale();
  return { locale, say: (key, ...vars) => financeText(locale, key, ...vars) };
}

const ntd = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** NT$1,368 — whole dollars, the same in both languages (how receipts and bank statements in Taiwan write it). */
export function formatNtd(amount: number): string {
  return `NT$${ntd.format(amount)}`;
}

const taipeiTime = new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Taipei", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23" });

/** 00:30:05 in Taipei (the payments page lists one day, so the time is enough). */
export function formatTaipeiTime(iso: string): string {
  return taipeiTime.format(new Date(iso));
}

type TitleKey = { [K in FinanceMessageKey]: K extends `${string}.title` ? K : never }[FinanceMessageKey];

/** Each finance page's <title> and robots tag (a child route's meta replaces its parent's). */
export function financeMeta(matches: ReadonlyArray<{ id: string; data?: unknown }>, title: TitleKey): MetaDescriptor[] {
  const locale = localeFromMatches(matches);
  return [
    { title: `${financeText(locale, title)} — ${financeText(locale, "area")} — ${staffText(locale, "layout.area")} — ${t(locale, "site.name")}` },
    { name: "robots", content: "noindex, nofollow" },
  ];
}
