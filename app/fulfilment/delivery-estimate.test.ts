import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { estimateDelivery } from "./delivery-estimate";
import { isOutlyingIslandPostcode } from "./outlying-islands";
import { parseWorkingDayCalendar } from "./working-day-calendar.server";
import type { WorkingDayCalendar } from "./working-days";

const taiwan = parseWorkingDayCalendar(JSON.parse(readFileSync(new URL("../../data/taiwan-working-days.json", import.meta.url), "utf8")));

/** A Taipei wall-clock time as the instant it is. */
const taipei = (local: string) => new Date(`${local}+08:00`);
const mainIsland = (at: string, calendar = taiwan) => estimateDelivery({ from: taipei(at), outlyingIsland: false }, calendar);

describe("estimateDelivery (002: about 7 working days on the main island, 2–3 more to outlying islands)", () => {
  it("counts from the day after dispatch and skips the weekend: Friday → the Tuesday a week and a half later", () => {
    // Mon 3/9 … Fri 3/13 are days 1–5, Mon 3/16 day 6, Tue 3/17 day 7.
    expect(mainIsland("2026-03-06T10:00")).toEqual({ from: "2026-03-17", to: "2026-03-17", beyondCalendar: false });
    expect(mainIsland("2026-03-09T10:00")).toEqual({ from: "2026-03-18", to: "2026-03-18", beyondCalendar: false });
  });

  it("skips the 2026 Lunar New Year days off and the 228 make-up Friday", () => {
    // 2/16–2/20 off, so Mon 2/23 is day 1; Fri 2/27 (228 on a Saturday) is off too.
    expect(mainIsland("2026-02-13T16:00")).toEqual({ from: "2026-03-04", to: "2026-03-04", beyondCalendar: false });
  });

  it("skips 國慶日補假 (Friday 2026-10-09)", () => {
    expect(mainIsland("2026-10-08T09:00").from).toBe("2026-10-20");
    expect(mainIsland("2026-10-08T09:00", { ...taiwan, holidays: new Map() }).from).toBe("2026-10-19");
  });

  it("counts a make-up Saturday (補班) as a working day", () => {
    const bridged: WorkingDayCalendar = {
      firstDate: "2026-03-01",
      lastDate: "2026-03-31",
      holidays: new Map([["2026-03-13", "調整放假"]]),
      makeUpWorkdays: new Set(["2026-03-21"]),
    };
    // Fri 3/20 day 1, Sat 3/21 day 2, Mon 3/23 … Fri 3/27 days 3–7.
    expect(mainIsland("2026-03-19T09:00", bridged).from).toBe("2026-03-27");
    expect(mainIsland("2026-03-19T09:00", { ...bridged, makeUpWorkdays: new Set() }).from).toBe("2026-03-30");
  });

  it("gives outlying-island postcodes the 9th to the 10th working day", () => {
    for (const postcode of ["880", "209", "951", "89142"]) {
      const outlyingIsland = isOutlyingIslandPostcode(postcode);
      expect(estimateDelivery({ from: taipei("2026-03-06T10:00"), outlyingIsland }, taiwan)).toEqual({
        from: "2026-03-19",
        to: "2026-03-20",
        beyondCalendar: false,
      });
    }
    const taipeiCity = isOutlyingIslandPostcode("100");
    expect(estimateDelivery({ from: taipei("2026-03-06T10:00"), outlyingIsland: taipeiCity }, taiwan).to).toBe("2026-03-17");
  });

  it("spreads an outlying-island range over a holiday: 10/9 and the weekend fall between", () => {
    // Tue 9/29 … Thu 10/8 are days 1–8, Fri 10/9 off, Mon 10/12 day 9, Tue 10/13 day 10.
    expect(estimateDelivery({ from: taipei("2026-09-28T12:00"), outlyingIsland: true }, taiwan)).toEqual({
      from: "2026-10-12",
      to: "2026-10-13",
      beyondCalendar: false,
    });
  });

  it("takes the Taipei date of dispatch, not the UTC one", () => {
    // Friday 00:30 in Taipei is still Thursday in UTC: counted from Friday.
    expect(estimateDelivery({ from: new Date("2026-03-05T16:30:00Z"), outlyingIsland: false }, taiwan).from).toBe("2026-03-17");
    // Thursday 23:30 in Taipei: counted from Thursday.
    expect(estimateDelivery({ from: new Date("2026-03-05T15:30:00Z"), outlyingIsland: false }, taiwan).from).toBe("2026-03-16");
  });

  it("says when the count ran past the calendar's data", () => {
    // 行憲紀念日補假 Fri 2027-12-24 is skipped; the main island stays inside 2027.
    expect(mainIsland("2027-12-20T09:00")).toEqual({ from: "2027-12-30", to: "2027-12-30", beyondCalendar: false });
    expect(estimateDelivery({ from: taipei("2027-12-20T09:00"), outlyingIsland: true }, taiwan)).toEqual({
      from: "2028-01-03",
      to: "2028-01-04",
      beyondCalendar: true,
    });
    expect(mainIsland("2027-12-28T09:00")).toEqual({ from: "2028-01-06", to: "2028-01-06", beyondCalendar: true });
  });
});
