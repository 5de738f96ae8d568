// The activation catalogue (app/i18n/activation.*.ts) for /activate. Dates use the orders helper: Asia/Taipei, to the second.
import { activationEn } from "~/i18n/activation.en";
import {
  activationZhTW,
  type ActivationMessageKey,
  type ActivationMessages,
  type ActivationVars,
} from "~/i18n/activation.zh-TW";
import { fillPlaceholders } from "~/i18n/placeholders";
import { useLocale, type Locale } from "~/lib/i18n";

export { formatTaipeiDateTime } from "~/components/order-text";

const catalogues: Record<Locale, ActivationMessages> = { "zh-TW": activationZhTW, en: activationEn };

export function activationText<K extends ActivationMessageKey>(locale: Locale, key: K, ...[vars]: ActivationVars<K>): string {
  return fillPlaceholders(catalogues[locale][key], vars);
}

/** The keys whose text takes no values. */
export type PlainActivationKey = { [K in ActivationMessageKey]: ActivationVars<K> extends [] ? K : never }[ActivationMessageKey];

/** A text without placeholders, for components that pass keys around. */
export function plainActivationText(locale: Locale, key: PlainActivationKey): string {
  return catalogues[locale][key];
}

export type ActivationSay = <K extends ActivationMessageKey>(key: K, ...vars: ActivationVars<K>) => string;

export function useActivationText(): { locale: Locale; say: ActivationSay } {
  const locale = useLocale();
  return { locale, say: (key, ...vars) => activationText(locale, key, ...vars) };
}
