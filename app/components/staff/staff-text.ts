// The staff catalogue (app/i18n/staff.*.ts). Dates reuse the orders' Asia/Taipei formatting.
import { staffEn } from "~/i18n/staff.en";
import { staffZhTW, type StaffMessageKey, type StaffMessages, type StaffVars } from "~/i18n/staff.zh-TW";
import { fillPlaceholders } from "~/i18n/placeholders";
import { locales, useLocale, type Locale } from "~/lib/i18n";

export { formatTaipeiDateTime } from "~/components/order-text";

const catalogues: Record<Locale, StaffMessages> = { "zh-TW": staffZhTW, en: staffEn };

export function staffText<K extends StaffMessageKey>(locale: Locale, key: K, ...[vars]: StaffVars<K>): string {
  return fillPlaceholders(catalogues[locale][key], vars);
}

export function isStaffMessageKey(key: string): key is StaffMessageKey {
  return Object.hasOwn(staffZhTW, key);
}

/** For keys chosen at run time (statuses, history actions): the key itself when the catalogue has no such text. */
export function staffTextLoose(locale: Locale, key: string): string {
  return isStaffMessageKey(key) ? catalogues[locale][key] : key;
}

export type Bilingual = Record<Locale, string>;

/** Both languages of a catalogue text: what actions return, so the page shows it in whichever the reader uses. */
export function bilingual(key: StaffMessageKey): Bilingual {
  return Object.fromEntries(locales.map((locale) => [locale, catalogues[locale][key]])) as Bilingual;
}

export type StaffSay = <K extends StaffMessageKey>(key: K, ...vars: StaffVars<K>) => string;

export function useStaffText(): { locale: Locale; say: StaffSay } {
  const locale = useLocale();
  return { locale, say: (key, ...vars) => staffText(locale, key, ...vars) };
}
