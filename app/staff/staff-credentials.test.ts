// Staff passwords after the account exists (issue 13), through the routes as Remix calls them: a password someone
// else chose is replaced before any page opens; members change their own; an admin's reset gives a one-time,
// expiring code and never the password, and signs the member out; re-enrolling after a reset needs the new password.
import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { formPost, settle } from "../../test/support/route-requests";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";
import { action as adminAction } from "~/routes/staff.admin.$staffId";
import { action as enrolAction, loader as enrolLoader } from "~/routes/staff.enrol";
import { loader as homeLoader } from "~/routes/staff._index";
import { action as loginAction } from "~/routes/staff.login";
import { action as codeAction } from "~/routes/staff.login_.code";
import { action as passwordAction, loader as passwordLoader } from "~/routes/staff.password";
import { action as resetAction } from "~/routes/staff.password_.reset";
import { authenticateStaff, createStaffAccount } from "./staff-accounts.server";
import { issueStaffPasswordReset, resetStaffTotp } from "./staff-admin.server";
import { changeStaffPassword, redeemStaffPasswordReset, STAFF_PASSWORD_RESET_MINUTES } from "./staff-password.server";
import { staffFromRequest, startStaffSession } from "./staff-session.server";
import { base32Decode, base32Encode, enrolStaffTotpForDemo, totpCodeFor } from "./totp.server";

const BASE = "http://localhost";
const GIVEN = "given by the admin 2026";
const OWN = "my own long passphrase";
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const REASON = "本人來電，已核對身分";

type Failure = { data: { formError?: Record<string, string>; fieldErrors?: Record<string, Record<string, string>> }; init: { status: number } };

let ipSequence = 0;
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: { clientIp: `10.8.0.${++ipSequence % 250}` } });
const cookieOf = (r: Response | Headers) => (r instanceof Response ? r.headers : r).get("Set-Cookie")!.split(";")[0]!;
const get = (path: string, cookie?: string) => new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
const post = (path: string, fields: Record<string, string>, cookie?: string) => formPost(`${BASE}${path}`, fields, { cookie });
const audits = (subjectId: string) => prisma.auditEvent.findMany({ where: { subjectId }, orderBy: { id: "asc" } });
const account = (id: string) => prisma.staffAccount.findUniqueOrThrow({ where: { id } });
const login = async (username: string, password: string, next = "/staff/activation") =>
  (await loginAction(args(post("/staff/login", { username, password, next })))) as Response;
const location = (r: unknown) => (r as Response).headers.get("Location");

async function newMember(roles: Array<"SUPPORT" | "ADMIN"> = ["SUPPORT"]) {
  const username = `cred.${randomBytes(4).toString("hex")}`;
  const { id } = await createStaffAccount({ username, displayName: "密碼測試", password: GIVEN, roles });
  return { id, username, roles };
}

/** An admin already signed in with their own password and authenticator. */
async function signedInAdmin() {
  const admin = await newMember(["ADMIN"]);
  await enrolStaffTotpForDemo(admin.username, SECRET);
  return { ...admin, cookie: cookieOf(await startStaffSession(get("/"), admin)) };
}

beforeEach(async () => {
  const keys = await redis().keys(`${env().QUEUE_PREFIX}:ratelimit:*`);
  if (keys.length) await redis().del(...keys);
});

