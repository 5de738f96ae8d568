// Staff accounts and their sign-in. An outsider learns nothing from a refusal: unknown usernames, wrong
// passwords, locked and disabled accounts all get the same answer after the same scrypt work; the audit trail
// records the real reason. Wrong passwords are counted in the database (atomically), limits in Redis.
import { z } from "zod";
import { recordAuditEvent } from "~/audit/audit.server";
import { Prisma, type StaffRole } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { countAttempt, retryAfterSeconds, type Limit } from "~/lib/rate-limit.server";
import { hashStaffPassword, spendDecoyVerification, verifyStaffPassword } from "./password.server";
import { staffPasswordSchema, staffRoleSchema, staffUsernameSchema } from "./schema";

export type StaffMember = { id: string; username: string; displayName: string; roles: StaffRole[] };
/**
 * A member whose password was right: the sign-in continues with the code, or with enrolling an authenticator, and
 * with a new password first when this one was chosen by someone else (issue 13).
 */
export type PasswordCheckedStaff = StaffMember & { totpEnrolled: boolean; passwordChangeRequired: boolean };

/** Wrong passwords in a row that lock an account, and for how long. */
export const STAFF_LOCK_AFTER_FAILURES = 5;
export const STAFF_LOCK_MINUTES = 15;

/** Failed sign-ins per source address and per username typed (known or not). */
export const STAFF_SIGN_IN_LIMITS = {
  ip: { name: "staff-sign-in-failure:ip", max: 30, windowSeconds: 15 * 60 },
  username: { name: "staff-sign-in-failure:username", max: 10, windowSeconds: 15 * 60 },
} satisfies Record<string, Limit>;

export const SIGN_IN_FAILED_MESSAGE = {
  "zh-TW": "帳號或密碼錯誤。連續錯誤 5 次，帳號將暫停登入 15 分鐘。",
  en: "Wrong username or password. After 5 wrong tries in a row the account is paused for 15 minutes.",
};

/** Why a sign-in was refused, as the audit trail records it (the person signing in sees SIGN_IN_FAILED). */
type RefusalCode = "UNKNOWN_USERNAME" | "WRONG_PASSWORD" | "ACCOUNT_LOCKED" | "ACCOUNT_DISABLED";

const newAccountSchema = z.object({
  username: z.string().trim().toLowerCase().pipe(staffUsernameSchema),
  displayName: z.string().trim().min(1).max(100),
  password: staffPasswordSchema,
  roles: z.array(staffRoleSchema).min(1).transform((roles) => [...new Set(roles)]),
});

/** A new password that is too short or too long: at account creation and at every change or reset. */
export const WEAK_PASSWORD = {
  code: "WEAK_PASSWORD",
  message: { "zh-TW": "密碼至少須 12 個字元（最多 256 個）。", en: "The password must be at least 12 characters long (at most 256)." },
};

const ACCOUNT_ERRORS: Record<string, { code: string; message: { "zh-TW": string; en: string } }> = {
  username: {
    code: "USERNAME_FORMAT",
    message: { "zh-TW": "帳號須為 3 至 64 個小寫英文字母、數字、點、連字號或底線。", en: "The username is 3–64 lower-case letters, digits, dots, dashes or underscores." },
  },
  displayName: { code: "DISPLAY_NAME", message: { "zh-TW": "請填寫 1 至 100 字的顯示名稱。", en: "Enter a display name of 1–100 characters." } },
  password: WEAK_PASSWORD,
  roles: { code: "ROLES_REQUIRED", message: { "zh-TW": "請至少指定一個角色。", en: "Give at least one role." } },
};

/** Creates a staff account (the seed, `npm run staff:create`, later the admin pages). Throws AppError on bad input. */
export async function createStaffAccount({
  username, displayName, password, roles, createdBy, reason,
}: {
  username: string;
  displayName: string;
  password: string;
  roles: StaffRole[];
  /** The member of staff creating it; absent for the seed and the CLI (actor SYSTEM). */
  createdBy?: { id: string };
  /** Why (the admin pages ask for it). */
  reason?: string;
}): Promise<{ id: string }> {
  const parsed = newAccountSchema.safeParse({ username, displayName, password, roles });
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? "username");
    const { code, message } = ACCOUNT_ERRORS[field] ?? ACCOUNT_ERRORS.username!;
    throw new AppError(code, message, 400);
  }
  const passwordHash = await hashStaffPassword(parsed.data.password);
  try {
    return await prisma.$transaction(async (tx) => {
      const account = await tx.staffAccount.create({
        data: { username: parsed.data.username, displayName: parsed.data.displayName, passwordHash, roles: parsed.data.roles },
        select: { id: true },
      });
      await recordAuditEvent(
        {
          actor: createdBy ? { type: "STAFF", id: createdBy.id } : { type: "SYSTEM" },
          action: "staff.account_created",
          subject: { type: "staff_account", id: account.id },
          ...(reason ? { reason } : {}),
          details: { roles: parsed.data.roles.join(",") },
        },
        tx,
      );
      return account;
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      throw new AppError("USERNAME_TAKEN", { "zh-TW": "此帳號已有人使用。", en: "That username is already taken." }, 409, { cause: error });
    }
    throw error;
  }
}

/** The account as a session sees it, or null when it no longer exists or was disabled. */
export async function loadStaffMember(id: string): Promise<StaffMember | null> {
  if (!z.uuid().safeParse(id).success) return null;
  const account = await prisma.staffAccount.findUnique({
    where: { id },
    select: { id: true, username: true, displayName: true, roles: true, disabledAt: true },
  });
  if (!account || account.disabledAt) return null;
  return { id: account.id, username: account.username, displayName: account.displayName, roles: account.roles };
}

