// Who may reissue a card online (線上續卡), and when. Client-safe: plain facts in, plain answers out — no
// database, no environment. Seeds: 001 (extension 展期), 002 (2014 Q&A), 003 (2024 form).
//
// Time, decided once for every rule below:
// - Instants are UTC `Date`s. "Days" are exact 24-hour durations: 001 says the window is "並非憑證到期日往回推算
//   二個月" and "以系統日期及時間為主" — the clock, not the calendar.
// - "Months" and "years" are UTC calendar steps that keep the time of day; when the target month is shorter the
//   step lands on its last day (民法 §121 II: 無相當日者，以其月之末日為期間之末日). So 29 Feb 2028 + 1 year =
//   28 Feb 2029 at the same time, and 31 Jan + 1 month = the last day of February.
// - Every window is closed: open from `opensAt` through `closesAt`, both instants included (002: "2014/08/02 起至
//   2014/10/01 止"). A certificate is valid through its notAfter inclusive (RFC 5280 §4.1.2.5), so it is expired
//   only after that instant — or once the database says EXPIRED.
import type { CertificateStatus } from "~/generated/prisma/enums";

const DAY_MS = 24 * 60 * 60 * 1000;

/** 001: one free extension (展期) adds 3 years counted from the 5-year expiry, for 8 years at most. */
export const EXTENSION_YEARS = 3;
/** 001: "申請期間：憑證到期前60天至有效期限屆滿後3年內". */
export const EXTENSION_OPENS_DAYS_BEFORE = 60;
export const EXTENSION_CLOSES_YEARS_AFTER = 3;
/** 002 錯誤訊息一: "已有二張有效憑證不能再申請線上續卡". */
export const MAX_VALID_CARDS = 2;
/** 002 錯誤訊息二: "此卡號無法作線上申辦新憑證。訊息代碼：45". */
export const TOO_EARLY_MESSAGE_CODE = "45";

export interface SigningCertificateFacts {
  notBefore: Date;
  notAfter: Date;
  /** 001: already extended once (its notAfter is the 8-year end). */
  extended: boolean;
  status: CertificateStatus;
}

export interface WindowSettings {
  /** Days before the final end the window opens (003/002: 60). */
  daysBefore: number;
  /** Calendar months after the final end the window closes (003: 12; 0 = the older 002 rule). */
  monthsAfter: number;
}

/** Plain facts about the card the holder logged in with. */
export interface EligibilityFacts {
  signingCertificate: SigningCertificateFacts;
  /** Cards of this holder (this one included) whose signing certificate is valid now. */
  validCardCount: number;
  /** The holder's open reissue order, if any. */
  openReissue: { orderId: string; orderNumber: string } | null;
  now: Date;
  window: WindowSettings;
}

export type LoginFacts = Pick<EligibilityFacts, "signingCertificate" | "now" | "window">;

export interface TimeWindow {
  opensAt: Date;
  closesAt: Date;
}

export interface FinalEnd {
  /** The 8-year end. */
  at: Date;
  /** EXTENDED: the certificate's own notAfter. IF_EXTENDED: where the one free extension would put it. */
  basis: "EXTENDED" | "IF_EXTENDED";
  /** The certificate's notAfter as it stands (the 5-year end unless extended). */
  notAfter: Date;
}

export function addExactDays(at: Date, days: number): Date {
  return new Date(at.getTime() + days * DAY_MS);
}

export function addCalendarMonths(at: Date, months: number): Date {
  const monthIndex = at.getUTCFullYear() * 12 + at.getUTCMonth() + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const result = new Date(at.getTime());
  result.setUTCFullYear(year, month, Math.min(at.getUTCDate(), daysInMonth(year, month)));
  return result;
}

export function addCalendarYears(at: Date, years: number): Date {
  return addCalendarMonths(at, years * 12);
}

function daysInMonth(year: number, month: number): number {
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month]!;
}

export function isWithin(window: TimeWindow, now: Date): boolean {
  return window.opensAt.getTime() <= now.getTime() && now.getTime() <= window.closesAt.getTime();
}

/**
 * 001/003: the card's final end is 8 years at most, extension included. An extended certificate's notAfter is that
 * end; for a 5-year certificate it is where the one free extension (3 years from its expiry) would put it.
 */
export function finalEnd(certificate: Pick<SigningCertificateFacts, "notAfter" | "extended">): FinalEnd {
  const { notAfter, extended } = certificate;
  return extended
    ? { at: notAfter, basis: "EXTENDED", notAfter }
    : { at: addCalendarYears(notAfter, EXTENSION_YEARS), basis: "IF_EXTENDED", notAfter };
}

/**
 * 003 (2024): apply from `daysBefore` days before the final end until `monthsAfter` months after it; 002 (older):
 * only the days before (monthsAfter 0 closes at the end itself). Both bounds included.
 */
