// The second sign-in step: a code from the member's authenticator, or — for an account without one (new, or reset
// by an admin) — enrolling one. Wrong codes count toward the same lock as wrong passwords (5 in a row → 15
// minutes) and the same Redis limits; each is audited (staff.totp_failed), as are enrolments (staff.totp_enrolled)
// and the full sign-in (staff.signed_in with the second factor used). Codes never reach logs or audit details.
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import {
  assertUnderSignInLimits, countFailedSignIn, countSignInFailure, recordLockout, type StaffMember,
} from "./staff-accounts.server";
import {
  claimTotpStepForSignIn, decryptTotpSecret, encryptTotpSecret, generateTotpSecret, groupTotpSecret, matchTotpStep, totpQrSvg,
  totpUri,
} from "./totp.server";

export const CODE_WRONG_MESSAGE = {
  "zh-TW": "驗證碼錯誤或已使用過。連續錯誤 5 次（含密碼），帳號將暫停登入 15 分鐘。",
  en: "Wrong or already used code. After 5 wrong tries in a row (passwords included) the account is paused for 15 minutes.",
};

const LOCKED = new AppError(
  "ACCOUNT_LOCKED",
  { "zh-TW": "帳號已暫停登入 15 分鐘，請稍後重新登入或洽系統管理員。", en: "The account is paused for 15 minutes. Sign in again later or ask an administrator." },
  423,
);
const SIGN_IN_AGAIN = new AppError(
  "SIGN_IN_AGAIN",
  { "zh-TW": "請重新登入。", en: "Please sign in again." },
  401,
);
const ALREADY_ENROLLED = new AppError(
  "TOTP_ALREADY_ENROLLED",
  { "zh-TW": "此帳號已設定驗證器，請以驗證碼登入。", en: "This account already has an authenticator; sign in with its code." },
  409,
);

type Stage = "sign_in" | "enrolment";

const accountSelect = {
  id: true, username: true, displayName: true, roles: true, disabledAt: true, lockedUntil: true,
  totpSecretEnc: true, totpEnabledAt: true,
} as const;

async function openAccount(staffId: string, now: Date) {
  const account = await prisma.staffAccount.findUnique({ where: { id: staffId }, select: accountSelect });
  if (!account || account.disabledAt) throw SIGN_IN_AGAIN;
  if (account.lockedUntil && account.lockedUntil > now) throw LOCKED;
  return account;
}

/** A wrong (or replayed) code: counted, audited, and refused — as "locked" when this one set the lock. */
async function refuseCode(account: { id: string; username: string }, { stage, why, ip, now }: { stage: Stage; why: "wrong" | "replayed"; ip: string; now: Date }): Promise<never> {
  const counted = await countFailedSignIn(account.id, now);
  await countSignInFailure(account.username, ip);
  await recordAuditEvent({
    actor: { type: "SYSTEM" },
    action: "staff.totp_failed",
    subject: { type: "staff_account", id: account.id },
    details: { stage, why, failures: counted?.failedSignIns ?? null },
  });
  if (!counted) throw LOCKED;
  if (counted.lockedNow) {
    await recordLockout(account.id);
    throw LOCKED;
  }
  throw new AppError("CODE_WRONG", CODE_WRONG_MESSAGE, 401);
}

/** The 30-second step the typed code belongs to, after the rate limits; a wrong code is counted and refused. */
async function stepOfCode(
  account: { id: string; username: string; totpSecretEnc: string },
  code: string,
  { stage, ip, now }: { stage: Stage; ip: string; now: Date },
): Promise<bigint> {
  await assertUnderSignInLimits(account.username, ip);
  const step = matchTotpStep(decryptTotpSecret(account.totpSecretEnc, account.id), code.replace(/\s/g, ""), now);
  return step ?? refuseCode(account, { stage, why: "wrong", ip, now });
}

const memberOf = (account: { id: string; username: string; displayName: string; roles: StaffMember["roles"] }): StaffMember => ({
  id: account.id, username: account.username, displayName: account.displayName, roles: account.roles,
});

/**
 * Second step of a sign-in for an enrolled account: the 6-digit code (now ±30 s, each step once). Returns the
 * member for the full session, or throws CODE_WRONG (401), ACCOUNT_LOCKED (423), TOO_MANY_ATTEMPTS (429), or
 * SIGN_IN_AGAIN (401: the account was disabled or has no authenticator any more).
 */
