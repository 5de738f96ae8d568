import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import {
  authenticateStaff, createStaffAccount, loadStaffMember, SIGN_IN_FAILED_MESSAGE, STAFF_SIGN_IN_LIMITS,
} from "./staff-accounts.server";
import { enrolStaffTotpForDemo } from "./totp.server";

const PASSWORD = "long enough password";
const uniqueName = () => `staff.${randomBytes(4).toString("hex")}`;
const uniqueIp = () => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

async function newAccount(roles: Parameters<typeof createStaffAccount>[0]["roles"] = ["SUPPORT"]) {
  const username = uniqueName();
  const { id } = await createStaffAccount({ username, displayName: "客服 陳小姐", password: PASSWORD, roles });
  return { id, username };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const serialised = (value: unknown) => JSON.stringify(value, (_, v: unknown) => (typeof v === "bigint" ? String(v) : v));
const auditOf = (action: string, subjectId?: string) =>
  prisma.auditEvent.findMany({ where: { action, ...(subjectId ? { subjectId } : {}) }, orderBy: { id: "asc" } });

describe("createStaffAccount", () => {
  it("stores a lower-case username, a scrypt hash and the roles, and audits it without the password", async () => {
    const username = uniqueName();
    const { id } = await createStaffAccount({ username: ` ${username.toUpperCase()} `, displayName: "戶政 林先生", password: PASSWORD, roles: ["REGISTRAR", "REGISTRAR"] });
    const row = await prisma.staffAccount.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ username, displayName: "戶政 林先生", roles: ["REGISTRAR"], failedSignIns: 0 });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
    const [event] = await auditOf("staff.account_created", id);
    expect(event).toMatchObject({ actorType: "SYSTEM", details: { roles: "REGISTRAR" } });
    expect(serialised(event)).not.toContain(PASSWORD);

    const creator = await newAccount(["ADMIN"]);
    const made = await createStaffAccount({ username: uniqueName(), displayName: "x", password: PASSWORD, roles: ["SUPPORT"], createdBy: creator });
    expect((await auditOf("staff.account_created", made.id))[0]).toMatchObject({ actorType: "STAFF", actorId: creator.id });
  });

  it("refuses bad usernames, short passwords, no roles and a taken username", async () => {
    const base = { displayName: "x", password: PASSWORD, roles: ["SUPPORT" as const] };
    expect((await refusal(createStaffAccount({ ...base, username: "ab" }))).code).toBe("USERNAME_FORMAT");
    expect((await refusal(createStaffAccount({ ...base, username: "has space" }))).code).toBe("USERNAME_FORMAT");
    expect((await refusal(createStaffAccount({ ...base, username: uniqueName(), password: "elevenchars" }))).code).toBe("WEAK_PASSWORD");
    expect((await refusal(createStaffAccount({ ...base, username: uniqueName(), roles: [] }))).code).toBe("ROLES_REQUIRED");
    const { username } = await newAccount();
    const taken = await refusal(createStaffAccount({ ...base, username }));
    expect([taken.code, taken.status]).toEqual(["USERNAME_TAKEN", 409]);
  });
});