describe("a password someone else chose", () => {
  it("holds a new member's first sign-in on the password page before any page, then enrolment, then where they were going", async () => {
    const { id, username } = await newMember();
    const first = await login(username, GIVEN);
    expect(location(first)).toBe("/staff/password");
    const pending = cookieOf(first);
    // Nothing else opens: not the back office, not the enrolment page.
    expect(await staffFromRequest(get("/staff", pending))).toBeNull();
    expect(location(await settle(homeLoader(args(get("/staff", pending)))))).toBe("/staff/password");
    expect(location(await settle(enrolLoader(args(get("/staff/enrol", pending)))))).toBe("/staff/password");
    expect(location(await enrolAction(args(post("/staff/enrol", { code: "123456" }, pending))))).toBe("/staff/login?expired");
    expect(await passwordLoader(args(get("/staff/password", pending)))).toEqual({ forced: true, done: false });

    const same = (await passwordAction(args(post("/staff/password", { currentPassword: GIVEN, password: GIVEN, passwordConfirm: GIVEN }, pending)))) as unknown as Failure;
    expect([same.init.status, same.data.fieldErrors?.password?.en]).toEqual([400, "The new password must differ from the current one."]);
    const short = (await passwordAction(args(post("/staff/password", { currentPassword: GIVEN, password: "too short", passwordConfirm: "too short" }, pending)))) as unknown as Failure;
    expect(short.data.fieldErrors?.password?.["zh-TW"]).toContain("12");

    const changed = (await passwordAction(args(post("/staff/password", { currentPassword: GIVEN, password: OWN, passwordConfirm: OWN }, pending)))) as Response;
    expect([changed.status, location(changed)]).toEqual([303, "/staff/enrol"]);
    const enrolling = cookieOf(changed);
    const page = (await enrolLoader(args(get("/staff/enrol", enrolling)))) as { groupedSecret: string };
    const secret = base32Encode(base32Decode(page.groupedSecret));
    const done = (await enrolAction(args(post("/staff/enrol", { code: totpCodeFor(secret, new Date()) }, enrolling)))) as Response;
    expect(location(done)).toBe("/staff/activation");
    expect((await staffFromRequest(get("/staff", cookieOf(done))))?.id).toBe(id);

    expect(await account(id)).toMatchObject({ passwordChangeRequired: false });
    await expect(authenticateStaff({ username, password: GIVEN, ip: "10.8.1.1" })).rejects.toMatchObject({ code: "SIGN_IN_FAILED" });
    expect((await login(username, OWN)).headers.get("Location")).toBe("/staff/login/code");
    const changedEvent = (await audits(id)).find((e) => e.action === "staff.password_changed");
    expect(changedEvent).toMatchObject({ actorType: "STAFF", actorId: id, details: { forced: true } });
    expect(JSON.stringify((await audits(id)).map((e) => [e.details, e.reason]))).not.toContain(OWN);
  });

  it("asks an enrolled member with such a password for the code first, then the new password", async () => {
    const { id, username } = await newMember();
    await enrolStaffTotpForDemo(username, SECRET);
    await prisma.staffAccount.update({ where: { id }, data: { passwordChangeRequired: true } }); // as the migration leaves old accounts
    const pending = cookieOf(await login(username, GIVEN, "/staff/support"));
    const coded = (await codeAction(args(post("/staff/login/code", { code: totpCodeFor(SECRET, new Date(Date.now() + 30_000)) }, pending)))) as Response;
    expect(location(coded)).toBe("/staff/password");
    expect(await staffFromRequest(get("/staff", cookieOf(coded)))).toBeNull();
    const changed = (await passwordAction(args(post("/staff/password", { currentPassword: GIVEN, password: OWN, passwordConfirm: OWN }, cookieOf(coded))))) as Response;
    expect(location(changed)).toBe("/staff/support");
    expect((await staffFromRequest(get("/staff", cookieOf(changed))))?.id).toBe(id);
  });
});

describe("members change their own password", () => {
  it("needs the current password (a wrong one is refused, counted and audited) and the new one twice; other sessions end", async () => {
    const { id, username } = await newMember();
    await enrolStaffTotpForDemo(username, SECRET);
    const elsewhere = cookieOf(await startStaffSession(get("/"), { id }, new Date(Date.now() - 60_000)));
    const here = cookieOf(await startStaffSession(get("/"), { id }, new Date(Date.now() - 30_000)));
    expect(await passwordLoader(args(get("/staff/password", here)))).toEqual({ forced: false, done: false });

    const wrong = (await passwordAction(args(post("/staff/password", { currentPassword: "not my password", password: OWN, passwordConfirm: OWN }, here)))) as unknown as Failure;
    expect(wrong.init.status).toBe(400);
    expect(wrong.data.fieldErrors?.currentPassword?.en).toMatch(/current password is wrong/);
    expect((await account(id)).failedSignIns).toBe(1);
    expect((await audits(id)).filter((e) => e.action === "staff.password_change_refused").map((e) => [e.actorId, e.details]))
      .toEqual([[id, { code: "CURRENT_PASSWORD_WRONG" }]]);
    const differ = (await passwordAction(args(post("/staff/password", { currentPassword: GIVEN, password: OWN, passwordConfirm: `${OWN}!` }, here)))) as unknown as Failure;
    expect(differ.data.fieldErrors?.passwordConfirm?.en).toBe("The two entries of the new password differ.");
    expect(await authenticateStaff({ username, password: GIVEN, ip: "10.8.1.2" })).toMatchObject({ id });

    const done = (await passwordAction(args(post("/staff/password", { currentPassword: GIVEN, password: OWN, passwordConfirm: OWN }, here)))) as Response;
    expect(location(done)).toBe("/staff/password?done");
    expect((await staffFromRequest(get("/staff", cookieOf(done))))?.id).toBe(id);
    expect(await staffFromRequest(get("/staff", elsewhere))).toBeNull();
    await expect(authenticateStaff({ username, password: GIVEN, ip: "10.8.1.3" })).rejects.toMatchObject({ code: "SIGN_IN_FAILED" });
    expect((await audits(id)).filter((e) => e.action === "staff.password_changed").map((e) => e.details)).toEqual([{ forced: false }]);
    // No session at all: sign in first.
    expect(location(await settle(passwordLoader(args(get("/staff/password")))))).toBe("/staff/login?next=%2Fstaff%2Fpassword");
  });
});