export async function verifyStaffSignInCode({ staffId, code, ip, now = new Date() }: {
  staffId: string;
  code: string;
  ip: string;
  now?: Date;
}): Promise<StaffMember> {
  const account = await openAccount(staffId, now);
  if (!account.totpEnabledAt || !account.totpSecretEnc) throw SIGN_IN_AGAIN;
  const step = await stepOfCode({ ...account, totpSecretEnc: account.totpSecretEnc }, code, { stage: "sign_in", ip, now });
  if (!(await claimTotpStepForSignIn(account.id, step, now))) {
    // Locked or disabled between the read and the claim, or the code (or a later one) was used already.
    await openAccount(staffId, now);
    return refuseCode(account, { stage: "sign_in", why: "replayed", ip, now });
  }
  await recordAuditEvent({
    actor: { type: "STAFF", id: account.id },
    action: "staff.signed_in",
    subject: { type: "staff_account", id: account.id },
    details: { second_factor: "totp" },
  });
  return memberOf(account);
}

export interface TotpEnrolment {
  /** The account name the app shows under the issuer. */
  username: string;
  /** Base32, for typing in by hand; shown grouped. */
  secret: string;
  groupedSecret: string;
  uri: string;
  qrSvg: string;
}

/**
 * What the enrolment page shows an account without an authenticator: a new secret, kept (encrypted) until the
 * first code confirms it, so reloading the page shows the same one. Throws TOTP_ALREADY_ENROLLED once enrolled.
 */
export async function prepareStaffTotpEnrolment({ staffId, now = new Date() }: { staffId: string; now?: Date }): Promise<TotpEnrolment> {
  let account = await openAccount(staffId, now);
  if (account.totpEnabledAt) throw ALREADY_ENROLLED;
  if (!account.totpSecretEnc) {
    // Conditional: of two tabs opened at once, one secret is stored and both show it.
    await prisma.staffAccount.updateMany({
      where: { id: staffId, totpSecretEnc: null, totpEnabledAt: null },
      data: { totpSecretEnc: encryptTotpSecret(generateTotpSecret(), staffId), totpLastStep: null },
    });
    account = await openAccount(staffId, now);
    if (account.totpEnabledAt || !account.totpSecretEnc) throw ALREADY_ENROLLED;
  }
  const secret = decryptTotpSecret(account.totpSecretEnc, account.id);
  const uri = totpUri(account.username, secret);
  return { username: account.username, secret, groupedSecret: groupTotpSecret(secret), uri, qrSvg: await totpQrSvg(uri) };
}

/**
 * Confirms enrolment with the first code from the app: from then on every sign-in needs a code. Returns the member
 * for the full session; refuses like verifyStaffSignInCode (wrong codes count toward the lock).
 */
export async function confirmStaffTotpEnrolment({ staffId, code, ip, now = new Date() }: {
  staffId: string;
  code: string;
  ip: string;
  now?: Date;
}): Promise<StaffMember> {
  const account = await openAccount(staffId, now);
  if (account.totpEnabledAt) throw ALREADY_ENROLLED;
  if (!account.totpSecretEnc) throw SIGN_IN_AGAIN;
  const step = await stepOfCode({ ...account, totpSecretEnc: account.totpSecretEnc }, code, { stage: "enrolment", ip, now });

  const enrolled = await prisma.$transaction(async (tx) => {
    // The secret confirmed is the one stored (an admin reset meanwhile makes this a no-op), and only once.
    const { count } = await tx.staffAccount.updateMany({
      where: { id: staffId, totpEnabledAt: null, totpSecretEnc: account.totpSecretEnc, disabledAt: null, OR: [{ lockedUntil: null }, { lockedUntil: { lte: now } }] },
      data: { totpEnabledAt: now, totpLastStep: step, failedSignIns: 0, lockedUntil: null, lastSignInAt: now },
    });
    if (count !== 1) return false;
    const subject = { type: "staff_account", id: staffId };
    await recordAuditEvent({ actor: { type: "STAFF", id: staffId }, action: "staff.totp_enrolled", subject }, tx);
    await recordAuditEvent({ actor: { type: "STAFF", id: staffId }, action: "staff.signed_in", subject, details: { second_factor: "totp_enrolment" } }, tx);
    return true;
  });
  if (!enrolled) {
    await openAccount(staffId, now);
    throw ALREADY_ENROLLED;
  }
  return memberOf(account);
}
