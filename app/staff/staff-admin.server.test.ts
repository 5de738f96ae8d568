import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { authenticateStaff, createStaffAccount, loadStaffMember, type StaffMember } from "./staff-accounts.server";
import {
  changeStaffRoles, createStaffAccountByAdmin, disableStaffAccount, enableStaffAccount, findStaffAccountForAdmin, listStaffAccounts,
  resetStaffTotp, unlockStaffAccount,
} from "./staff-admin.server";
import { startStaffSession, staffFromRequest } from "./staff-session.server";
import { enrolStaffTotpForDemo } from "./totp.server";

const PASSWORD = "long enough password";
const REASON = "依人事異動單 2026-114 辦理";
let sequence = 0;

async function newMember(roles: StaffMember["roles"], prefix = "adm"): Promise<StaffMember> {
  const username = `${prefix}.${++sequence}.${Date.now().toString(36)}`;
  const { id } = await createStaffAccount({ username, displayName: `人員 ${sequence}`, password: PASSWORD, roles });
  return { id, username, displayName: `人員 ${sequence}`, roles };
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const row = (id: string) => prisma.staffAccount.findUniqueOrThrow({ where: { id } });
const auditOf = (action: string, subjectId: string) => prisma.auditEvent.findMany({ where: { action, subjectId }, orderBy: { id: "asc" } });

let admin: StaffMember;
let support: StaffMember;
beforeAll(async () => {
  [admin, support] = await Promise.all([newMember(["ADMIN"]), newMember(["SUPPORT"])]);
});

describe("staff administration", () => {
  it("is for ADMIN only, whatever the caller passes: other roles and a stale admin are refused, nothing changes", async () => {
    const target = await newMember(["FINANCE"]);
    const asSupport = { actor: support, staffId: target.id, reason: REASON };
    const refusals = await Promise.all([
      refusal(listStaffAccounts({ actor: support })),
      refusal(findStaffAccountForAdmin({ actor: support, staffId: target.id })),
      refusal(createStaffAccountByAdmin({ actor: support, username: "x.new", displayName: "x", roles: ["SUPPORT"], password: PASSWORD, reason: REASON })),
      refusal(changeStaffRoles({ ...asSupport, roles: ["ADMIN"] })),
      refusal(disableStaffAccount(asSupport)),
      refusal(enableStaffAccount(asSupport)),
      refusal(resetStaffTotp(asSupport)),
      refusal(unlockStaffAccount(asSupport)),
    ]);
    for (const error of refusals) expect([error.code, error.status]).toEqual(["FORBIDDEN", 403]);
    // Roles in the session's copy are not trusted for a change: the database must say ADMIN too.
    const stale = { ...support, roles: ["ADMIN" as const] };
    expect((await refusal(disableStaffAccount({ actor: stale, staffId: target.id, reason: REASON }))).code).toBe("FORBIDDEN");
    expect(await row(target.id)).toMatchObject({ roles: ["FINANCE"], disabledAt: null });
    expect(await prisma.auditEvent.count({ where: { actorId: support.id } })).toBe(0);
  });

  it("creates an account with a reason; the new member has no authenticator and enrols at first sign-in", async () => {
    const { id } = await createStaffAccountByAdmin({ actor: admin, username: "New.Registrar", displayName: "戶政 王先生", roles: ["REGISTRAR"], password: PASSWORD, reason: REASON });
    expect(await row(id)).toMatchObject({ username: "new.registrar", roles: ["REGISTRAR"], totpEnabledAt: null, totpSecretEnc: null });
    expect((await auditOf("staff.account_created", id)).map((e) => [e.actorType, e.actorId, e.reason])).toEqual([["STAFF", admin.id, REASON]]);
    expect((await authenticateStaff({ username: "new.registrar", password: PASSWORD, ip: "10.3.3.3" })).totpEnrolled).toBe(false);
    expect((await refusal(createStaffAccountByAdmin({ actor: admin, username: "another", displayName: "x", roles: ["SUPPORT"], password: PASSWORD, reason: "hi" }))).code).toBe("REASON_REQUIRED");
    expect((await refusal(createStaffAccountByAdmin({ actor: admin, username: "new.registrar", displayName: "x", roles: ["SUPPORT"], password: PASSWORD, reason: REASON }))).code).toBe("USERNAME_TAKEN");
  });

  it("changes roles with who/when/why; nobody changes their own roles (the refusal is audited)", async () => {
    const target = await newMember(["SUPPORT"]);
    await changeStaffRoles({ actor: admin, staffId: target.id, roles: ["FINANCE", "SUPPORT"], reason: REASON });
    expect((await row(target.id)).roles).toEqual(["SUPPORT", "FINANCE"]);
    const [event] = await auditOf("staff.roles_changed", target.id);
    expect(event).toMatchObject({ actorId: admin.id, reason: REASON, details: { from: "SUPPORT", to: "SUPPORT,FINANCE" } });
    expect(event!.occurredAt).toBeInstanceOf(Date);
    expect((await refusal(changeStaffRoles({ actor: admin, staffId: target.id, roles: ["FINANCE", "SUPPORT"], reason: REASON }))).code).toBe("ROLES_UNCHANGED");
    expect((await refusal(changeStaffRoles({ actor: admin, staffId: target.id, roles: [], reason: REASON }))).code).toBe("ROLES_REQUIRED");
    expect((await refusal(changeStaffRoles({ actor: admin, staffId: target.id, roles: ["ADMIN"], reason: " " }))).code).toBe("REASON_REQUIRED");

    // Issue 13 (Money): an ADMIN could give themselves FINANCE and then import bank files alone.
    for (const roles of [["SUPPORT"], ["ADMIN", "FINANCE"]] as const) {
      const self = await refusal(changeStaffRoles({ actor: admin, staffId: admin.id, roles: [...roles], reason: REASON }));
      expect([self.code, self.status]).toEqual(["SELF_ROLES_CHANGE", 409]);
      expect(self.userMessage["zh-TW"]).toContain("不能變更自己的角色");
      expect(self.userMessage.en).toContain("cannot change your own roles");
    }
    expect((await row(admin.id)).roles).toEqual(["ADMIN"]);
    const refused = await auditOf("staff.roles_change_refused", admin.id);
    expect(refused.map((e) => [e.actorId, e.reason, e.details])).toEqual([
      [admin.id, REASON, { code: "SELF_ROLES_CHANGE", to: "SUPPORT" }],
      [admin.id, REASON, { code: "SELF_ROLES_CHANGE", to: "FINANCE,ADMIN" }],
    ]);
    expect((await refusal(changeStaffRoles({ actor: admin, staffId: "01900000-0000-7000-8000-000000000000", roles: ["SUPPORT"], reason: REASON }))).code).toBe("STAFF_NOT_FOUND");
  });

  it("disables (signing the member out at once) and enables with a reason; an admin cannot disable themselves", async () => {
    const target = await newMember(["SUPPORT"]);
    const self = await refusal(disableStaffAccount({ actor: admin, staffId: admin.id, reason: REASON }));
    expect([self.code, self.status]).toEqual(["SELF_DISABLE", 409]);
    const now = new Date("2026-11-23T03:00:00Z");
    await disableStaffAccount({ actor: admin, staffId: target.id, reason: REASON, now });
    expect((await row(target.id)).disabledAt).toEqual(now);
    expect(await loadStaffMember(target.id)).toBeNull();
    expect((await refusal(disableStaffAccount({ actor: admin, staffId: target.id, reason: REASON }))).code).toBe("ALREADY_DISABLED");
    await enableStaffAccount({ actor: admin, staffId: target.id, reason: "人員復職，主管核准" });
    expect(await loadStaffMember(target.id)).not.toBeNull();
    expect((await refusal(enableStaffAccount({ actor: admin, staffId: target.id, reason: REASON }))).code).toBe("NOT_DISABLED");
    expect((await auditOf("staff.disabled", target.id)).map((e) => [e.actorId, e.reason])).toEqual([[admin.id, REASON]]);
    expect((await auditOf("staff.enabled", target.id)).map((e) => e.reason)).toEqual(["人員復職，主管核准"]);
  });

  it("of two admins disabling each other at once, only one succeeds: there is always an admin", async () => {
    const [a, b] = await Promise.all([newMember(["ADMIN"]), newMember(["ADMIN"])]);
    const results = await Promise.allSettled([
      disableStaffAccount({ actor: a, staffId: b.id, reason: REASON }),
      disableStaffAccount({ actor: b, staffId: a.id, reason: REASON }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as AppError).code).toBe("FORBIDDEN");
    const disabled = await prisma.staffAccount.count({ where: { id: { in: [a.id, b.id] }, disabledAt: { not: null } } });
    expect(disabled).toBe(1);
  });

  it("resets an authenticator (the member enrols again, their sessions end) and lifts a sign-in lock, each audited with the reason", async () => {
    const target = await newMember(["FINANCE"]);
    expect((await refusal(resetStaffTotp({ actor: admin, staffId: target.id, reason: REASON }))).code).toBe("NO_AUTHENTICATOR");
    await enrolStaffTotpForDemo(target.username, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
    await prisma.staffAccount.update({ where: { id: target.id }, data: { totpLastStep: 42n } });
    // A session signed in with the old authenticator (a lost phone) ends with the reset, on every replica.
    const oldSession = new Request("http://localhost/staff", { headers: { Cookie: (await startStaffSession(new Request("http://localhost"), target)).get("Set-Cookie")!.split(";")[0]! } });
    expect(await staffFromRequest(oldSession)).toMatchObject({ id: target.id });
    await resetStaffTotp({ actor: admin, staffId: target.id, reason: "人員更換手機" });
    expect(await staffFromRequest(oldSession)).toBeNull();
    // Signed in after the reset (a second later than it, not the same millisecond): valid.
    const later = new Date(Date.now() + 1_000);
    const newSession = new Request("http://localhost/staff", { headers: { Cookie: (await startStaffSession(new Request("http://localhost"), target, later)).get("Set-Cookie")!.split(";")[0]! } });
    expect(await staffFromRequest(newSession)).toMatchObject({ id: target.id });
    expect(await row(target.id)).toMatchObject({ totpSecretEnc: null, totpEnabledAt: null, totpLastStep: null });
    expect((await auditOf("staff.totp_reset", target.id)).map((e) => [e.actorId, e.reason, e.details])).toEqual([[admin.id, "人員更換手機", { wasEnrolled: true }]]);
    expect((await authenticateStaff({ username: target.username, password: PASSWORD, ip: "10.3.3.4" })).totpEnrolled).toBe(false);

    const now = new Date("2026-11-23T03:00:00Z");
    expect((await refusal(unlockStaffAccount({ actor: admin, staffId: target.id, reason: REASON, now }))).code).toBe("NOT_LOCKED");
    await prisma.staffAccount.update({ where: { id: target.id }, data: { failedSignIns: 5, lockedUntil: new Date(now.getTime() + 600_000) } });
    await unlockStaffAccount({ actor: admin, staffId: target.id, reason: "本人來電確認", now });
    expect(await row(target.id)).toMatchObject({ failedSignIns: 0, lockedUntil: null });
    expect((await auditOf("staff.unlocked", target.id)).map((e) => [e.actorId, e.reason, e.details])).toEqual([[admin.id, "本人來電確認", { wasLocked: true, failedSignIns: 5 }]]);
  });

  it("lists accounts a page at a time in username order (keyset), with their state, and shows one account; both audited", async () => {
    const made = [];
    for (const letter of ["c", "a", "b"]) {
      const { id } = await createStaffAccount({ username: `list.${letter}`, displayName: `清單 ${letter}`, password: PASSWORD, roles: ["SUPPORT"] });
      made.push(id);
    }
    const now = new Date("2026-11-23T03:00:00Z");
    await prisma.staffAccount.update({ where: { username: "list.a" }, data: { lockedUntil: new Date(now.getTime() + 60_000) } });
    await prisma.staffAccount.update({ where: { username: "list.b" }, data: { lockedUntil: new Date(now.getTime() - 60_000), disabledAt: now } });
    await enrolStaffTotpForDemo("list.c", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");

    const first = await listStaffAccounts({ actor: admin, after: "list.", limit: 2, now });
    expect(first.rows.map((r) => r.username)).toEqual(["list.a", "list.b"]);
    expect(first.nextAfter).toBe("list.b");
    expect(first.rows[0]).toMatchObject({ lockedUntil: new Date(now.getTime() + 60_000).toISOString(), disabledAt: null, totpEnrolled: false });
    // A lock that has passed is not shown as one.
    expect(first.rows[1]).toMatchObject({ lockedUntil: null, disabledAt: now.toISOString() });
    const second = await listStaffAccounts({ actor: admin, after: first.nextAfter, limit: 2, now });
    expect(second.rows[0]).toMatchObject({ username: "list.c", totpEnrolled: true, lastSignInAt: null });
    const everyone = await listStaffAccounts({ actor: admin, limit: 200 });
    expect(everyone.nextAfter).toBeNull();
    expect(everyone.rows.map((r) => r.username)).toEqual([...everyone.rows.map((r) => r.username)].sort());
    expect(await prisma.auditEvent.count({ where: { action: "staff.accounts_listed", actorId: admin.id } })).toBeGreaterThanOrEqual(3);

    const view = await findStaffAccountForAdmin({ actor: admin, staffId: admin.id });
    expect(view).toMatchObject({ id: admin.id, isSelf: true, failedSignIns: 0 });
    expect((await findStaffAccountForAdmin({ actor: admin, staffId: made[0]! }))?.isSelf).toBe(false);
    expect(await auditOf("staff.account_viewed", made[0]!)).toHaveLength(1);
    expect(await findStaffAccountForAdmin({ actor: admin, staffId: "not-a-uuid" })).toBeNull();
  });
});
