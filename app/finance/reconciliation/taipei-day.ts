// Client-safe and pure. Finance reconciles by Taipei calendar day (YYYY-MM-DD); Taiwan keeps UTC+8 all year, so a
// day is exactly [00:00+08:00, next 00:00+08:00) in UTC.
import { parseCalendarDate, taipeiDate } from "~/fulfilment/working-days";

const DAY_MS = 86_400_000;
const TAIPEI_OFFSET_MS = 8 * 3600 * 1000;

export interface TaipeiDayWindow {
  day: string;
  /** Inclusive start, UTC. */
  start: Date;
  /** Exclusive end, UTC. */
  end: Date;
  /** The day as PostgreSQL's `date` (midnight UTC of that calendar date), for ReconciliationRun.day. */
  date: Date;
}

/** The UTC window of a Taipei calendar day; throws RangeError for a string that is not a real date. */
export function taipeiDayWindow(day: string): TaipeiDayWindow {
  const midnightUtc = parseCalendarDate(day);
  const start = new Date(midnightUtc - TAIPEI_OFFSET_MS);
  return { day, start, end: new Date(start.getTime() + DAY_MS), date: new Date(midnightUtc) };
}

/** Yesterday in Taipei: the day finance usually reconciles (today's money is still moving). */
export function taipeiYesterday(now = new Date()): string {
  return taipeiDate(new Date(now.getTime() - DAY_MS));
}

export { taipeiDate };
