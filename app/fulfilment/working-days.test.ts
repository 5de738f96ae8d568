import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseWorkingDayCalendar } from "./working-day-calendar.server";
import { addWorkingDays, dayOfWeek, isWorkingDay, taipeiDate, type WorkingDayCalendar } from "./working-days";

const dataFile = JSON.parse(readFileSync(new URL("../../data/taiwan-working-days.json", import.meta.url), "utf8")) as {
  source: string;
  firstDate: string;
  lastDate: string;
  holidays: Record<string, string>;
  makeUpWorkdays: Record<string, string>;
};
const taiwan = parseWorkingDayCalendar(dataFile);

/** A made-up calendar with an old-style bridge: Friday 2026-03-13 off, worked back on Saturday 2026-03-21. */
const bridged: WorkingDayCalendar = {
  firstDate: "2026-03-01",
  lastDate: "2026-03-31",
  holidays: new Map([["2026-03-13", "調整放假"]]),
  makeUpWorkdays: new Set(["2026-03-21"]),
};

describe("the Taiwan working-day data file", () => {
  const holidays = Object.keys(dataFile.holidays);
  const makeUps = Object.keys(dataFile.makeUpWorkdays);

  it("covers 2026 and 2027 and says where its dates come from, 2027 as provisional", () => {
    expect([dataFile.firstDate, dataFile.lastDate]).toEqual(["2026-01-01", "2027-12-31"]);
    expect(dataFile.source).toContain("行政院人事行政總處");
    expect(dataFile.source).toMatch(/2027: PROVISIONAL/);
  });

  it("lists weekdays only as holidays, Saturdays only as make-up workdays, sorted and inside the range", () => {
    for (const date of holidays) expect([date, dayOfWeek(date)]).not.toEqual([date, 0]);
    for (const date of holidays) expect([date, dayOfWeek(date)]).not.toEqual([date, 6]);
    for (const date of makeUps) expect([date, dayOfWeek(date)]).toEqual([date, 6]);
    expect(holidays).toEqual([...holidays].sort());
    expect(makeUps).toEqual([...makeUps].sort());
    for (const date of [...holidays, ...makeUps]) {
      expect(date >= dataFile.firstDate && date <= dataFile.lastDate, date).toBe(true);
    }
  });

  it("has DGPA's 2026 weekdays off (紀念日及節日實施條例: no bridge days, no make-up workdays)", () => {
    expect(holidays.filter((d) => d.startsWith("2026-"))).toEqual([
      "2026-01-01",
      "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19", "2026-02-20", // 除夕–初三, 小年夜 (Sun 2/15) → Fri
      "2026-02-27", // 228 on a Saturday
      "2026-04-03", "2026-04-06", // 兒童節 Sat, 清明 Sun
      "2026-05-01", "2026-06-19", "2026-09-25", "2026-09-28",
      "2026-10-09", // 國慶 on a Saturday
      "2026-10-26", // 光復節 on a Sunday
      "2026-12-25",
    ]);
    expect(makeUps).toEqual([]);
  });

  it("moves 2027's weekend holidays: Saturday to the Friday before, Sunday to the Monday after, 春節 to the days after", () => {
    expect(holidays.filter((d) => d.startsWith("2027-"))).toEqual([
      "2027-01-01",
      "2027-02-04", "2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10", // 初一 Sat 2/6, 初二 Sun → Tue, Wed
      "2027-03-01", // 228 on a Sunday
      "2027-04-05", "2027-04-06", // 清明 Mon; 兒童節 Sun 4/4 → the next working day
      "2027-04-30", // 勞動節 on a Saturday
      "2027-06-09", "2027-09-15", "2027-09-28",
      "2027-10-11", // 國慶 on a Sunday
      "2027-10-25",
      "2027-12-24", // 行憲紀念日 on a Saturday
    ]);
  });
});

describe("taipeiDate", () => {
  it("is the date in Taiwan (UTC+8), which is the next day from 16:00 UTC", () => {
    expect(taipeiDate(new Date("2026-03-05T15:59:59.999Z"))).toBe("2026-03-05");
    expect(taipeiDate(new Date("2026-03-05T16:00:00Z"))).toBe("2026-03-06");
    expect(taipeiDate(new Date("2026-12-31T16:30:00Z"))).toBe("2027-01-01");
  });
});

describe("isWorkingDay", () => {
  it("counts Monday to Friday, not weekends or the calendar's holidays", () => {
    expect(isWorkingDay("2026-03-06", taiwan)).toBe(true); // Friday
    expect(isWorkingDay("2026-03-07", taiwan)).toBe(false); // Saturday
    expect(isWorkingDay("2026-03-08", taiwan)).toBe(false); // Sunday
    expect(isWorkingDay("2026-10-09", taiwan)).toBe(false); // 國慶日補假
    expect(isWorkingDay("2026-10-10", taiwan)).toBe(false); // 國慶 itself, a Saturday
  });

  it("counts a make-up Saturday (補班) as a working day", () => {
    expect(isWorkingDay("2026-03-21", bridged)).toBe(true);
    expect(isWorkingDay("2026-03-13", bridged)).toBe(false);
    expect(isWorkingDay("2026-03-21", taiwan)).toBe(false);
  });

  it("knows only weekends outside the calendar's range", () => {
    const outside: WorkingDayCalendar = { ...bridged, firstDate: "2026-04-01", lastDate: "2026-04-30" };
    expect(isWorkingDay("2026-03-13", outside)).toBe(true);
    expect(isWorkingDay("2026-03-21", outside)).toBe(false);
  });
});

describe("addWorkingDays", () => {
  it("starts counting the day after: Friday + 1 is Monday", () => {
    expect(addWorkingDays("2026-03-06", 1, taiwan)).toEqual({ date: "2026-03-09", beyondCalendar: false });
    expect(addWorkingDays("2026-03-06", 0, taiwan)).toEqual({ date: "2026-03-06", beyondCalendar: false });
  });

  it("skips holidays and counts make-up Saturdays", () => {
    expect(addWorkingDays("2026-02-13", 1, taiwan).date).toBe("2026-02-23");
    expect(addWorkingDays("2026-03-12", 2, bridged).date).toBe("2026-03-17");
    expect(addWorkingDays("2026-03-20", 1, bridged).date).toBe("2026-03-21");
  });

  it("says when it counted past the calendar's last date", () => {
    expect(addWorkingDays("2027-12-30", 1, taiwan)).toEqual({ date: "2027-12-31", beyondCalendar: false });
    expect(addWorkingDays("2027-12-30", 2, taiwan)).toEqual({ date: "2028-01-03", beyondCalendar: true });
    expect(addWorkingDays("2025-12-31", 1, taiwan)).toEqual({ date: "2026-01-02", beyondCalendar: false });
    expect(addWorkingDays("2025-12-29", 1, taiwan)).toEqual({ date: "2025-12-30", beyondCalendar: true });
  });

  it("refuses dates that do not exist and negative or fractional counts", () => {
    expect(() => addWorkingDays("2026-02-30", 1, taiwan)).toThrow(RangeError);
    expect(() => addWorkingDays("2026-3-1", 1, taiwan)).toThrow(RangeError);
    expect(() => addWorkingDays("2026-03-02", -1, taiwan)).toThrow(RangeError);
    expect(() => addWorkingDays("2026-03-02", 1.5, taiwan)).toThrow(RangeError);
  });
});
