// Managing staff accounts (ADMIN only — checked here, whatever the page did). Every change takes a reason and is
// audited with who, when and why. There is always an administrator, and nobody grants themselves power: an admin
// can neither disable themselves nor change their own roles, and each change locks the acting admin's row and the
// target's (in id order) and re-reads them, so two admins disabling each other at once cannot both succeed.
// Look-ups are audited too.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { recordAuditEvent } from "~/audit/audit.server";
import type { Prisma, StaffRole } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { ADMIN_ROLES, holdsAnyRole, STAFF_ROLES } from "./areas";
import { STAFF_REASON_MAX, STAFF_REASON_MIN } from "./schema";
import { hashStaffPassword } from "./password.server";
import { createStaffAccount, type StaffMember } from "./staff-accounts.server";
import { newResetCode, resetCodeHash, STAFF_PASSWORD_RESET_MINUTES } from "./staff-password.server";
import { revokeStaffSessions } from "./staff-session.server";

export type StaffAdmin = Pick<StaffMember, "id" | "roles">;

export const STAFF_ADMIN_PAGE_SIZE = 50;

export interface StaffAccountRow {
  id: string;
  username: string;
  displayName: string;
  roles: StaffRole[];
  totpEnrolled: boolean;
  /** Only while the lock lasts. */
  lockedUntil: string | null;
  disabledAt: string | null;
  lastSignInAt: string | null;
}

export interface StaffAccountPage {
  rows: StaffAccountRow[];
  /** The username to pass as `after` for the next page, or null on the last one. */
  nextAfter: string | null;
}

export interface StaffAccountView extends StaffAccountRow {
  createdAt: string;
  failedSignIns: number;
  /** The admin looking at their own account (what they may not do to it). */
  isSelf: boolean;
}

const error = (code: string, status: number, zh: string, en: string) => new AppError(code, { "zh-TW": zh, en }, status);
const FORBIDDEN = error("FORBIDDEN", 403, "只有系統管理員可以管理人員帳號。", "Only administrators manage staff accounts.");
const NOT_FOUND = error("STAFF_NOT_FOUND", 404, "查無此人員帳號。", "No such staff account.");
const REASON_REQUIRED = error("REASON_REQUIRED", 400, "請填寫原因（5 至 500 字）。", "Give a reason (5–500 characters).");
const ROLES_INVALID = error("ROLES_REQUIRED", 400, "請至少勾選一個角色。", "Choose at least one role.");
const SELF_DISABLE = error("SELF_DISABLE", 409, "不能停用自己的帳號。", "You cannot disable your own account.");
const SELF_ROLES_CHANGE = error(
  "SELF_ROLES_CHANGE", 409,
  "不能變更自己的角色，請由另一位系統管理員辦理。",
  "You cannot change your own roles; another administrator must do it.",
);
const ROLES_UNCHANGED = error("ROLES_UNCHANGED", 409, "角色沒有變更。", "The roles are unchanged.");
const ALREADY_DISABLED = error("ALREADY_DISABLED", 409, "此帳號已停用。", "This account is already disabled.");
const NOT_DISABLED = error("NOT_DISABLED", 409, "此帳號並未停用。", "This account is not disabled.");
const NO_AUTHENTICATOR = error("NO_AUTHENTICATOR", 409, "此帳號尚未設定驗證器，不需重設。", "This account has no authenticator to reset.");
const SELF_PASSWORD_RESET = error(
  "SELF_PASSWORD_RESET", 409,
  "不能重設自己的密碼，請在「變更密碼」頁自行變更。",
  "You cannot reset your own password; change it on the “Change password” page.",
);
const NOT_LOCKED = error("NOT_LOCKED", 409, "此帳號目前沒有暫停登入。", "This account is not locked.");

function assertAdmin(actor: StaffAdmin): void {
  if (!holdsAnyRole(actor.roles, ADMIN_ROLES)) throw FORBIDDEN;
}

function parseReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed.length < STAFF_REASON_MIN || trimmed.length > STAFF_REASON_MAX) throw REASON_REQUIRED;
  return trimmed;
}

function parseRoles(roles: readonly string[]): StaffRole[] {
  const unique = [...new Set(roles)];
  if (unique.length === 0 || unique.some((role) => !(STAFF_ROLES as string[]).includes(role))) throw ROLES_INVALID;
  // Stored in the catalogue's order, so "the same roles" compare equal.
  return STAFF_ROLES.filter((role) => unique.includes(role));
}

const iso = (at: Date | null | undefined) => (at ? at.toISOString() : null);

const rowSelect = {
  id: true, username: true, displayName: true, roles: true, totpEnabledAt: true, lockedUntil: true, disabledAt: true,
  lastSignInAt: true, createdAt: true, failedSignIns: true,
} as const satisfies Prisma.StaffAccountSelect;

