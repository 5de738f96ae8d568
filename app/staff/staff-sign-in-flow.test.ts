// Signing in through the routes as Remix calls them: password → pending session → code (or enrolment) → full
// session. Real Redis sessions, real PostgreSQL counters and audit rows; codes computed from the known secret.
import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { formPost, settle } from "../../test/support/route-requests";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";
import { action as enrolAction, loader as enrolLoader } from "~/routes/staff.enrol";
import { loader as homeLoader } from "~/routes/staff._index";
import { action as loginAction } from "~/routes/staff.login";
import { action as codeAction, loader as codeLoader } from "~/routes/staff.login_.code";
import { loader as layoutLoader } from "~/routes/staff";
import { createStaffAccount } from "./staff-accounts.server";
import { CODE_WRONG_MESSAGE } from "./staff-second-factor.server";
import {
  pendingStaffFromRequest, requireStaff, staffFromRequest, staffReturnPath, startPendingStaffSession, startStaffSession,
  STAFF_PENDING_MAX_SECONDS,
} from "./staff-session.server";
import { base32Decode, base32Encode, enrolStaffTotpForDemo, totpCodeFor } from "./totp.server";

const BASE = "http://localhost";
const PASSWORD = "long enough password";
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

type Failure = { data: { formError?: Record<string, string>; fieldErrors?: Record<string, Record<string, string>> }; init: { status: number } };

let ipSequence = 0;
const args = (request: Request) => ({ request, params: {}, context: { clientIp: `10.7.0.${++ipSequence % 250}` } });
const cookieOf = (r: Response | Headers) => (r instanceof Response ? r.headers : r).get("Set-Cookie")!.split(";")[0]!;
const get = (path: string, cookie?: string) => new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
const post = (path: string, fields: Record<string, string>, cookie?: string, origin?: string) => formPost(`${BASE}${path}`, fields, { cookie, origin });
const audit = (action: string, subjectId: string) => prisma.auditEvent.findMany({ where: { action, subjectId }, orderBy: { id: "asc" } });
const account = (id: string) => prisma.staffAccount.findUniqueOrThrow({ where: { id } });

async function member({ enrolled }: { enrolled: boolean }) {
  const username = `flow.${randomBytes(4).toString("hex")}`;
  const { id } = await createStaffAccount({ username, displayName: "流程測試", password: PASSWORD, roles: ["SUPPORT"] });
  // As if the member had chosen it already: the forced change is staff-credentials.test.ts's subject.
  await prisma.staffAccount.update({ where: { id }, data: { passwordChangeRequired: false } });
  if (enrolled) await enrolStaffTotpForDemo(username, SECRET, new Date("2026-01-01T00:00:00Z"));
  return { id, username };
}

async function signInWithPassword(username: string, next = "/staff/activation"): Promise<Response> {
  return (await loginAction(args(post("/staff/login", { username, password: PASSWORD, next })))) as Response;
}

/** A code of the window that is not `used` (the next step's once the current one was taken). */
const freshCode = (offsetSteps = 0) => totpCodeFor(SECRET, new Date(Date.now() + offsetSteps * 30_000));

beforeEach(async () => {
  const keys = await redis().keys(`${env().QUEUE_PREFIX}:ratelimit:*`);
  if (keys.length) await redis().del(...keys);
});

