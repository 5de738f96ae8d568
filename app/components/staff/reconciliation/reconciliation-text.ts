// The reconciliation catalogue (app/i18n/reconciliation.*.ts), the page titles, and form errors from zod issues.
import type { MetaDescriptor } from "@remix-run/node";
import type { z } from "zod";
import { reconciliationEn } from "~/i18n/reconciliation.en";
import { reconciliationZhTW, type ReconciliationMessageKey, type ReconciliationMessages, type ReconciliationVars } from "~/i18n/reconciliation.zh-TW";
import { fillPlaceholders } from "~/i18n/placeholders";
import { localeFromMatches, locales, t, useLocale, type Locale } from "~/lib/i18n";
import type { StaffFormFailure } from "../form-result";
import { staffText } from "../staff-text";

export { formatNtd } from "../finance/finance-text";
export { formatTaipeiDateTime } from "../staff-text";

const catalogues: Record<Locale, ReconciliationMessages> = { "zh-TW": reconciliationZhTW, en: reconciliationEn };

export function reconciliationText<K extends ReconciliationMessageKey>(locale: Locale, key: K, ...[vars]: ReconciliationVars<K>): string {
  return fillPlaceholders(catalogues[locale][key], vars);
}

const isKey = (key: string): key is ReconciliationMessageKey => Object.hasOwn(reconciliationZhTW, key);

/** For keys chosen at run time (kinds, resolutions, sources): the key itself when the catalogue has no such text. */
export function reconciliationTextLoose(locale: Locale, key: string): string {
  return isKey(key) ? catalogues[locale][key] : key;
}

export function reconciliationBilingual(key: ReconciliationMessageKey): Record<Locale, string> {
  return Object.fromEntries(locales.map((locale) => [locale, catalogues[locale][key]])) as Record<Locale, string>;
}

export type ReconciliationSay = <K extends ReconciliationMessageKey>(key: K, ...vars: ReconciliationVars<K>) => string;

export function useReconciliationText(): { locale: Locale; say: ReconciliationSay; loose: (key: string) => string } {
  const locale = useLocale();
  return { locale, say: (key, ...vars) => reconciliationText(locale, key, ...vars), loose: (key) => reconciliationTextLoose(locale, key) };
}

type TitleKey = "reconcile.title" | "exceptions.title" | "detail.title";

export function reconciliationMeta(matches: ReadonlyArray<{ id: string; data?: unknown }>, title: TitleKey): MetaDescriptor[] {
  const locale = localeFromMatches(matches);
  return [
    { title: `${reconciliationText(locale, title)} — ${staffText(locale, "layout.area")} — ${t(locale, "site.name")}` },
    { name: "robots", content: "noindex, nofollow" },
  ];
}

/** zod's first message per field (catalogue keys) as bilingual field errors. */
export function reconciliationZodFailure(error: z.ZodError): Pick<StaffFormFailure, "fieldErrors"> {
  const fieldErrors: NonNullable<StaffFormFailure["fieldErrors"]> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    fieldErrors[field] ??= reconciliationBilingual(isKey(issue.message) ? issue.message : "error.resolution");
  }
  return { fieldErrors };
}
