// The support desk's catalogue (app/i18n/support.*.ts), beside the staff one it builds on.
import type { z } from "zod";
import { supportEn } from "~/i18n/support.en";
import { supportZhTW, type SupportMessageKey, type SupportMessages, type SupportVars } from "~/i18n/support.zh-TW";
import { fillPlaceholders } from "~/i18n/placeholders";
import { locales, useLocale, type Locale } from "~/lib/i18n";
import { fieldErrorsOf } from "~/staff/schema";
import type { StaffFormFailure } from "../form-result";
import { bilingual as staffBilingual, isStaffMessageKey, type Bilingual } from "../staff-text";

export { formatTaipeiDateTime } from "~/components/order-text";

const catalogues: Record<Locale, SupportMessages> = { "zh-TW": supportZhTW, en: supportEn };

export function supportText<K extends SupportMessageKey>(locale: Locale, key: K, ...[vars]: SupportVars<K>): string {
  return fillPlaceholders(catalogues[locale][key], vars);
}

export function isSupportMessageKey(key: string): key is SupportMessageKey {
  return Object.hasOwn(supportZhTW, key);
}

/** For keys chosen at run time (statuses, kinds): the key itself when the catalogue has no such text. */
export function supportTextLoose(locale: Locale, key: string): string {
  return isSupportMessageKey(key) ? catalogues[locale][key] : key;
}

export function supportBilingual(key: SupportMessageKey): Bilingual {
  return Object.fromEntries(locales.map((locale) => [locale, catalogues[locale][key]])) as Bilingual;
}

/** zod's field errors as texts: support keys, or the staff catalogue's (the lift-lock form is the activation page's). */
export function supportZodFailure(error: z.ZodError): Pick<StaffFormFailure, "fieldErrors" | "formError"> {
  const fieldErrors: Partial<Record<string, Bilingual>> = {};
  let formError: Bilingual | undefined;
  for (const [field, key] of Object.entries(fieldErrorsOf(error))) {
    const text = key && isSupportMessageKey(key) ? supportBilingual(key) : key && isStaffMessageKey(key) ? staffBilingual(key) : supportBilingual("error.unknownIntent");
    if (field === "intent" || field === "form") formError ??= text;
    else fieldErrors[field] = text;
  }
  return { fieldErrors, ...(formError ? { formError } : {}) };
}

export type SupportSay = <K extends SupportMessageKey>(key: K, ...vars: SupportVars<K>) => string;

export function useSupportText(): { locale: Locale; say: SupportSay } {
  const locale = useLocale();
  return { locale, say: (key, ...vars) => supportText(locale, key, ...vars) };
}
