import { describe, expect, it } from "vitest";
import {
  addCalendarMonths,
  addCalendarYears,
  addExactDays,
  assessEligibility,
  extensionWindow,
  finalEnd,
  hasTooManyValidCards,
  mayLogIn,
  mustApplyInPerson,
  reissueWindow,
  serializeAssessment,
  shouldExtendInstead,
  type EligibilityFacts,
  type SigningCertificateFacts,
} from "./rules";

const MS = 1;
const SECOND = 1000;
const at = (iso: string) => new Date(iso);
const plus = (date: Date, ms: number) => new Date(date.getTime() + ms);

// An extended (8-year) card ending 22 Jan 2027 08:00 Taipei: its window opens 60 days earlier, 23 Nov 2026.
const END = at("2027-01-22T00:00:00.000Z");
const OPENS = at("2026-11-23T00:00:00.000Z");
const CLOSES = at("2028-01-22T00:00:00.000Z");

const extended: SigningCertificateFacts = {
  notBefore: at("2019-01-22T00:00:00.000Z"),
  notAfter: END,
  extended: true,
  status: "VALID",
};

function facts(overrides: Partial<EligibilityFacts> & { now: Date }): EligibilityFacts {
  return {
    signingCertificate: extended,
    validCardCount: 1,
    openReissue: null,
    window: { daysBefore: 60, monthsAfter: 12 },
    ...overrides,
  };
}

describe("calendar arithmetic", () => {
  it("adds exact 24-hour days, ignoring the calendar", () => {
    expect(addExactDays(END, -60)).toEqual(OPENS);
    expect(addExactDays(at("2024-03-01T12:34:56.789Z"), -1)).toEqual(at("2024-02-29T12:34:56.789Z"));
  });

  it("lands on the last day of a shorter month (民法 §121 II), keeping the time", () => {
    expect(addCalendarYears(at("2028-02-29T15:59:59.999Z"), 1)).toEqual(at("2029-02-28T15:59:59.999Z"));
    expect(addCalendarYears(at("2028-02-29T06:00:00Z"), 4)).toEqual(at("2032-02-29T06:00:00Z"));
    expect(addCalendarYears(at("2024-02-29T06:00:00Z"), 3)).toEqual(at("2027-02-28T06:00:00Z"));
    expect(addCalendarMonths(at("2027-01-31T10:00:00Z"), 1)).toEqual(at("2027-02-28T10:00:00Z"));
    expect(addCalendarMonths(at("2028-01-31T10:00:00Z"), 1)).toEqual(at("2028-02-29T10:00:00Z"));
    expect(addCalendarMonths(at("2027-03-31T10:00:00Z"), -1)).toEqual(at("2027-02-28T10:00:00Z"));
    expect(addCalendarMonths(at("2027-12-15T10:00:00Z"), 14)).toEqual(at("2029-02-15T10:00:00Z"));
    expect(addCalendarMonths(END, 0)).toEqual(END);
  });
});

describe("finalEnd", () => {
  it("is an extended certificate's own notAfter (the 8-year end)", () => {
    expect(finalEnd(extended)).toEqual({ at: END, basis: "EXTENDED", notAfter: END });
  });

  it("is 3 years after a 5-year certificate's expiry, as the one extension would make it (001: 107/5/1 → 110/5/1)", () => {
    const notAfter = at("2018-04-30T16:00:00Z"); // 107年5月1日 00:00 Taipei
    expect(finalEnd({ notAfter, extended: false })).toEqual({
      at: at("2021-04-30T16:00:00Z"),
      basis: "IF_EXTENDED",
      notAfter,
    });
  });
});

describe("reissueWindow", () => {
  it("matches 002's example: ending 2014/10/01, apply from 2014/08/02", () => {
    const end = at("2014-10-01T00:00:00+08:00");
    expect(reissueWindow({ finalEnd: end, daysBefore: 60, monthsAfter: 0 })).toEqual({
      opensAt: at("2014-08-02T00:00:00+08:00"),
      closesAt: end,
    });
  });

  it("closes a calendar year after the end under the 2024 rule (003)", () => {
    expect(reissueWindow({ finalEnd: END, daysBefore: 60, monthsAfter: 12 })).toEqual({ opensAt: OPENS, closesAt: CLOSES });
  });
});

