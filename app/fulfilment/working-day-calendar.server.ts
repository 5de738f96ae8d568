// The Taiwan working-day calendar from its data file (docs/working-day-calendar.md), so operators add next year's
// DGPA holidays without a release. The file is checked for a change on every load (one stat) and read again when
// its modification time or size changed: an update applies without a restart. A broken update never takes the
// estimate down — the last good calendar keeps serving and a warning names every problem.
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { z } from "zod";
import { env } from "~/lib/env.server";
import { logger } from "~/lib/logger.server";
import { dayOfWeek, isCalendarDate, isWeekend, type WorkingDayCalendar } from "./working-days";

export class WorkingDayCalendarError extends Error {
  constructor(
    readonly problems: string[],
    readonly file?: string,
  ) {
    super(`Working-day calendar${file ? ` ${file}` : ""} is invalid:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "WorkingDayCalendarError";
  }
}

const calendarDate = z.string().refine(isCalendarDate, { error: "must be a date written YYYY-MM-DD" });
const dayName = z.string().trim().min(1, { error: "needs a name" }).max(100);
const dates = z.record(z.string(), dayName);

type CalendarFile = z.infer<typeof calendarFileShape>;
const calendarFileShape = z.object({
  source: z.string().trim().min(1, { error: "say where the dates come from (e.g. the DGPA table of the year)" }),
  firstDate: calendarDate,
  lastDate: calendarDate,
  holidays: dates,
  makeUpWorkdays: dates,
});

/** The checks across fields. Run even when the shape has problems too (`when`), so one pass names them all. */
function checkDates(file: Partial<Record<keyof CalendarFile, unknown>>, problem: (path: string[], message: string) => void) {
  const first = typeof file.firstDate === "string" && isCalendarDate(file.firstDate) ? file.firstDate : undefined;
  const last = typeof file.lastDate === "string" && isCalendarDate(file.lastDate) ? file.lastDate : undefined;
  if (first && last && last < first) problem(["lastDate"], `is before firstDate ${first}`);
  const listed = (field: "holidays" | "makeUpWorkdays") =>
    file[field] && typeof file[field] === "object" ? Object.keys(file[field]) : [];
  const holidays = new Set(listed("holidays"));
  const check = (field: "holidays" | "makeUpWorkdays", date: string) => {
    if (!isCalendarDate(date)) return problem([field, date], "must be a date written YYYY-MM-DD");
    if (first && last && (date < first || date > last)) problem([field, date], `is outside ${first}…${last}`);
    if (field === "holidays") {
      // Only weekdays off matter: a holiday on a weekend is taken on a weekday (補假), and that date belongs here.
      if (isWeekend(date)) problem([field, date], "is a Saturday or Sunday; list the weekday it is taken on (補假)");
    } else {
      if (dayOfWeek(date) !== 6) problem([field, date], "is not a Saturday (補班 days are Saturdays)");
      if (holidays.has(date)) problem([field, date], "is also listed as a holiday");
    }
  };
  for (const date of holidays) check("holidays", date);
  for (const date of listed("makeUpWorkdays")) check("makeUpWorkdays", date);
}

const calendarFileSchema = calendarFileShape.check(
  z.superRefine((file, ctx) => checkDates(file, (path, message) => ctx.addIssue({ code: "custom", path, message })), {
    when: (payload) => typeof payload.value === "object" && payload.value !== null,
  }),
);

/** Checks a parsed calendar file; throws WorkingDayCalendarError naming every problem found. */
export function parseWorkingDayCalendar(json: unknown): WorkingDayCalendar {
  const result = calendarFileSchema.safeParse(json);
  if (!result.success) {
    throw new WorkingDayCalendarError(
      result.error.issues.map((issue) => `${issue.path.map(String).join(".") || "(file)"}: ${issue.message}`),
    );
  }
  const file = result.data;
  return {
    firstDate: file.firstDate,
    lastDate: file.lastDate,
    holidays: new Map(Object.entries(file.holidays).sort(([a], [b]) => (a < b ? -1 : 1))),
    makeUpWorkdays: new Set(Object.keys(file.makeUpWorkdays).sort()),
  };
}

interface Loaded {
  /** mtime and size of the file as last read, good or bad: an unchanged file is not read or reported again. */
  version: string;
  good?: WorkingDayCalendar;
  problems?: string[];
}

const loaded = new Map<string, Loaded>();

const readError = (error: unknown) => `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`;

async function fileVersion(path: string): Promise<{ version: string; problem?: string }> {
  try {
    const info = await stat(path);
    return { version: `${info.mtimeMs}:${info.size}` };
  } catch (error) {
    const problem = readError(error);
    return { version: problem, problem };
  }
}

async function readCalendarFile(path: string): Promise<WorkingDayCalendar> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new WorkingDayCalendarError([error instanceof SyntaxError ? `not valid JSON (${error.message})` : readError(error)], path);
  }
  try {
    return parseWorkingDayCalendar(json);
  } catch (error) {
    if (error instanceof WorkingDayCalendarError) throw new WorkingDayCalendarError(error.problems, path);
    throw error;
  }
}

/**
 * The working-day calendar in `file` (default WORKING_DAY_CALENDAR_FILE, relative to the working directory — the
 * repository root). Throws WorkingDayCalendarError only while no good version of the file has been read yet.
 */
export async function loadWorkingDayCalendar(file: string = env().WORKING_DAY_CALENDAR_FILE): Promise<WorkingDayCalendar> {
  const path = resolve(file);
  const previous = loaded.get(path);
  const { version, problem } = await fileVersion(path);
  if (previous?.version === version) {
    if (previous.good) return previous.good;
    throw new WorkingDayCalendarError(previous.problems ?? [], path);
  }
  let calendar: WorkingDayCalendar;
  try {
    if (problem) throw new WorkingDayCalendarError([problem], path);
    calendar = await readCalendarFile(path);
  } catch (error) {
    if (!(error instanceof WorkingDayCalendarError)) throw error;
    loaded.set(path, { version, good: previous?.good, problems: error.problems });
    if (!previous?.good) throw error;
    logger().warn({ file: path, problems: error.problems }, "working-day calendar file is invalid; still using the last good version");
    return previous.good;
  }
  loaded.set(path, { version, good: calendar });
  if (previous) logger().info({ file: path, firstDate: calendar.firstDate, lastDate: calendar.lastDate }, "working-day calendar reloaded");
  return calendar;
}
