// Client-safe and pure. Taiwan working days: Monday to Friday, minus the national holidays and their make-up days
// off (補假), plus the Saturdays declared working days (補班) — as the DGPA calendar in the data file lists them
// (docs/working-day-calendar.md). Dates are Taipei calendar dates written YYYY-MM-DD.

export interface WorkingDayCalendar {
  /** The first and last date the calendar's holidays are known for (inclusive). */
  firstDate: string;
  lastDate: string;
  /** Weekdays off → their zh-TW name (開國紀念日, 春節, 國慶日補假 …). */
  holidays: ReadonlyMap<string, string>;
  /** Saturdays that are working days (補班). */
  makeUpWorkdays: ReadonlySet<string>;
}

const DAY_MS = 86_400_000;
const TAIPEI_OFFSET_MS = 8 * 3600 * 1000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Taiwan keeps UTC+8 all year (no daylight saving since 1979), so a fixed offset is exact. */
export function taipeiDate(at: Date): string {
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

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return new Date(parseCalendarDate(date)).getUTCDay();
}

export function isWeekend(date: string): boolean {
  const day = dayOfWeek(date);
  return day === 0 || day === 6;
}

function nextDate(date: string): string {
  return new Date(parseCalendarDate(date) + DAY_MS).toISOString().slice(0, 10);
}

function withinCalendar(date: string, calendar: WorkingDayCalendar): boolean {
  // YYYY-MM-DD strings order like the dates they name.
  return date >= calendar.firstDate && date <= calendar.lastDate;
}

/** Outside the calendar's range only weekends are known; holidays there are not (yet) in the data file. */
export function isWorkingDay(date: string, calendar: WorkingDayCalendar): boolean {
  if (withinCalendar(date, calendar)) {
    if (calendar.holidays.has(date)) return false;
    if (calendar.makeUpWorkdays.has(date)) return true;
  }
  return !isWeekend(date);
}

/**
 * The `days`-th working day after `date` (`date` itself is not counted; 0 gives `date` back). `beyondCalendar`
 * says some day counted lay outside the calendar's range, where holidays are unknown and the answer may be early.
 */
export function addWorkingDays(
  date: string,
  days: number,
  calendar: WorkingDayCalendar,
): { date: string; beyondCalendar: boolean } {
  parseCalendarDate(date);
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be a whole number ≥ 0: ${days}`);
  let current = date;
  let beyondCalendar = days === 0 && !withinCalendar(date, calendar);
  for (let counted = 0; counted < days; ) {
    current = nextDate(current);
    if (!withinCalendar(current, calendar)) beyondCalendar = true;
    if (isWorkingDay(current, calendar)) counted++;
  }
  return { date: current, beyondCalendar };
}