describe("authenticateStaff", () => {
  it("accepts the right password (any case of the username) as the first step only: the counter stays until the second factor", async () => {
    const { id, username } = await newAccount(["SUPPORT", "REGISTRAR"]);
    await prisma.staffAccount.update({ where: { id }, data: { failedSignIns: 3 } });
    const now = new Date("2026-11-23T02:00:00Z");
    const member = await authenticateStaff({ username: username.toUpperCase(), password: PASSWORD, ip: uniqueIp(), now });
    expect(member).toEqual({ id, username, displayName: "客服 陳小姐", roles: ["SUPPORT", "REGISTRAR"], totpEnrolled: false, passwordChangeRequired: true });
    // Knowing the password buys no fresh guesses at the code; the full sign-in clears the counter.
    expect(await prisma.staffAccount.findUniqueOrThrow({ where: { id } })).toMatchObject({ failedSignIns: 3, lastSignInAt: null });
    expect(await auditOf("staff.signed_in", id)).toHaveLength(0);
    expect((await auditOf("staff.password_accepted", id)).map((e) => e.details)).toEqual([{ next: "totp_enrolment", password_change_required: true }]);

    await enrolStaffTotpForDemo(username, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    expect((await authenticateStaff({ username, password: PASSWORD, ip: uniqueIp(), now })).totpEnrolled).toBe(true);
  });

  it("refuses a wrong password and an unknown username with the same message, auditing the real reason", async () => {
    const { id, username } = await newAccount();
    const wrong = await refusal(authenticateStaff({ username, password: "not the password", ip: uniqueIp() }));
    const unknown = await refusal(authenticateStaff({ username: uniqueName(), password: PASSWORD, ip: uniqueIp() }));
    for (const error of [wrong, unknown]) expect([error.code, error.status, error.userMessage]).toEqual(["SIGN_IN_FAILED", 401, SIGN_IN_FAILED_MESSAGE]);
    expect((await prisma.staffAccount.findUniqueOrThrow({ where: { id } })).failedSignIns).toBe(1);
    const failures = await auditOf("staff.sign_in_failed");
    expect(failures.map((e) => [e.subjectId, e.details])).toEqual([
      [id, { code: "WRONG_PASSWORD" }],
      [null, { code: "UNKNOWN_USERNAME" }],
    ]);
    expect(serialised(failures)).not.toContain("not the password");
  });

  it("locks the account on the 5th wrong password in a row; the right one is refused until locked_until passes", async () => {
    const { id, username } = await newAccount();
    const t0 = new Date("2026-11-23T02:00:00Z");
    const ip = uniqueIp();
    for (let i = 0; i < 4; i++) await refusal(authenticateStaff({ username, password: `wrong password ${i}`, ip, now: t0 }));
    expect(await prisma.staffAccount.findUniqueOrThrow({ where: { id } })).toMatchObject({ failedSignIns: 4, lockedUntil: null });
    expect(await auditOf("staff.locked_out", id)).toHaveLength(0);

    await refusal(authenticateStaff({ username, password: "wrong password 5", ip, now: t0 }));
    const lockedUntil = new Date(t0.getTime() + 15 * 60_000);
    expect(await prisma.staffAccount.findUniqueOrThrow({ where: { id } })).toMatchObject({ failedSignIns: 5, lockedUntil });
    expect(await auditOf("staff.locked_out", id)).toHaveLength(1);

    const whileLocked = await refusal(authenticateStaff({ username, password: PASSWORD, ip, now: new Date(lockedUntil.getTime() - 1) }));
    expect(whileLocked.userMessage).toEqual(SIGN_IN_FAILED_MESSAGE);
    expect((await auditOf("staff.sign_in_failed", id)).at(-1)?.details).toEqual({ code: "ACCOUNT_LOCKED" });
    // Tries while locked do not count towards the next lock.
    expect((await prisma.staffAccount.findUniqueOrThrow({ where: { id } })).failedSignIns).toBe(5);

    const member = await authenticateStaff({ username, password: PASSWORD, ip, now: lockedUntil });
    expect(member.id).toBe(id);
    // The lock has passed; the counter runs on (the next lock comes at 10) until a full sign-in clears it.
    expect(await prisma.staffAccount.findUniqueOrThrow({ where: { id } })).toMatchObject({ failedSignIns: 5 });
  });

  it("counts parallel wrong passwords exactly (one UPDATE each) and locks once", async () => {
    const { id, username } = await newAccount();
    const now = new Date("2026-11-23T02:00:00Z");
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => refusal(authenticateStaff({ username, password: `parallel wrong ${i}`, ip: uniqueIp(), now }))),
    );
    const row = await prisma.staffAccount.findUniqueOrThrow({ where: { id } });
    // Each of the 8 read the account unlocked; the 5th UPDATE locked it and the other 3 found it locked.
    expect(row.failedSignIns).toBe(5);
    expect(row.lockedUntil).toEqual(new Date(now.getTime() + 15 * 60_000));
    expect(await auditOf("staff.locked_out", id)).toHaveLength(1);
  });

  it("refuses a disabled account even with the right password, auditing ACCOUNT_DISABLED", async () => {
    const { id, username } = await newAccount();
    await prisma.staffAccount.update({ where: { id }, data: { disabledAt: new Date() } });
    const error = await refusal(authenticateStaff({ username, password: PASSWORD, ip: uniqueIp() }));
    expect(error.userMessage).toEqual(SIGN_IN_FAILED_MESSAGE);
    expect((await auditOf("staff.sign_in_failed", id))[0]?.details).toEqual({ code: "ACCOUNT_DISABLED" });
    expect(await loadStaffMember(id)).toBeNull();
  });

  it("rate-limits failures per username (known or not) and per address, before checking anything", { timeout: 90_000 }, async () => {
    const { username } = await newAccount();
    const later = new Date("2026-11-23T05:00:00Z");
    // Spread over lock periods so the account lock is not what stops it.
    for (let i = 0; i < STAFF_SIGN_IN_LIMITS.username.max; i++) {
      await refusal(authenticateStaff({ username, password: `wrong ${i}`, ip: uniqueIp(), now: new Date(later.getTime() + i * 16 * 60_000) }));
    }
    const limited = await refusal(authenticateStaff({ username, password: PASSWORD, ip: uniqueIp(), now: new Date(later.getTime() + 4 * 3600_000) }));
    expect([limited.code, limited.status]).toEqual(["TOO_MANY_ATTEMPTS", 429]);
    expect(limited.retryAfterSeconds).toBeGreaterThan(0);

    const ip = uniqueIp();
    for (let i = 0; i < STAFF_SIGN_IN_LIMITS.ip.max; i++) {
      await refusal(authenticateStaff({ username: `nobody-${i}`, password: "whatever password", ip }));
    }
    const other = await newAccount();
    expect((await refusal(authenticateStaff({ username: other.username, password: PASSWORD, ip }))).code).toBe("TOO_MANY_ATTEMPTS");
    // Another address is not affected.
    expect((await authenticateStaff({ username: other.username, password: PASSWORD, ip: uniqueIp() })).id).toBe(other.id);
  });
});
