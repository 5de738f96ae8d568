// Staff passwords after the account exists (issue 13): a password someone else chose (an admin, `staff:create`)
// must be replaced by the member before anything else; members change their own (the current one, then the new
// one twice); an admin's reset gives a one-time code that lets the member set a new one — the admin never sees
// it. Every step is audited (who, when, why); no password or code ever reaches the audit trail or a log.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { AppError } from "~/lib/errors.server";
import { base32Encode } from "./totp.server";
import { hashStaffPassword, verifyStaffPassword } from "./password.server";
import { staffPasswordSchema, staffUsernameSchema } from "./schema";
import {
  assertUnderSignInLimits, countFailedSignIn, countSignInFailure, recordLockout, WEAK_PASSWORD,
} from "./staff-accounts.server";
import { revokeStaffSessions } from "./staff-session.server";

/** How long an admin's reset code works. */
export const STAFF_PASSWORD_RESET_MINUTES = 30;

const error = (code: string, status: number, zh: string, en: string) => new AppError(code, { "zh-TW": zh, en }, status);
const CURRENT_WRONG = error(
  "CURRENT_PASSWORD_WRONG", 400,
  "目前的密碼不正確。連續錯誤 5 次（含登入），帳號將暫停登入 15 分鐘。",
  "The current password is wrong. After 5 wrong tries in a row (sign-ins included) the account is paused for 15 minutes.",
);
const WEAK = new AppError(WEAK_PASSWORD.code, WEAK_PASSWORD.message, 400);
const DIFFER = error("PASSWORDS_DIFFER", 400, "兩次輸入的新密碼不一致。", "The two entries of the new password differ.");
const UNCHANGED = error("PASSWORD_UNCHANGED", 400, "新密碼不能與目前的密碼相同。", "The new password must differ from the current one.");
const LOCKED = error("ACCOUNT_LOCKED", 423, "帳號已暫停登入 15 分鐘，請稍後再試或洽系統管理員。", "The account is paused for 15 minutes. Try later or ask an administrator.");
const SIGN_IN_AGAIN = error("SIGN_IN_AGAIN", 401, "請重新登入。", "Please sign in again.");
const RESET_CODE_INVALID = error(
  "RESET_CODE_INVALID", 400,
  "帳號或重設碼錯誤，或重設碼已使用過或已逾期（30 分鐘）。請向系統管理員申請新的重設碼。",
  "Wrong username or reset code, or the code was used already or has expired (30 minutes). Ask an administrator for a new one.",
);

/** A reset code as typed: letters and digits of the base32 alphabet, any case, dashes and spaces ignored. */
const normalizeResetCode = (code: string) => code.replace(/[\s-]/g, "").toUpperCase();

/** SHA-256 is enough here: the code carries 100 random bits (unlike a password, it cannot be guessed offline). */
export const resetCodeHash = (code: string) => createHash("sha256").update(normalizeResetCode(code)).digest("hex");

/** 20 base32 characters (100 bits), shown in groups of 5 for reading aloud or typing. */
export function newResetCode(): string {
  return base32Encode(randomBytes(13)).slice(0, 20).match(/.{5}/g)!.join("-");
}

function parseNewPassword(newPassword: string, confirmation: string): string {
  if (!staffPasswordSchema.safeParse(newPassword).success) throw WEAK;
  if (newPassword !== confirmation) throw DIFFER;
  return newPassword;
}

/**
 * A member replaces their password: the current one (counted toward the sign-in lock when wrong), then the new one
 * twice — 12+ characters, not the current one. `forced` is the first sign-in (or a password an admin chose).
 * Every other session of the member ends; the caller starts a fresh one. Throws CURRENT_PASSWORD_WRONG,
 * WEAK_PASSWORD, PASSWORDS_DIFFER, PASSWORD_UNCHANGED (400), ACCOUNT_LOCKED (423), TOO_MANY_ATTEMPTS (429).
 */