describe("sign-in with an authenticator", () => {
  it("password → code page → full session back where the member was going, audited with the second factor", async () => {
    const { id, username } = await member({ enrolled: true });
    const login = await signInWithPassword(username);
    expect(login.headers.get("Location")).toBe("/staff/login/code");
    const pending = cookieOf(login);

    // A pending session opens nothing else: requireStaff sends it back to the code page; the layout lets the page show.
    expect(await staffFromRequest(get("/staff", pending))).toBeNull();
    const sentBack = (await settle(requireStaff(get("/staff/activation", pending), ["SUPPORT"]))) as Response;
    expect([sentBack.status, sentBack.headers.get("Location")]).toEqual([302, "/staff/login/code"]);
    expect(((await settle(homeLoader(args(get("/staff", pending))))) as Response).headers.get("Location")).toBe("/staff/login/code");
    expect(await layoutLoader(args(get("/staff/login/code", pending)))).toEqual({ member: null });
    expect(await codeLoader(args(get("/staff/login/code", pending)))).toBeNull();

    const done = (await codeAction(args(post("/staff/login/code", { code: freshCode() }, pending)))) as Response;
    expect([done.status, done.headers.get("Location")]).toEqual([303, "/staff/activation"]);
    const full = cookieOf(done);
    expect((await staffFromRequest(get("/staff", full)))?.id).toBe(id);
    expect(await requireStaff(get("/staff", full), ["SUPPORT"])).toMatchObject({ id, username });
    // The id rotated: the pending cookie is dead.
    expect(await pendingStaffFromRequest(get("/staff", pending))).toBeNull();
    expect((await audit("staff.signed_in", id)).map((e) => [e.actorId, e.details])).toEqual([[id, { second_factor: "totp" }]]);
    expect((await account(id)).lastSignInAt).not.toBeNull();
  });

  it("refuses a wrong code and a used one, counting each toward the lock with wrong passwords; the lock then refuses the right code", async () => {
    const { id, username } = await member({ enrolled: true });
    const pending = cookieOf(await signInWithPassword(username));
    const wrong = (await codeAction(args(post("/staff/login/code", { code: "000000" === freshCode() ? "111111" : "000000" }, pending)))) as unknown as Failure;
    expect(wrong.init.status).toBe(401);
    expect(wrong.data.fieldErrors?.code).toEqual(CODE_WRONG_MESSAGE);
    expect(JSON.stringify(wrong.data)).not.toMatch(/\d{6}/);
    expect((await account(id)).failedSignIns).toBe(1);
    expect((await audit("staff.totp_failed", id)).map((e) => e.details)).toEqual([{ stage: "sign_in", why: "wrong", failures: 1 }]);

    const malformed = (await codeAction(args(post("/staff/login/code", { code: "12ab" }, pending)))) as unknown as Failure;
    expect(malformed.init.status).toBe(400);
    expect((await account(id)).failedSignIns).toBe(1);

    // Used once by someone else (a shoulder-surfer, a second tab): the same code is refused afterwards.
    const code = freshCode();
    const first = (await codeAction(args(post("/staff/login/code", { code }, pending)))) as Response;
    expect(first.status).toBe(303);
    expect((await account(id)).failedSignIns).toBe(0);
    const again = cookieOf(await signInWithPassword(username));
    const replay = (await codeAction(args(post("/staff/login/code", { code }, again)))) as unknown as Failure;
    expect(replay.init.status).toBe(401);
    expect((await audit("staff.totp_failed", id)).at(-1)?.details).toMatchObject({ why: "replayed" });

    // 1 wrong code so far (the replay) + 2 wrong passwords + 2 wrong codes = 5 in a row: locked.
    for (const password of ["wrong password one", "wrong password two"]) {
      await loginAction(args(post("/staff/login", { username, password })));
    }
    await codeAction(args(post("/staff/login/code", { code: "999999" === code ? "888888" : "999999" }, again)));
    const locking = (await codeAction(args(post("/staff/login/code", { code: "999998" === code ? "888887" : "999998" }, again)))) as unknown as Failure;
    expect(locking.init.status).toBe(423);
    expect((await account(id)).lockedUntil).not.toBeNull();
    expect(await audit("staff.locked_out", id)).toHaveLength(1);
    const refused = (await codeAction(args(post("/staff/login/code", { code: freshCode(1) }, again)))) as unknown as Failure;
    expect(refused.init.status).toBe(423);
    expect(await staffFromRequest(get("/staff", again))).toBeNull();
  });

  it("keeps a pending sign-in for 5 minutes only, and the code page for pending sign-ins only", async () => {
    const { id, username } = await member({ enrolled: true });
    const t0 = new Date(Date.now() - (STAFF_PENDING_MAX_SECONDS + 1) * 1000);
    const stale = cookieOf(await startPendingStaffSession(get("/staff/login"), { id }, { awaiting: "code", next: "/staff" }, t0));
    expect(await pendingStaffFromRequest(get("/", stale), new Date(t0.getTime() + STAFF_PENDING_MAX_SECONDS * 1000 - 1))).not.toBeNull();
    expect(await pendingStaffFromRequest(get("/", stale))).toBeNull();
    expect(((await settle(codeLoader(args(get("/staff/login/code", stale))))) as Response).headers.get("Location")).toBe("/staff/login?expired");
    const late = (await codeAction(args(post("/staff/login/code", { code: freshCode() }, stale)))) as Response;
    expect(late.headers.get("Location")).toBe("/staff/login?expired");
    expect(await staffFromRequest(get("/", stale))).toBeNull();
    // Pending sign-ins only: none → sign in; a full session → home; awaiting enrolment → the enrolment page.
    expect(((await settle(codeLoader(args(get("/staff/login/code"))))) as Response).headers.get("Location")).toBe("/staff/login?expired");
    const full = cookieOf(await startStaffSession(get("/"), { id }));
    expect(((await settle(codeLoader(args(get("/staff/login/code", full))))) as Response).headers.get("Location")).toBe("/staff");
    const enrolling = cookieOf(await startPendingStaffSession(get("/"), { id }, { awaiting: "enrolment" }));
    expect(((await settle(codeLoader(args(get("/staff/login/code", enrolling))))) as Response).headers.get("Location")).toBe("/staff/enrol");
    expect(((await settle(requireStaff(get("/staff", enrolling), ["SUPPORT"]))) as Response).headers.get("Location")).toBe("/staff/enrol");
    // Another site's form gets nowhere.
    const pending = cookieOf(await signInWithPassword(username));
    const forged = (await codeAction(args(post("/staff/login/code", { code: freshCode() }, pending, "https://evil.example")))) as unknown as Failure;
    expect(forged.init.status).toBe(403);
    expect(await audit("staff.signed_in", id)).toHaveLength(0);
  });

  it("never returns to a sign-in step after signing in", () => {
    for (const path of ["/staff/login/code", "/staff/enrol", "/staff/enrol?x=1"]) expect(staffReturnPath(path)).toBe("/staff");
  });
});

