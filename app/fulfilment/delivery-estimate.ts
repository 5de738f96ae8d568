// Client-safe and pure. 002: 完成線上續卡作業繳費後，如於台灣本島內寄送，約 7 個工作天收件；離島收件時間延後 2-3 天.
// The service counts from dispatch (the day the letter enters the post), on the Taiwan working-day calendar.
import { addWorkingDays, taipeiDate, type WorkingDayCalendar } from "./working-days";

/** 002: about 7 working days on Taiwan's main island. */
export const MAIN_ISLAND_WORKING_DAYS = 7;
/** 002: outlying islands 2–3 days more. */
export const OUTLYING_ISLAND_EXTRA_DAYS = { from: 2, to: 3 } as const;

/**
 * The Taipei dates the card should arrive between: from = to = the 7th working day after the dispatch date on the
 * main island; the 9th to the 10th for outlying islands. Counting starts the day after dispatch (a Friday dispatch
 * makes Monday day 1). `beyondCalendar`: the count ran past the calendar's data, so holidays there were not known.
 */
export function estimateDelivery(
  input: { from: Date; outlyingIsland: boolean },
  calendar: WorkingDayCalendar,
): { from: string; to: string; beyondCalendar: boolean } {
  const dispatchDate = taipeiDate(input.from);
  const [first, last] = input.outlyingIsland
    ? [MAIN_ISLAND_WORKING_DAYS + OUTLYING_ISLAND_EXTRA_DAYS.from, MAIN_ISLAND_WORKING_DAYS + OUTLYING_ISLAND_EXTRA_DAYS.to]
    : [MAIN_ISLAND_WORKING_DAYS, MAIN_ISLAND_WORKING_DAYS];
  const from = addWorkingDays(dispatchDate, first, calendar);
  const to = addWorkingDays(dispatchDate, last, calendar);
  return { from: from.date, to: to.date, beyondCalendar: from.beyondCalendar || to.beyondCalendar };
}