describe("assessEligibility at the window's bounds", () => {
  const assess = (now: Date, window?: EligibilityFacts["window"]) =>
    assessEligibility(facts({ now, ...(window ? { window } : {}) }));

  it("opens exactly 60 days before the final end", () => {
    expect(assess(OPENS)).toEqual({
      outcome: "ELIGIBLE",
      window: { opensAt: OPENS, closesAt: CLOSES },
      finalEnd: { at: END, basis: "EXTENDED", notAfter: END },
      expired: false,
    });
  });

  it.each([MS, SECOND])("is too early %i ms before that: code 45 with the opening date", (early) => {
    expect(assess(plus(OPENS, -early))).toMatchObject({
      outcome: "REFUSED",
      reason: "TOO_EARLY",
      messageCode: "45",
      windowOpensAt: OPENS,
      finalEnd: { at: END },
    });
  });

  it("gives an extended card no extension date when too early", () => {
    expect(assess(at("2025-01-01T00:00:00Z"))).not.toHaveProperty("extensionOpensAt");
  });

  it("is open, not expired, at the final end itself", () => {
    expect(assess(END)).toMatchObject({ outcome: "ELIGIBLE", expired: false });
  });

  it("is open and expired just after the end", () => {
    expect(assess(plus(END, MS))).toMatchObject({ outcome: "ELIGIBLE", expired: true });
  });

  it("is open 1 year after the end, up to and including that instant", () => {
    expect(assess(plus(CLOSES, -SECOND))).toMatchObject({ outcome: "ELIGIBLE", expired: true });
    expect(assess(CLOSES)).toMatchObject({ outcome: "ELIGIBLE", expired: true });
  });

  it("is closed 1 s (and 1 ms) after that", () => {
    for (const late of [MS, SECOND]) {
      expect(assess(plus(CLOSES, late))).toMatchObject({ outcome: "REFUSED", reason: "WINDOW_CLOSED", finalEnd: { at: END } });
    }
  });

  it("closes at the end itself when monthsAfter is 0 (the older 002 rule)", () => {
    const older = { daysBefore: 60, monthsAfter: 0 };
    expect(assess(END, older)).toMatchObject({ outcome: "ELIGIBLE", window: { closesAt: END } });
    expect(assess(plus(END, MS), older)).toMatchObject({ outcome: "REFUSED", reason: "WINDOW_CLOSED" });
  });

  it("opens daysBefore days before, as configured", () => {
    const shorter = { daysBefore: 30, monthsAfter: 12 };
    const opens = addExactDays(END, -30);
    expect(assess(opens, shorter)).toMatchObject({ outcome: "ELIGIBLE" });
    expect(assess(plus(opens, -MS), shorter)).toMatchObject({ reason: "TOO_EARLY", windowOpensAt: opens });
  });

  it("treats status EXPIRED inside the window like VALID past notAfter", () => {
    const expiredRow = { ...extended, status: "EXPIRED" as const };
    const now = addCalendarMonths(END, 3);
    expect(assessEligibility(facts({ now, signingCertificate: expiredRow }))).toMatchObject({ outcome: "ELIGIBLE", expired: true });
    expect(assessEligibility(facts({ now: END, signingCertificate: expiredRow }))).toMatchObject({ expired: true });
  });
});

describe("shouldExtendInstead: a 5-year certificate inside its extension window (001)", () => {
  const fiveYearEnd = at("2026-06-30T16:00:00Z");
  const fiveYear: SigningCertificateFacts = {
    notBefore: at("2021-06-30T16:00:00Z"),
    notAfter: fiveYearEnd,
    extended: false,
    status: "VALID",
  };
  const extensionOpens = addExactDays(fiveYearEnd, -60);
  const extensionCloses = addCalendarYears(fiveYearEnd, 3); // = the 8-year point
  const assess = (now: Date) => assessEligibility(facts({ now, signingCertificate: fiveYear }));

  it("has an extension window from 60 days before to 3 years after the expiry; none once extended", () => {
    expect(extensionWindow(fiveYear)).toEqual({ opensAt: extensionOpens, closesAt: extensionCloses });
    expect(extensionWindow(extended)).toBeNull();
    expect(shouldExtendInstead({ signingCertificate: extended, now: END })).toBe(false);
  });

  it("refuses with the extension advice from its first to its last instant", () => {
    for (const now of [extensionOpens, fiveYearEnd, addCalendarYears(fiveYearEnd, 1), extensionCloses]) {
      expect(assess(now)).toMatchObject({
        outcome: "REFUSED",
        reason: "EXTEND_INSTEAD",
        extensionWindow: { opensAt: extensionOpens, closesAt: extensionCloses },
        finalEnd: { at: extensionCloses, basis: "IF_EXTENDED", notAfter: fiveYearEnd },
      });
    }
    expect(assess(fiveYearEnd)).toMatchObject({ expired: false });
    expect(assess(plus(fiveYearEnd, MS))).toMatchObject({ expired: true });
  });

  it("before the extension window: code 45, naming when the extension opens", () => {
    expect(assess(plus(extensionOpens, -MS))).toMatchObject({
      reason: "TOO_EARLY",
      messageCode: "45",
      windowOpensAt: addExactDays(extensionCloses, -60),
      extensionOpensAt: extensionOpens,
    });
  });

  it("after the extension window it goes in person: it was not valid up to its 8-year point (003)", () => {
    expect(assess(plus(extensionCloses, MS))).toMatchObject({ outcome: "REFUSED", reason: "WINDOW_CLOSED" });
    expect(assess(plus(addCalendarYears(extensionCloses, 1), MS))).toMatchObject({ reason: "WINDOW_CLOSED" });
  });
});