/**
 * One wrong password or second-factor code, counted in one statement; locks the account on every 5th in a row.
 * Null if it is locked already. Only a full sign-in (the code, or a confirmed enrolment) clears the counter.
 */
export async function countFailedSignIn(id: string, now: Date): Promise<{ failedSignIns: number; lockedNow: boolean } | null> {
  const rows = await prisma.$queryRaw<Array<{ failed_sign_ins: number; locked_until: Date | null }>>`
    UPDATE staff_account
       SET failed_sign_ins = failed_sign_ins + 1,
           locked_until = CASE WHEN (failed_sign_ins + 1) % ${STAFF_LOCK_AFTER_FAILURES} = 0
                               THEN ${now}::timestamptz + make_interval(mins => ${STAFF_LOCK_MINUTES})
                               ELSE locked_until END,
           updated_at = ${now}::timestamptz
     WHERE id = ${id}::uuid AND (locked_until IS NULL OR locked_until <= ${now}::timestamptz)
 RETURNING failed_sign_ins, locked_until`;
  const row = rows[0];
  if (!row) return null;
  return { failedSignIns: row.failed_sign_ins, lockedNow: row.locked_until !== null && row.locked_until > now };
}

/** Audits the lock a failed sign-in just set. */
export async function recordLockout(id: string): Promise<void> {
  await recordAuditEvent({
    actor: { type: "SYSTEM" },
    action: "staff.locked_out",
    subject: { type: "staff_account", id },
    details: { afterFailures: STAFF_LOCK_AFTER_FAILURES, minutes: STAFF_LOCK_MINUTES },
  });
}

/** TOO_MANY_ATTEMPTS (429) once the source address or the username has failed too often lately. */
export async function assertUnderSignInLimits(username: string, ip: string): Promise<void> {
  const wait = Math.max(await retryAfterSeconds(STAFF_SIGN_IN_LIMITS.ip, ip), await retryAfterSeconds(STAFF_SIGN_IN_LIMITS.username, username));
  if (wait > 0) {
    throw new AppError(
      "TOO_MANY_ATTEMPTS",
      { "zh-TW": `嘗試次數過多，請於 ${Math.ceil(wait / 60)} 分鐘後再試。`, en: `Too many attempts. Try again in ${Math.ceil(wait / 60)} minute(s).` },
      429,
      { retryAfterSeconds: wait },
    );
  }
}

/** Counts one failure against the source address and the username (known or not). */
export async function countSignInFailure(username: string, ip: string): Promise<void> {
  await Promise.all([countAttempt(STAFF_SIGN_IN_LIMITS.ip, ip), countAttempt(STAFF_SIGN_IN_LIMITS.username, username)]);
}

/**
 * Checks a username and password, the first of the two sign-in steps. Returns the member of staff and whether an
 * authenticator is enrolled, or throws AppError SIGN_IN_FAILED (401, the same for every reason) or
 * TOO_MANY_ATTEMPTS (429). The right password alone clears nothing: the counter is cleared by the second factor,
 * so knowing the password does not buy fresh guesses at the code.
 */
export async function authenticateStaff({
  username, password, ip, now = new Date(),
}: {
  username: string;
  password: string;
  ip: string;
  now?: Date;
}): Promise<PasswordCheckedStaff> {
  const typed = username.trim().toLowerCase();
  await assertUnderSignInLimits(typed, ip);

  const account = isPossibleUsername(typed)
    ? await prisma.staffAccount.findUnique({ where: { username: typed } })
    : null;
  // Every path below costs exactly one scrypt, whatever the account's state.
  const passwordMatches = account ? await verifyStaffPassword(password, account.passwordHash) : await spendDecoyVerification(password);

  let refusal: RefusalCode | null = null;
  let lockedNow = false;
  if (!account) refusal = "UNKNOWN_USERNAME";
  else if (account.disabledAt) refusal = "ACCOUNT_DISABLED";
  else if (account.lockedUntil && account.lockedUntil > now) refusal = "ACCOUNT_LOCKED";
  else if (!passwordMatches) {
    const counted = await countFailedSignIn(account.id, now);
    refusal = counted ? "WRONG_PASSWORD" : "ACCOUNT_LOCKED";
    lockedNow = counted?.lockedNow ?? false;
  }

  if (account && !refusal) {
    const totpEnrolled = account.totpEnabledAt !== null && account.totpSecretEnc !== null;
    // Not yet "signed in": that event comes with the second factor (staff.signed_in).
    await recordAuditEvent({
      actor: { type: "STAFF", id: account.id },
      action: "staff.password_accepted",
      subject: { type: "staff_account", id: account.id },
      details: { next: totpEnrolled ? "totp" : "totp_enrolment", password_change_required: account.passwordChangeRequired },
    });
    return {
      id: account.id, username: account.username, displayName: account.displayName, roles: account.roles, totpEnrolled,
      passwordChangeRequired: account.passwordChangeRequired,
    };
  }

  await countSignInFailure(typed, ip);
  const subject = account ? { subject: { type: "staff_account", id: account.id } } : {};
  await recordAuditEvent({ actor: { type: "SYSTEM" }, action: "staff.sign_in_failed", ...subject, details: { code: refusal } });
  if (account && lockedNow) await recordLockout(account.id);
  throw new AppError("SIGN_IN_FAILED", SIGN_IN_FAILED_MESSAGE, 401);
}

// A string that cannot be a username is not looked up (the decoy still costs the same).
function isPossibleUsername(username: string): boolean {
  return staffUsernameSchema.safeParse(username).success;
}