describe("an admin's password reset", () => {
  it("gives the admin a one-time code, never the password; the code works once and the member is signed out", async () => {
    const admin = await signedInAdmin();
    const member = await newMember();
    await enrolStaffTotpForDemo(member.username, SECRET);
    const session = cookieOf(await startStaffSession(get("/"), member, new Date(Date.now() - 1000)));

    const answer = (await adminAction(args(post(`/staff/admin/${member.id}`, { intent: "reset-password", reason: REASON }, admin.cookie), { staffId: member.id }))) as unknown as { data: { issued: { code: string; expiresAt: string } }; init: unknown };
    const { code, expiresAt } = answer.data.issued;
    expect(code).toMatch(/^[A-Z2-7]{5}(-[A-Z2-7]{5}){3}$/);
    expect(Object.keys(answer.data.issued).sort()).toEqual(["code", "expiresAt"]);
    expect(new Date(expiresAt).getTime() - Date.now()).toBeGreaterThan((STAFF_PASSWORD_RESET_MINUTES - 1) * 60_000);
    expect(await staffFromRequest(get("/staff", session))).toBeNull();
    await expect(authenticateStaff({ username: member.username, password: GIVEN, ip: "10.8.2.1" })).rejects.toMatchObject({ code: "SIGN_IN_FAILED" });
    const stored = await account(member.id);
    expect(stored.passwordResetHash).not.toContain(code.replace(/-/g, ""));

    const set = (await resetAction(args(post("/staff/password/reset", { username: member.username, code: code.toLowerCase(), password: OWN, passwordConfirm: OWN })))) as Response;
    expect(location(set)).toBe("/staff/login?passwordSet");
    expect((await login(member.username, OWN)).headers.get("Location")).toBe("/staff/login/code");
    const again = (await resetAction(args(post("/staff/password/reset", { username: member.username, code, password: "someone else's pass", passwordConfirm: "someone else's pass" })))) as unknown as Failure;
    expect([again.init.status, again.data.fieldErrors?.code?.en]).toEqual([400, expect.stringMatching(/used already or has expired/)]);

    const trail = await audits(member.id);
    expect(trail.find((e) => e.action === "staff.password_reset_issued")).toMatchObject({ actorId: admin.id, reason: REASON, details: { validMinutes: 30 } });
    expect(trail.find((e) => e.action === "staff.password_reset_completed")).toMatchObject({ actorType: "STAFF", actorId: member.id });
    expect(trail.filter((e) => e.action === "staff.password_reset_failed").map((e) => e.details)).toEqual([{ why: "wrong_code" }]);
    const events = await prisma.auditEvent.findMany({ where: { OR: [{ subjectId: member.id }, { actorId: admin.id }] } });
    const text = JSON.stringify(events.map((e) => [e.details, e.reason]));
    for (const secret of [code, code.replace(/-/g, ""), OWN]) expect(text).not.toContain(secret);
  });

  it("a code stops working after 30 minutes, and an admin cannot reset their own", async () => {
    const admin = await signedInAdmin();
    const member = await newMember();
    const t0 = new Date(Date.now() - 60 * 60_000);
    const { code } = await issueStaffPasswordReset({ actor: admin, staffId: member.id, reason: REASON, now: t0 });
    const late = new Date(t0.getTime() + STAFF_PASSWORD_RESET_MINUTES * 60_000 + 1000);
    await expect(redeemStaffPasswordReset({ username: member.username, code, newPassword: OWN, confirmation: OWN, ip: "10.8.3.1", now: late }))
      .rejects.toMatchObject({ code: "RESET_CODE_INVALID", status: 400 });
    expect((await audits(member.id)).filter((e) => e.action === "staff.password_reset_failed").map((e) => e.details)).toEqual([{ why: "expired" }]);
    await expect(issueStaffPasswordReset({ actor: admin, staffId: admin.id, reason: REASON })).rejects.toMatchObject({ code: "SELF_PASSWORD_RESET" });
  });

  it("re-enrolling an authenticator after a reset needs the member's new password", async () => {
    const admin = await signedInAdmin();
    const member = await newMember();
    await enrolStaffTotpForDemo(member.username, SECRET);
    await resetStaffTotp({ actor: admin, staffId: member.id, reason: REASON });
    const { code } = await issueStaffPasswordReset({ actor: admin, staffId: member.id, reason: REASON });

    // The password the admin once chose (or any guess) reaches no enrolment page.
    const old = (await login(member.username, GIVEN)) as unknown as Failure;
    expect(old.init.status).toBe(401);
    await redeemStaffPasswordReset({ username: member.username, code, newPassword: OWN, confirmation: OWN, ip: "10.8.4.1" });
    const pending = await login(member.username, OWN);
    expect(location(pending)).toBe("/staff/enrol");
    expect(await enrolLoader(args(get("/staff/enrol", cookieOf(pending))))).toMatchObject({ username: member.username });
  });
});

describe("changeStaffPassword", () => {
  it("refuses a disabled account", async () => {
    const member = await newMember();
    await prisma.staffAccount.update({ where: { id: member.id }, data: { disabledAt: new Date() } });
    await expect(changeStaffPassword({ staffId: member.id, currentPassword: GIVEN, newPassword: OWN, confirmation: OWN, ip: "10.8.5.1" }))
      .rejects.toMatchObject({ code: "SIGN_IN_AGAIN" });
  });
});
