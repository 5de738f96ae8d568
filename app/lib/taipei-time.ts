// The one place that knows Taiwan's clock. Client-safe and pure. Taiwan has kept UTC+8 all year, without daylight
// saving, since 1980, so a Taipei calendar day is exactly [00:00+08:00, next 00:00+08:00) and a fixed offset is exact.
// Times are stored in UTC; everything a person reads (citizen pages, staff pages, e-mail, CLI output) is shown here.
import type { Locale } from "~/lib/i18n";

export const TAIPEI_TIME_ZONE = "Asia/Taipei";
export const TAIPEI_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

// ---- Taipei calendar days ("YYYY-MM-DD") ----

/** The Taipei calendar day an instant falls on; RangeError for an invalid time. */
export function taipeiDay(at: Date): string {
  if (Number.isNaN(at.getTime())) throw new RangeError("not a valid time");
  return new Date(at.getTime() + TAIPEI_OFFSET_MS).toISOString().slice(0, 10);
}

/** Midnight UTC of a YYYY-MM-DD date, rejecting dates that do not exist (2026-02-30). */
export function parseCalendarDate(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (match) {
    const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
    if (new Date(ms).toISOString().slice(0, 10) === date) return ms;
  }
  throw new RangeError(`not a calendar date (YYYY-MM-DD): ${date}`);
}

export function isCalendarDate(date: string): boolean {
  try {
    parseCalendarDate(date);
    return true;
  } catch {
    return false;
  }
}

/** The instant a Taipei day starts (00:00 +08:00). */
export function taipeiDayStart(day: string): Date {
  return new Date(parseCalendarDate(day) - TAIPEI_OFFSET_MS);
}

export function addDays(day: string, days: number): string {
  return new Date(parseCalendarDate(day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included (0 or less when `to` is before `from`). */
export function daysInRange(from: string, to: string): number {
  return Math.round((parseCalendarDate(to) - parseCalendarDate(from)) / DAY_MS) + 1;
}

/** An ISO time in Asia/Taipei with its offset: 2026-11-23T00:30:00+08:00 (what a spreadsheet in Taiwan reads). */
export function taipeiIsoTime(at: Date): string {
  return `${new Date(at.getTime() + TAIPEI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

// ---- What people read ----

const longDate: Record<Locale, Intl.DateTimeFormat> = {
  "zh-TW": new Intl.DateTimeFormat("zh-TW", { timeZone: TAIPEI_TIME_ZONE, year: "numeric", month: "long", day: "numeric" }),
  en: new Intl.DateTimeFormat("en-GB", { timeZone: TAIPEI_TIME_ZONE, year: "numeric", month: "long", day: "numeric" }),
};
const clock = {
  minutes: new Intl.DateTimeFormat("en-GB", { timeZone: TAIPEI_TIME_ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }),
  seconds: new Intl.DateTimeFormat("en-GB", {
    timeZone: TAIPEI_TIME_ZONE, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  }),
};

function instant(at: Date | string): Date {
  const date = typeof at === "string" ? new Date(at) : at;
  if (Number.isNaN(date.getTime())) throw new RangeError("not a valid time");
  return date;
}

/** 2026年11月23日 / 23 November 2026: a day in Taiwan, where minutes mean nothing to the reader. */
export function formatTaipeiDate(locale: Locale, at: Date | string): string {
  return longDate[locale].format(instant(at));
}

/** 14:05 or 14:05:09 in Taiwan, 24-hour. */
export function formatTaipeiClock(at: Date | string, precision: "minutes" | "seconds" = "minutes"): string {
  return clock[precision].format(instant(at));
}

/**
 * 2026年11月23日 14:05 / 23 November 2026 at 14:05 in Taiwan: an event a citizen reads. `seconds` where the second
 * matters (a payment deadline is exact).
 */
export function formatTaipeiDateTime(locale: Locale, at: Date | string, precision: "minutes" | "seconds" = "minutes"): string {
  const date = formatTaipeiDate(locale, at);
  const time = formatTaipeiClock(at, precision);
  return locale === "zh-TW" ? `${date} ${time}` : `${date} at ${time}`;
}

/**
 * 2026-11-23 14:05:09: the compact form for tables, staff records, logs and CLI output — the same in both languages,
 * sortable, and what a spreadsheet in Taiwan reads.
 */
export function formatTaipeiStamp(at: Date | string, precision: "minutes" | "seconds" = "seconds"): string {
  const date = instant(at);
  return `${taipeiDay(date)} ${formatTaipeiClock(date, precision)}`;
}
