import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { logger } from "~/lib/logger.server";
import { loadWorkingDayCalendar, parseWorkingDayCalendar, WorkingDayCalendarError } from "./working-day-calendar.server";
import { isWorkingDay } from "./working-days";

const calendar2026 = {
  source: "test",
  firstDate: "2026-01-01",
  lastDate: "2026-12-31",
  holidays: { "2026-01-01": "開國紀念日", "2026-10-09": "國慶日補假" },
  makeUpWorkdays: {},
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "working-days-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  vi.restoreAllMocks();
});

let fileCount = 0;
let clock = Date.UTC(2026, 0, 1) / 1000;
/** Writes `content` with a modification time later than any before: a change the loader must notice. */
async function write(file: string, content: unknown) {
  await writeFile(file, typeof content === "string" ? content : JSON.stringify(content));
  clock += 60;
  await utimes(file, clock, clock);
}
const newFile = () => path.join(dir, `calendar-${++fileCount}.json`);

describe("parseWorkingDayCalendar", () => {
  it("turns the file into a map of holidays and a set of make-up workdays", () => {
    const calendar = parseWorkingDayCalendar({ ...calendar2026, makeUpWorkdays: { "2026-03-21": "補行上班" } });
    expect(calendar.holidays.get("2026-10-09")).toBe("國慶日補假");
    expect([...calendar.makeUpWorkdays]).toEqual(["2026-03-21"]);
  });

  it("names every problem at once", () => {
    let error: unknown;
    try {
      parseWorkingDayCalendar({
        firstDate: "2026-01-01",
        lastDate: "2026-12-31",
        holidays: { "2026-02-30": "不存在", "2026-10-10": "國慶日", "2027-01-01": "開國紀念日", "2026-05-01": "" },
        makeUpWorkdays: { "2026-03-20": "補行上班", "2026-10-10": "補行上班" },
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(WorkingDayCalendarError);
    expect((error as WorkingDayCalendarError).problems.sort()).toEqual(
      [
        "source: Invalid input: expected string, received undefined",
        "holidays.2026-05-01: needs a name",
        "holidays.2026-02-30: must be a date written YYYY-MM-DD",
        "holidays.2026-10-10: is a Saturday or Sunday; list the weekday it is taken on (補假)",
        "holidays.2027-01-01: is outside 2026-01-01…2026-12-31",
        "makeUpWorkdays.2026-03-20: is not a Saturday (補班 days are Saturdays)",
        "makeUpWorkdays.2026-10-10: is also listed as a holiday",
      ].sort(),
    );
  });

  it("refuses a range that ends before it starts", () => {
    expect(() => parseWorkingDayCalendar({ ...calendar2026, firstDate: "2027-01-01", holidays: {} })).toThrow(
      /lastDate: is before firstDate 2027-01-01/,
    );
  });
});

describe("loadWorkingDayCalendar", () => {
  it("reads the repository's data file by default (WORKING_DAY_CALENDAR_FILE)", async () => {
    const calendar = await loadWorkingDayCalendar();
    expect(calendar.firstDate).toBe("2026-01-01");
    expect(calendar.holidays.get("2026-02-17")).toBe("春節");
  });

  it("applies an update to the file without a restart", async () => {
    const file = newFile();
    await write(file, calendar2026);
    expect(isWorkingDay("2026-06-19", await loadWorkingDayCalendar(file))).toBe(true);
    await write(file, { ...calendar2026, holidays: { ...calendar2026.holidays, "2026-06-19": "端午節" } });
    const updated = await loadWorkingDayCalendar(file);
    expect(isWorkingDay("2026-06-19", updated)).toBe(false);
    expect(await loadWorkingDayCalendar(file)).toBe(updated);
  });

  it("keeps serving the last good calendar when an update is invalid, and warns once naming the problems", async () => {
    const file = newFile();
    await write(file, calendar2026);
    const good = await loadWorkingDayCalendar(file);
    const warn = vi.spyOn(logger(), "warn");

    await write(file, { ...calendar2026, holidays: { "2026-10-10": "國慶日" } });
    expect(await loadWorkingDayCalendar(file)).toBe(good);
    expect(await loadWorkingDayCalendar(file)).toBe(good);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toEqual({
      file,
      problems: ["holidays.2026-10-10: is a Saturday or Sunday; list the weekday it is taken on (補假)"],
    });

    await write(file, "{ not json");
    expect(await loadWorkingDayCalendar(file)).toBe(good);
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[1]![0]).toMatchObject({ problems: [expect.stringMatching(/^not valid JSON/)] });

    await rm(file);
    expect(await loadWorkingDayCalendar(file)).toBe(good);
    expect(warn.mock.calls[2]![0]).toMatchObject({ problems: ["cannot be read (ENOENT)"] });

    await write(file, { ...calendar2026, holidays: {} });
    const fixed = await loadWorkingDayCalendar(file);
    expect(fixed).not.toBe(good);
    expect(isWorkingDay("2026-10-09", fixed)).toBe(true);
  });

  it("throws, naming the file and the problems, while it has no good calendar yet", async () => {
    const file = newFile();
    await expect(loadWorkingDayCalendar(file)).rejects.toThrow(/cannot be read \(ENOENT\)/);
    await write(file, { ...calendar2026, lastDate: "2026-13-01" });
    await expect(loadWorkingDayCalendar(file)).rejects.toThrow(`${file} is invalid`);
    await expect(loadWorkingDayCalendar(file)).rejects.toThrow(/lastDate: must be a date written YYYY-MM-DD/);
    await write(file, calendar2026);
    expect((await loadWorkingDayCalendar(file)).lastDate).toBe("2026-12-31");
  });
});