export async function changeStaffPassword({ staffId, currentPassword, newPassword, confirmation, ip, now = new Date() }: {
  staffId: string;
  currentPassword: string;
  newPassword: string;
  confirmation: string;
  ip: string;
  now?: Date;
}): Promise<{ forced: boolean }> {
  const account = await prisma.staffAccount.findUnique({
    where: { id: staffId },
    select: { id: true, username: true, passwordHash: true, passwordChangeRequired: true, disabledAt: true, lockedUntil: true },
  });
  if (!account || account.disabledAt) throw SIGN_IN_AGAIN;
  if (account.lockedUntil && account.lockedUntil > now) throw LOCKED;
  await assertUnderSignInLimits(account.username, ip);
  const subject = { type: "staff_account", id: staffId };
  if (!(await verifyStaffPassword(currentPassword, account.passwordHash))) {
    const counted = await countFailedSignIn(staffId, now);
    await countSignInFailure(account.username, ip);
    await recordAuditEvent({ actor: { type: "STAFF", id: staffId }, action: "staff.password_change_refused", subject, details: { code: CURRENT_WRONG.code } });
    if (!counted) throw LOCKED;
    if (counted.lockedNow) {
      await recordLockout(staffId);
      throw LOCKED;
    }
    throw CURRENT_WRONG;
  }
  const chosen = parseNewPassword(newPassword, confirmation);
  if (chosen === currentPassword) throw UNCHANGED;
  const passwordHash = await hashStaffPassword(chosen);
  const changed = await prisma.$transaction(async (tx) => {
    // Against the hash just checked: of two changes at once, only one applies.
    const { count } = await tx.staffAccount.updateMany({
      where: { id: staffId, passwordHash: account.passwordHash, disabledAt: null },
      data: { passwordHash, passwordChangeRequired: false, passwordChangedAt: now, passwordResetHash: null, passwordResetExpiresAt: null },
    });
    if (count !== 1) return false;
    await recordAuditEvent({ actor: { type: "STAFF", id: staffId }, action: "staff.password_changed", subject, details: { forced: account.passwordChangeRequired } }, tx);
    return true;
  });
  if (!changed) throw SIGN_IN_AGAIN;
  await revokeStaffSessions(staffId, now);
  return { forced: account.passwordChangeRequired };
}

/**
 * The member redeems an admin's reset code (once, within 30 minutes) and sets a new password, without signing in;
 * the sign-in that follows needs the authenticator as always. Every session of the member ends. Wrong, used and
 * expired codes get the same answer (RESET_CODE_INVALID) and count toward the sign-in rate limits.
 */
export async function redeemStaffPasswordReset({ username, code, newPassword, confirmation, ip, now = new Date() }: {
  username: string;
  code: string;
  newPassword: string;
  confirmation: string;
  ip: string;
  now?: Date;
}): Promise<void> {
  const typed = username.trim().toLowerCase();
  await assertUnderSignInLimits(typed, ip);
  const chosen = parseNewPassword(newPassword, confirmation);
  const account = staffUsernameSchema.safeParse(typed).success
    ? await prisma.staffAccount.findUnique({
        where: { username: typed },
        select: { id: true, disabledAt: true, passwordResetHash: true, passwordResetExpiresAt: true },
      })
    : null;
  const typedHash = Buffer.from(resetCodeHash(code), "hex");
  const matches = account?.passwordResetHash ? timingSafeEqual(typedHash, Buffer.from(account.passwordResetHash, "hex")) : false;
  const why = !account ? "unknown_username" : account.disabledAt ? "disabled" : !matches ? "wrong_code"
    : !account.passwordResetExpiresAt || account.passwordResetExpiresAt <= now ? "expired" : null;
  if (why || !account) {
    await countSignInFailure(typed, ip);
    await recordAuditEvent({
      actor: { type: "SYSTEM" }, action: "staff.password_reset_failed",
      ...(account ? { subject: { type: "staff_account", id: account.id } } : {}), details: { why },
    });
    throw RESET_CODE_INVALID;
  }
  const passwordHash = await hashStaffPassword(chosen);
  const redeemed = await prisma.$transaction(async (tx) => {
    // The code works once: the row still holding this code, unexpired, is the condition of the write.
    const { count } = await tx.staffAccount.updateMany({
      where: { id: account.id, passwordResetHash: typedHash.toString("hex"), passwordResetExpiresAt: { gt: now }, disabledAt: null },
      data: { passwordHash, passwordChangeRequired: false, passwordChangedAt: now, passwordResetHash: null, passwordResetExpiresAt: null },
    });
    if (count !== 1) return false;
    await recordAuditEvent(
      { actor: { type: "STAFF", id: account.id }, action: "staff.password_reset_completed", subject: { type: "staff_account", id: account.id } },
      tx,
    );
    return true;
  });
  if (!redeemed) throw RESET_CODE_INVALID;
  await revokeStaffSessions(account.id, now);
}

/** Development only: the demo accounts' password is the one the README gives, so it counts as changed. */
export async function settleDemoStaffPassword(username: string): Promise<void> {
  if (env().NODE_ENV === "production" || process.env.NODE_ENV === "production") throw new Error("settleDemoStaffPassword is for development only");
  await prisma.staffAccount.updateMany({ where: { username, passwordChangeRequired: true }, data: { passwordChangeRequired: false } });
}
