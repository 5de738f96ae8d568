// Client-safe: the root layout, routes and components all use this module.
import { useRouteLoaderData } from "@remix-run/react";
import { en } from "~/i18n/en";
import { fillPlaceholders, type Placeholders, type VarsFor } from "~/i18n/placeholders";
import { zhTW, type MessageKey, type Messages, type SourceMessages } from "~/i18n/zh-TW";

export const locales = ["zh-TW", "en"] as const;
export type Locale = (typeof locales)[number];
export const defaultLocale: Locale = "zh-TW";
export type { MessageKey };

export const LOCALE_COOKIE = "lang";
export const LOCALE_PARAM = "lang";
const LOCALE_COOKIE_MAX_AGE = 60 * 60 * 24 * 365;

const catalogues: Record<Locale, Messages> = { "zh-TW": zhTW, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (locales as readonly string[]).includes(value);
}

/** Maps a language tag to a locale we serve: any Chinese to zh-TW (the only Chinese we have), any English to en. */
export function toLocale(tag: string | null | undefined): Locale | null {
  if (typeof tag !== "string") return null;
  const primary = /^([a-z]{2,3})(?:[-_][a-z0-9]{1,8})*$/i.exec(tag.trim())?.[1]?.toLowerCase();
  if (primary === "zh") return "zh-TW";
  if (primary === "en") return "en";
  return null;
}

export function otherLocale(locale: Locale): Locale {
  return locale === "zh-TW" ? "en" : "zh-TW";
}

/**
 * Order: `?lang=` → `lang` cookie → zh-TW. English only when the reader chose it: many citizens browse with an
 * English-language system yet expect a Taiwanese government service in Chinese (docs/decisions/003).
 * Anything malformed is skipped, never an error.
 */
export function resolveLocale(request: Request): Locale {
  return localeFromQuery(request) ?? localeFromCookieHeader(request.headers.get("Cookie")) ?? defaultLocale;
}

export function localeFromQuery(request: Request): Locale | null {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return null;
  }
  return toLocale(url.searchParams.get(LOCALE_PARAM));
}

export function localeFromCookieHeader(header: string | null | undefined): Locale | null {
  if (!header) return null;
  for (const pair of header.split(";")) {
    const eq = pair.indexOf("=");
    if (eq < 0 || pair.slice(0, eq).trim() !== LOCALE_COOKIE) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    try {
      value = decodeURIComponent(value);
    } catch {
      continue;
    }
    // Only our own exact values: a cookie is something we wrote, not a language tag to interpret.
    if (isLocale(value)) return value;
  }
  return null;
}

/** The Set-Cookie value that remembers a chosen locale for a year. Not HttpOnly: it is a harmless preference. */
export function localeCookieHeader(locale: Locale, { secure = false }: { secure?: boolean } = {}): string {
  const attributes = [
    `${LOCALE_COOKIE}=${encodeURIComponent(locale)}`,
    "Path=/",
    `Max-Age=${LOCALE_COOKIE_MAX_AGE}`,
    "SameSite=Lax",
  ];
  if (secure) attributes.push("Secure");
  return attributes.join("; ");
}

/** The same path without `?lang=`, so the query does not override a choice the cookie now holds. */
export function withoutLocaleParam(path: string): string {
  const url = new URL(path, "http://localhost");
  url.searchParams.delete(LOCALE_PARAM);
  return url.pathname + url.search + url.hash;
}

export type MessageVars<K extends MessageKey> = Record<Placeholders<SourceMessages[K]>, string | number>;
type VarsArgument<K extends MessageKey> = VarsFor<SourceMessages[K]>;

export function t<K extends MessageKey>(locale: Locale, key: K, ...[vars]: VarsArgument<K>): string {
  return fillPlaceholders(catalogues[locale][key], vars);
}

export type Translate = <K extends MessageKey>(key: K, ...vars: VarsArgument<K>) => string;

export function translator(locale: Locale): Translate {
  return (key, ...vars) => t(locale, key, ...vars);
}

/** "60 天" / "60 days", "1 年" / "1 year". */
export function formatCount(locale: Locale, unit: "days" | "months" | "years", count: number): string {
  const form = new Intl.PluralRules(locale).select(count) === "one" ? "one" : "other";
  return t(locale, `unit.${unit}.${form}`, { count });
}

export function formatAmount(locale: Locale, amount: number): string {
  return t(locale, "unit.amount", { amount });
}

/** The locale the root loader chose; zh-TW when the root loader has no data (its own error, say). */
/** For `meta` functions, which get no hooks: the locale the root loader resolved. */
export function localeFromMatches(matches: ReadonlyArray<{ id: string; data?: unknown }>): Locale {
  const data = matches.find((match) => match.id === "root")?.data as { locale?: unknown } | undefined;
  return isLocale(data?.locale) ? data.locale : defaultLocale;
}

export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as { locale?: unknown } | undefined;
  return isLocale(data?.locale) ? data.locale : defaultLocale;
}

export function useT(): Translate {
  return translator(useLocale());
}