export function reissueWindow({ finalEnd, daysBefore, monthsAfter }: { finalEnd: Date } & WindowSettings): TimeWindow {
  return { opensAt: addExactDays(finalEnd, -daysBefore), closesAt: addCalendarMonths(finalEnd, monthsAfter) };
}

/** 001: a certificate not yet extended may be, from 60 days before its expiry until 3 years after it. */
export function extensionWindow(certificate: Pick<SigningCertificateFacts, "notAfter" | "extended">): TimeWindow | null {
  if (certificate.extended) return null; // 001: "每一張憑證展期僅限一次"
  return {
    opensAt: addExactDays(certificate.notAfter, -EXTENSION_OPENS_DAYS_BEFORE),
    closesAt: addCalendarYears(certificate.notAfter, EXTENSION_CLOSES_YEARS_AFTER),
  };
}

/** 004 已過期: past notAfter, whether or not the hourly job has marked it EXPIRED yet. */
export function isExpired(certificate: Pick<SigningCertificateFacts, "notAfter" | "status">, now: Date): boolean {
  return certificate.status === "EXPIRED" || now.getTime() > certificate.notAfter.getTime();
}

/** 003: "到期前為有效的自然人憑證" — a revoked (廢止) or suspended (停用) certificate never qualifies. */
export function unusableStatus(certificate: Pick<SigningCertificateFacts, "status">): "REVOKED" | "SUSPENDED" | null {
  if (certificate.status === "REVOKED" || certificate.status === "SUSPENDED") return certificate.status;
  return null;
}

/** 002 開卡: a reissued card's certificate becomes valid only once the holder activates it. */
export function isAwaitingActivation(certificate: Pick<SigningCertificateFacts, "status">): boolean {
  return certificate.status === "AWAITING_ACTIVATION";
}

/** 002 錯誤訊息一 "此身份證號目前有效正卡數超過 2 張": the cause it gives is already having two (old + new). */
export function hasTooManyValidCards({ validCardCount }: Pick<EligibilityFacts, "validCardCount">): boolean {
  return validCardCount >= MAX_VALID_CARDS;
}

/** One application at a time: a holder with an open order is shown that order, not a second form. */
export function hasOpenReissue(
  facts: Pick<EligibilityFacts, "openReissue">,
): facts is { openReissue: NonNullable<EligibilityFacts["openReissue"]> } {
  return facts.openReissue !== null;
}

/** 001 + domain brief: a 5-year certificate inside its extension window is extended for free (展期), not reissued. */
export function shouldExtendInstead({ signingCertificate, now }: Pick<EligibilityFacts, "signingCertificate" | "now">): boolean {
  const window = extensionWindow(signingCertificate);
  return window !== null && isWithin(window, now);
}

/** 002 錯誤訊息二 (code 45): "表示用戶的憑證未滿 8 年到期前 60 天，不需申請線上續卡". */
export function isTooEarly({ window, now }: { window: TimeWindow; now: Date }): boolean {
  return now.getTime() < window.opensAt.getTime();
}

/** 002/003: after the window the old card cannot authenticate any more; the holder applies in person. */
export function isWindowClosed({ window, now }: { window: TimeWindow; now: Date }): boolean {
  return now.getTime() > window.closesAt.getTime();
}

export type RefusalReason =
  | "REVOKED"
  | "SUSPENDED"
  | "AWAITING_ACTIVATION"
  | "TOO_MANY_VALID_CARDS"
  | "EXTEND_INSTEAD"
  | "TOO_EARLY"
  | "WINDOW_CLOSED";

/**
 * 002 注意事項 2 / 003 用戶須知: these holders go in person to any household registration office (戶政事務所, not
 * limited to their registered household's) with their ID card, NT$250 and an e-mail address.
 */
export function mustApplyInPerson(reason: RefusalReason): boolean {
  return reason === "REVOKED" || reason === "SUSPENDED" || reason === "WINDOW_CLOSED";
}

interface RefusalBase {
  outcome: "REFUSED";
  finalEnd: FinalEnd;
  window: TimeWindow;
}

export type Assessment =
  | { outcome: "ELIGIBLE"; window: TimeWindow; finalEnd: FinalEnd; expired: boolean }
  | { outcome: "ALREADY_APPLIED"; orderId: string; orderNumber: string }
  | (RefusalBase & { reason: "REVOKED" | "SUSPENDED" | "AWAITING_ACTIVATION" | "TOO_MANY_VALID_CARDS" | "WINDOW_CLOSED" })
  | (RefusalBase & { reason: "EXTEND_INSTEAD"; extensionWindow: TimeWindow; expired: boolean })
  | (RefusalBase & {
      reason: "TOO_EARLY";
      messageCode: typeof TOO_EARLY_MESSAGE_CODE;
      windowOpensAt: Date;
      /** Only for a 5-year certificate: its next step is the free extension, which opens first. */
      extensionOpensAt?: Date;
    });

