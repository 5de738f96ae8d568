import { describe, expect, it } from "vitest";
import {
  addDays, daysInRange, formatTaipeiDate, formatTaipeiDateTime, formatTaipeiStamp, isCalendarDate, taipeiDay,
  taipeiDayStart, taipeiIsoTime,
} from "~/lib/taipei-time";

describe("Taipei time", () => {
  it("puts an instant on the Taipei day it falls on, including the 16:00 UTC boundary", () => {
    expect(taipeiDay(new Date("2026-11-23T15:59:59.999Z"))).toBe("2026-11-23");
    expect(taipeiDay(new Date("2026-11-23T16:00:00Z"))).toBe("2026-11-24");
    expect(() => taipeiDay(new Date("nonsense"))).toThrow(RangeError);
  });

  it("starts a Taipei day at 00:00+08:00 and refuses days that do not exist", () => {
    expect(taipeiDayStart("2026-11-24").toISOString()).toBe("2026-11-23T16:00:00.000Z");
    expect(() => taipeiDayStart("2026-02-30")).toThrow(RangeError);
    expect(isCalendarDate("2028-02-29")).toBe(true);
    expect(isCalendarDate("2026-02-29")).toBe(false);
  });

  it("counts calendar days across month and year ends", () => {
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(daysInRange("2026-11-30", "2026-12-02")).toBe(3);
    expect(taipeiIsoTime(new Date("2026-11-22T16:30:00Z"))).toBe("2026-11-23T00:30:00+08:00");
  });

  it("shows one event the same way in both languages, in Taiwan's time", () => {
    const at = "2026-11-23T06:05:09Z";
    expect(formatTaipeiDate("zh-TW", at)).toBe("2026年11月23日");
    expect(formatTaipeiDate("en", at)).toBe("23 November 2026");
    expect(formatTaipeiDateTime("zh-TW", at)).toBe("2026年11月23日 14:05");
    expect(formatTaipeiDateTime("en", new Date(at), "seconds")).toBe("23 November 2026 at 14:05:09");
    expect(formatTaipeiStamp(at)).toBe("2026-11-23 14:05:09");
    expect(formatTaipeiStamp(at, "minutes")).toBe("2026-11-23 14:05");
  });
});