function rowOf(account: Prisma.StaffAccountGetPayload<{ select: typeof rowSelect }>, now: Date): StaffAccountRow {
  return {
    id: account.id,
    username: account.username,
    displayName: account.displayName,
    roles: account.roles,
    totpEnrolled: account.totpEnabledAt !== null,
    lockedUntil: account.lockedUntil && account.lockedUntil > now ? account.lockedUntil.toISOString() : null,
    disabledAt: iso(account.disabledAt),
    lastSignInAt: iso(account.lastSignInAt),
  };
}

/** One page of staff accounts in username order (keyset on the unique username index). */
export async function listStaffAccounts({ actor, after, limit = STAFF_ADMIN_PAGE_SIZE, now = new Date() }: {
  actor: StaffAdmin;
  after?: string | null;
  limit?: number;
  now?: Date;
}): Promise<StaffAccountPage> {
  assertAdmin(actor);
  const take = Math.min(Math.max(1, Math.trunc(limit)), 200);
  const accounts = await prisma.staffAccount.findMany({
    where: after ? { username: { gt: after } } : {},
    orderBy: { username: "asc" },
    take: take + 1,
    select: rowSelect,
  });
  const rows = accounts.slice(0, take).map((account) => rowOf(account, now));
  await recordAuditEvent({ actor: { type: "STAFF", id: actor.id }, action: "staff.accounts_listed", details: { after: after ?? null, rows: rows.length } });
  return { rows, nextAfter: accounts.length > take ? rows.at(-1)!.username : null };
}

/** One account for the admin page, or null. The look-up is audited. */
export async function findStaffAccountForAdmin({ actor, staffId, now = new Date() }: {
  actor: StaffAdmin;
  staffId: string;
  now?: Date;
}): Promise<StaffAccountView | null> {
  assertAdmin(actor);
  if (!z.uuid().safeParse(staffId).success) return null;
  const account = await prisma.staffAccount.findUnique({ where: { id: staffId }, select: rowSelect });
  if (!account) return null;
  await recordAuditEvent({ actor: { type: "STAFF", id: actor.id }, action: "staff.account_viewed", subject: { type: "staff_account", id: staffId } });
  return { ...rowOf(account, now), createdAt: account.createdAt.toISOString(), failedSignIns: account.failedSignIns, isSelf: actor.id === staffId };
}

/**
 * A new account with an initial password (which the admin passes on); the member enrols an authenticator at first
 * sign-in. Refusals are createStaffAccount's (USERNAME_FORMAT, WEAK_PASSWORD, USERNAME_TAKEN…).
 */
export async function createStaffAccountByAdmin({ actor, username, displayName, roles, password, reason }: {
  actor: StaffAdmin;
  username: string;
  displayName: string;
  roles: StaffRole[];
  password: string;
  reason: string;
}): Promise<{ id: string }> {
  assertAdmin(actor);
  return createStaffAccount({ username, displayName, password, roles: parseRoles(roles), createdBy: actor, reason: parseReason(reason) });
}

interface LockedAccount {
  id: string;
  roles: string[];
  disabled_at: Date | null;
  locked_until: Date | null;
  failed_sign_ins: number;
  totp_enabled_at: Date | null;
  has_secret: boolean;
}

/** Runs `change` with the acting admin's and the target's rows locked, after checking the admin still is one. */
async function changeAccount<T>(
  { actor, staffId, reason }: { actor: StaffAdmin; staffId: string; reason: string },
  change: (target: LockedAccount, tx: Prisma.TransactionClient, audit: (action: string, details?: Record<string, string | number | boolean | null>) => Promise<void>) => Promise<T>,
): Promise<T> {
  assertAdmin(actor);
  const why = parseReason(reason);
  if (!z.uuid().safeParse(staffId).success) throw NOT_FOUND;
  return prisma.$transaction(async (tx) => {
    const rows = await tx.$queryRaw<LockedAccount[]>`
      SELECT id::text AS id, roles::text[] AS roles, disabled_at, locked_until, failed_sign_ins, totp_enabled_at,
             totp_secret_enc IS NOT NULL AS has_secret
        FROM staff_account
       WHERE id IN (${actor.id}::uuid, ${staffId}::uuid)
       ORDER BY id
         FOR UPDATE`;
    const self = rows.find((row) => row.id === actor.id);
    if (!self || self.disabled_at || !self.roles.includes("ADMIN")) throw FORBIDDEN;
    const target = rows.find((row) => row.id === staffId);
    if (!target) throw NOT_FOUND;
    const audit = (action: string, details?: Record<string, string | number | boolean | null>) =>
      recordAuditEvent({ actor: { type: "STAFF", id: actor.id }, action, subject: { type: "staff_account", id: staffId }, reason: why, ...(details ? { details } : {}) }, tx);
    return change(target, tx, audit);
  });
}