describe("precedence", () => {
  const inWindow = plus(OPENS, SECOND);
  const order = { orderId: "0190aaaa-0000-7000-8000-000000000001", orderNumber: "R2026112300001" };

  it.each(["REVOKED", "SUSPENDED"] as const)("%s comes first, whatever else holds, and sends the holder in person", (status) => {
    const result = assessEligibility(
      facts({ now: inWindow, signingCertificate: { ...extended, status }, validCardCount: 2, openReissue: order }),
    );
    expect(result).toMatchObject({ outcome: "REFUSED", reason: status });
    expect(mustApplyInPerson(status)).toBe(true);
  });

  it("shows an open order rather than refusing for two valid cards", () => {
    expect(assessEligibility(facts({ now: inWindow, validCardCount: 2, openReissue: order }))).toEqual({
      outcome: "ALREADY_APPLIED",
      ...order,
    });
  });

  it("shows an open order even outside the window (the holder still needs its progress)", () => {
    expect(assessEligibility(facts({ now: plus(CLOSES, SECOND), openReissue: order }))).toMatchObject({ outcome: "ALREADY_APPLIED" });
  });

  it("refuses a second reissue when the ID has 2 valid cards (002 錯誤訊息一)", () => {
    expect(hasTooManyValidCards({ validCardCount: 1 })).toBe(false);
    expect(hasTooManyValidCards({ validCardCount: 2 })).toBe(true);
    expect(assessEligibility(facts({ now: inWindow, validCardCount: 2 }))).toMatchObject({ reason: "TOO_MANY_VALID_CARDS" });
    expect(assessEligibility(facts({ now: inWindow, validCardCount: 0 }))).toMatchObject({ outcome: "ELIGIBLE" });
    expect(mustApplyInPerson("TOO_MANY_VALID_CARDS")).toBe(false);
  });

  it("checks two valid cards before the extension advice", () => {
    const fiveYear = { ...extended, extended: false };
    expect(assessEligibility(facts({ now: END, signingCertificate: fiveYear, validCardCount: 2 }))).toMatchObject({
      reason: "TOO_MANY_VALID_CARDS",
    });
  });

  it("asks a new card awaiting activation to be activated, unless its order is still open", () => {
    const newCard = { ...extended, status: "AWAITING_ACTIVATION" as const };
    expect(assessEligibility(facts({ now: inWindow, signingCertificate: newCard }))).toMatchObject({ reason: "AWAITING_ACTIVATION" });
    expect(assessEligibility(facts({ now: inWindow, signingCertificate: newCard, openReissue: order }))).toMatchObject({
      outcome: "ALREADY_APPLIED",
    });
  });

  it("sends only revoked, suspended and closed-window cards in person", () => {
    expect(mustApplyInPerson("WINDOW_CLOSED")).toBe(true);
    for (const reason of ["EXTEND_INSTEAD", "TOO_EARLY", "AWAITING_ACTIVATION"] as const) expect(mustApplyInPerson(reason)).toBe(false);
  });
});