/**
 * Where the holder stands. Precedence, first match wins:
 * 1. revoked, 2. suspended — the certificate itself disqualifies; nothing else matters (in person).
 * 3. an open order — show it rather than refuse (a new card awaiting activation lands here too).
 * 4. awaiting activation — this card is the new one: activate it.
 * 5. two valid cards — 002's first message.
 * 6. a 5-year certificate in its extension window — extend (free) instead.
 * 7. before the window — 002's code 45, with the date it opens.
 * 8. after the window — in person.
 * Otherwise eligible; `expired` says the card is past its end (it logs in for this flow only).
 */
export function assessEligibility(facts: EligibilityFacts): Assessment {
  const { signingCertificate, now } = facts;
  const end = finalEnd(signingCertificate);
  const window = reissueWindow({ finalEnd: end.at, ...facts.window });
  const base = { outcome: "REFUSED", finalEnd: end, window } as const;

  const status = unusableStatus(signingCertificate);
  if (status) return { ...base, reason: status };
  if (hasOpenReissue(facts)) {
    return { outcome: "ALREADY_APPLIED", orderId: facts.openReissue.orderId, orderNumber: facts.openReissue.orderNumber };
  }
  if (isAwaitingActivation(signingCertificate)) return { ...base, reason: "AWAITING_ACTIVATION" };
  if (hasTooManyValidCards(facts)) return { ...base, reason: "TOO_MANY_VALID_CARDS" };
  const extension = extensionWindow(signingCertificate);
  if (extension && shouldExtendInstead(facts)) {
    return { ...base, reason: "EXTEND_INSTEAD", extensionWindow: extension, expired: isExpired(signingCertificate, now) };
  }
  // 003: only a certificate valid up to its final end qualifies. A 5-year certificate that expired unextended
  // was not valid up to its 8-year point: once its extension window has passed, only an office can help.
  if (!signingCertificate.extended && isExpired(signingCertificate, now)) return { ...base, reason: "WINDOW_CLOSED" };
  if (isTooEarly({ window, now })) {
    return {
      ...base,
      reason: "TOO_EARLY",
      messageCode: TOO_EARLY_MESSAGE_CODE,
      windowOpensAt: window.opensAt,
      // Too early for a 5-year certificate means before its extension window too (that window ends at the 8-year end).
      ...(extension ? { extensionOpensAt: extension.opensAt } : {}),
    };
  }
  if (isWindowClosed({ window, now })) return { ...base, reason: "WINDOW_CLOSED" };
  return { outcome: "ELIGIBLE", window, finalEnd: end, expired: isExpired(signingCertificate, now) };
}

export type LoginDecision =
  | { allowed: true; scope: "full" | "reissue-only" }
  | {
      allowed: false;
      reason: "REVOKED" | "SUSPENDED" | "AWAITING_ACTIVATION" | "NOT_YET_VALID" | "EXTEND_INSTEAD" | "WINDOW_CLOSED";
    };

/**
 * Whether a card whose signature and chain check out may open a session. 002: "登入申請及查詢必須使用…自然人憑證
 * IC 卡" — the old card itself; 003 keeps it usable for a year after its end. So an expired card may log in only
 * inside the reissue window, and then only for the reissue flow. Status EXPIRED with a notAfter inside the window
 * is the same as VALID past notAfter.
 */
export function mayLogIn({ signingCertificate, now, window: settings }: LoginFacts): LoginDecision {
  const status = unusableStatus(signingCertificate);
  if (status) return { allowed: false, reason: status };
  if (isAwaitingActivation(signingCertificate)) return { allowed: false, reason: "AWAITING_ACTIVATION" };
  if (now.getTime() < signingCertificate.notBefore.getTime()) return { allowed: false, reason: "NOT_YET_VALID" };
  if (!isExpired(signingCertificate, now)) return { allowed: true, scope: "full" };
  if (!signingCertificate.extended) {
    // Expired without the extension (see assessEligibility): never the reissue flow.
    return { allowed: false, reason: shouldExtendInstead({ signingCertificate, now }) ? "EXTEND_INSTEAD" : "WINDOW_CLOSED" };
  }
  const window = reissueWindow({ finalEnd: finalEnd(signingCertificate).at, ...settings });
  if (isWithin(window, now)) return { allowed: true, scope: "reissue-only" };
  return { allowed: false, reason: "WINDOW_CLOSED" };
}

/** The assessment as a loader sends it: every Date an ISO string. */
export type Serialized<T> = T extends Date ? string : T extends object ? { [K in keyof T]: Serialized<T[K]> } : T;
export type SerializedAssessment = Serialized<Assessment>;

export function serializeAssessment(assessment: Assessment): SerializedAssessment {
  return JSON.parse(JSON.stringify(assessment)) as SerializedAssessment;
}