export async function changeStaffRoles({ actor, staffId, roles, reason }: {
  actor: StaffAdmin;
  staffId: string;
  roles: StaffRole[];
  reason: string;
}): Promise<void> {
  const next = parseRoles(roles);
  if (staffId === actor.id) {
    // Issue 13: an ADMIN giving themselves FINANCE would need nobody else to pay orders from a bank file. The
    // refusal is audited outside any transaction, so it stays when the change does not happen.
    assertAdmin(actor);
    const why = parseReason(reason);
    await recordAuditEvent({
      actor: { type: "STAFF", id: actor.id }, action: "staff.roles_change_refused", subject: { type: "staff_account", id: staffId }, reason: why,
      details: { code: SELF_ROLES_CHANGE.code, to: next.join(",") },
    });
    throw SELF_ROLES_CHANGE;
  }
  await changeAccount({ actor, staffId, reason }, async (target, tx, audit) => {
    const before = STAFF_ROLES.filter((role) => target.roles.includes(role));
    if (before.join(",") === next.join(",")) throw ROLES_UNCHANGED;
    await tx.staffAccount.update({ where: { id: staffId }, data: { roles: next } });
    await audit("staff.roles_changed", { from: before.join(","), to: next.join(",") });
  });
}

/** Signs the member out everywhere at once (each request re-reads the account) and refuses further sign-ins. */
export async function disableStaffAccount({ actor, staffId, reason, now = new Date() }: {
  actor: StaffAdmin;
  staffId: string;
  reason: string;
  now?: Date;
}): Promise<void> {
  await changeAccount({ actor, staffId, reason }, async (target, tx, audit) => {
    if (staffId === actor.id) throw SELF_DISABLE;
    if (target.disabled_at) throw ALREADY_DISABLED;
    await tx.staffAccount.update({ where: { id: staffId }, data: { disabledAt: now } });
    await audit("staff.disabled");
  });
}

export async function enableStaffAccount({ actor, staffId, reason }: { actor: StaffAdmin; staffId: string; reason: string }): Promise<void> {
  await changeAccount({ actor, staffId, reason }, async (target, tx, audit) => {
    if (!target.disabled_at) throw NOT_DISABLED;
    await tx.staffAccount.update({ where: { id: staffId }, data: { disabledAt: null } });
    await audit("staff.enabled");
  });
}

/** A lost or replaced phone: the old authenticator stops working now and the member enrols again at next sign-in. */
export async function resetStaffTotp({ actor, staffId, reason }: { actor: StaffAdmin; staffId: string; reason: string }): Promise<void> {
  await changeAccount({ actor, staffId, reason }, async (target, tx, audit) => {
    if (!target.totp_enabled_at && !target.has_secret) throw NO_AUTHENTICATOR;
    await tx.staffAccount.update({ where: { id: staffId }, data: { totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null } });
    await audit("staff.totp_reset", { wasEnrolled: target.totp_enabled_at !== null });
  });
  // Whoever signed in with the old authenticator (a lost phone, say) is signed out everywhere.
  await revokeStaffSessions(staffId);
}

export interface IssuedPasswordReset {
  /** Shown once to the admin, who passes it to the member; only its hash is stored. */
  code: string;
  expiresAt: Date;
}

/**
 * A forgotten (or exposed) password: the current one stops working, every session of the member ends, and a
 * one-time code valid for 30 minutes lets the member choose a new one at /staff/password/reset. The admin sees the
 * code, never the new password; the authenticator is untouched, so the code alone does not sign anyone in.
 */
export async function issueStaffPasswordReset({ actor, staffId, reason, now = new Date() }: {
  actor: StaffAdmin;
  staffId: string;
  reason: string;
  now?: Date;
}): Promise<IssuedPasswordReset> {
  assertAdmin(actor);
  if (staffId === actor.id) throw SELF_PASSWORD_RESET;
  const code = newResetCode();
  const expiresAt = new Date(now.getTime() + STAFF_PASSWORD_RESET_MINUTES * 60_000);
  // Nobody knows this password: the old one is dead until the member sets a new one with the code.
  const unusable = await hashStaffPassword(randomBytes(32).toString("base64url"));
  await changeAccount({ actor, staffId, reason }, async (target, tx, audit) => {
    if (target.disabled_at) throw ALREADY_DISABLED;
    await tx.staffAccount.update({
      where: { id: staffId },
      data: { passwordHash: unusable, passwordChangeRequired: false, passwordResetHash: resetCodeHash(code), passwordResetExpiresAt: expiresAt },
    });
    await audit("staff.password_reset_issued", { validMinutes: STAFF_PASSWORD_RESET_MINUTES });
  });
  await revokeStaffSessions(staffId, now);
  return { code, expiresAt };
}

/** Lifts a sign-in lock (5 wrong passwords or codes) before its 15 minutes are up, and clears the counter. */
export async function unlockStaffAccount({ actor, staffId, reason, now = new Date() }: {
  actor: StaffAdmin;
  staffId: string;
  reason: string;
  now?: Date;
}): Promise<void> {
  await changeAccount({ actor, staffId, reason }, async (target, tx, audit) => {
    const locked = target.locked_until !== null && target.locked_until > now;
    if (!locked && target.failed_sign_ins === 0) throw NOT_LOCKED;
    await tx.staffAccount.update({ where: { id: staffId }, data: { lockedUntil: null, failedSignIns: 0 } });
    await audit("staff.unlocked", { wasLocked: locked, failedSignIns: target.failed_sign_ins });
  });
}