describe("mayLogIn", () => {
  const login = (now: Date, certificate: Partial<SigningCertificateFacts> = {}, monthsAfter = 12) =>
    mayLogIn({ now, signingCertificate: { ...extended, ...certificate }, window: { daysBefore: 60, monthsAfter } });

  it("lets a card in date log in fully, up to and including its notAfter", () => {
    expect(login(at("2024-01-01T00:00:00Z"))).toEqual({ allowed: true, scope: "full" });
    expect(login(END)).toEqual({ allowed: true, scope: "full" });
  });

  it("lets an expired card inside the window in for the reissue flow only", () => {
    expect(login(plus(END, MS))).toEqual({ allowed: true, scope: "reissue-only" });
    expect(login(plus(CLOSES, -SECOND))).toEqual({ allowed: true, scope: "reissue-only" });
    expect(login(CLOSES, { status: "EXPIRED" })).toEqual({ allowed: true, scope: "reissue-only" });
  });

  it("treats status EXPIRED as expired, even at its notAfter", () => {
    expect(login(END, { status: "EXPIRED" })).toEqual({ allowed: true, scope: "reissue-only" });
  });

  it("refuses an expired card past the window", () => {
    expect(login(plus(CLOSES, SECOND))).toEqual({ allowed: false, reason: "WINDOW_CLOSED" });
    expect(login(plus(END, MS), {}, 0)).toEqual({ allowed: false, reason: "WINDOW_CLOSED" });
  });

  it("refuses revoked, suspended, not-yet-activated and not-yet-valid certificates", () => {
    expect(login(OPENS, { status: "REVOKED" })).toEqual({ allowed: false, reason: "REVOKED" });
    expect(login(OPENS, { status: "SUSPENDED" })).toEqual({ allowed: false, reason: "SUSPENDED" });
    expect(login(OPENS, { status: "AWAITING_ACTIVATION" })).toEqual({ allowed: false, reason: "AWAITING_ACTIVATION" });
    expect(login(plus(extended.notBefore, -MS))).toEqual({ allowed: false, reason: "NOT_YET_VALID" });
  });

  it("refuses an expired 5-year card in its extension window, naming the extension", () => {
    const fiveYear = { notAfter: END, extended: false };
    expect(login(plus(END, MS), fiveYear)).toEqual({ allowed: false, reason: "EXTEND_INSTEAD" });
    // Even where a reissue window around its 8-year point would have opened: extending is still possible, and the
    // expired certificate was not valid up to that point (003).
    expect(login(addExactDays(addCalendarYears(END, 3), -60), fiveYear)).toEqual({ allowed: false, reason: "EXTEND_INSTEAD" });
  });
});

describe("serializeAssessment", () => {
  it("turns every date into an ISO string", () => {
    const serialized = serializeAssessment(assessEligibility(facts({ now: plus(OPENS, -SECOND) })));
    expect(serialized).toMatchObject({
      reason: "TOO_EARLY",
      windowOpensAt: OPENS.toISOString(),
      finalEnd: { at: END.toISOString(), basis: "EXTENDED" },
      window: { opensAt: OPENS.toISOString(), closesAt: CLOSES.toISOString() },
    });
  });
});

describe("a 5-year certificate that expired without its extension (003: valid up to its end)", () => {
  // Expired 2022-01-22; its extension window closed 2025-01-22, the 8-year point — the reissue window would span
  // 2024-11-23 … 2026-01-22 if it counted, and it must not.
  const lapsed: SigningCertificateFacts = {
    notBefore: at("2017-01-22T00:00:00.000Z"), notAfter: at("2022-01-22T00:00:00.000Z"), extended: false, status: "EXPIRED",
  };
  const eightYearPoint = at("2025-01-22T00:00:00.000Z");

  it("is told to extend while it still can, up to the 8-year point itself", () => {
    expect(assessEligibility(facts({ signingCertificate: lapsed, now: eightYearPoint }))).toMatchObject({ reason: "EXTEND_INSTEAD" });
    expect(mayLogIn({ signingCertificate: lapsed, now: eightYearPoint, window: { daysBefore: 60, monthsAfter: 12 } })).toEqual({
      allowed: false, reason: "EXTEND_INSTEAD",
    });
  });

  it("is never eligible for online reissue afterwards, even inside what would be its reissue window", () => {
    for (const now of [plus(eightYearPoint, SECOND), at("2025-06-01T00:00:00.000Z"), at("2026-01-21T00:00:00.000Z")]) {
      expect(assessEligibility(facts({ signingCertificate: lapsed, now }))).toMatchObject({ outcome: "REFUSED", reason: "WINDOW_CLOSED" });
      expect(mayLogIn({ signingCertificate: lapsed, now, window: { daysBefore: 60, monthsAfter: 12 } })).toEqual({
        allowed: false, reason: "WINDOW_CLOSED",
      });
    }
  });
});