describe("first sign-in: enrolling an authenticator", () => {
  it("shows the same QR code and key until the first right code enables it and signs in; wrong codes count", async () => {
    const { id, username } = await member({ enrolled: false });
    const login = await signInWithPassword(username, "/staff/activation");
    expect(login.headers.get("Location")).toBe("/staff/enrol");
    const pending = cookieOf(login);
    expect(((await settle(codeLoader(args(get("/staff/login/code", pending))))) as Response).headers.get("Location")).toBe("/staff/enrol");

    const page = (await enrolLoader(args(get("/staff/enrol", pending)))) as { username: string; groupedSecret: string; qr: string };
    expect(page.username).toBe(username);
    expect(page.groupedSecret).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    expect(Buffer.from(page.qr.replace("data:image/svg+xml;base64,", ""), "base64").toString()).toMatch(/^<svg/);
    expect(((await enrolLoader(args(get("/staff/enrol", pending)))) as typeof page).groupedSecret).toBe(page.groupedSecret);
    const secret = base32Encode(base32Decode(page.groupedSecret));
    const stored = await account(id);
    expect(stored.totpEnabledAt).toBeNull();
    expect(stored.totpSecretEnc).not.toContain(secret);

    const wrongCode = totpCodeFor(secret, new Date()) === "123456" ? "654321" : "123456";
    const wrong = (await enrolAction(args(post("/staff/enrol", { code: wrongCode }, pending)))) as unknown as Failure;
    expect(wrong.init.status).toBe(401);
    expect((await account(id)).failedSignIns).toBe(1);
    expect((await audit("staff.totp_failed", id)).map((e) => e.details)).toEqual([{ stage: "enrolment", why: "wrong", failures: 1 }]);

    const done = (await enrolAction(args(post("/staff/enrol", { code: groupOf(totpCodeFor(secret, new Date())) }, pending)))) as Response;
    expect([done.status, done.headers.get("Location")]).toEqual([303, "/staff/activation"]);
    expect((await staffFromRequest(get("/staff", cookieOf(done))))?.id).toBe(id);
    expect(await account(id)).toMatchObject({ failedSignIns: 0 });
    expect((await account(id)).totpEnabledAt).not.toBeNull();
    expect(await audit("staff.totp_enrolled", id)).toHaveLength(1);
    expect((await audit("staff.signed_in", id)).map((e) => e.details)).toEqual([{ second_factor: "totp_enrolment" }]);

    // From now on the code page, with the app's codes.
    const next = await signInWithPassword(username);
    expect(next.headers.get("Location")).toBe("/staff/login/code");
    const signedIn = (await codeAction(args(post("/staff/login/code", { code: totpCodeFor(secret, new Date(Date.now() + 30_000)) }, cookieOf(next))))) as Response;
    expect(signedIn.status).toBe(303);
    // The enrolment step's session ended with it; another pending enrolment (a second tab) shows no key any more.
    expect(((await settle(enrolLoader(args(get("/staff/enrol", pending))))) as Response).headers.get("Location")).toBe("/staff/login?expired");
    const otherTab = cookieOf(await startPendingStaffSession(get("/"), { id }, { awaiting: "enrolment" }));
    expect(((await settle(enrolLoader(args(get("/staff/enrol", otherTab))))) as Response).headers.get("Location")).toBe("/staff/login");
    const late = (await enrolAction(args(post("/staff/enrol", { code: totpCodeFor(secret, new Date()) }, otherTab)))) as unknown as Failure;
    expect(late.init.status).toBe(409);
  });

  it("the enrolment page needs a pending enrolment sign-in", async () => {
    const { id, username } = await member({ enrolled: true });
    expect(((await settle(enrolLoader(args(get("/staff/enrol"))))) as Response).headers.get("Location")).toBe("/staff/login?expired");
    const pending = cookieOf(await signInWithPassword(username));
    expect(((await settle(enrolLoader(args(get("/staff/enrol", pending))))) as Response).headers.get("Location")).toBe("/staff/login/code");
    const posted = (await enrolAction(args(post("/staff/enrol", { code: freshCode() }, pending)))) as Response;
    expect(posted.headers.get("Location")).toBe("/staff/login?expired");
    expect(await audit("staff.totp_enrolled", id)).toHaveLength(1);
  });
});

/** As an app shows it: "123 456". */
const groupOf = (code: string) => `${code.slice(0, 3)} ${code.slice(3)}`;
