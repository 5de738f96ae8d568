// The staff pages called as Remix calls them: real sessions, real forms, the real activation domain underneath.
import { randomBytes } from "node:crypto";
import { beforeEach, describe, expect, it } from "vitest";
import { formPost, settle } from "../../test/support/route-requests";
import { activateCard } from "~/activation/activation.server";
import { verifyUserCode } from "~/activation/user-code.server";
import type { StaffRole } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";
import { action as detailAction, loader as detailLoader } from "~/routes/staff.activation.$orderNumber";
import { action as searchAction } from "~/routes/staff.activation._index";
import { action as loginAction, loader as loginLoader } from "~/routes/staff.login";
import { action as logoutAction } from "~/routes/staff.logout";
import { createAwaitingActivationFixture, TEST_USER_CODE } from "../../test/factories/activation";
import { staffText } from "~/components/staff/staff-text";
import { formatOrderNumber } from "~/orders/order-number";
import { createStaffAccount, SIGN_IN_FAILED_MESSAGE } from "./staff-accounts.server";
import { pendingStaffFromRequest, staffFromRequest, startStaffSession } from "./staff-session.server";

const BASE = "http://localhost";
const PASSWORD = "long enough password";
const NEW_CODE = "New!Code9";

type Failure = {
  data: {
    intent?: string;
    formError?: Record<string, string>;
    fieldErrors?: Record<string, Record<string, string>>;
    values?: Record<string, string>;
  };
  init: { status: number };
};

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: { clientIp: "10.1.2.3" } });
const cookieOf = (headers: Headers | Response) => (headers instanceof Response ? headers.headers : headers).get("Set-Cookie")!.split(";")[0]!;

function post(path: string, fields: Record<string, string>, { cookie, origin = BASE }: { cookie?: string; origin?: string } = {}) {
  return formPost(`${BASE}${path}`, fields, { cookie, origin });
}

async function member(roles: StaffRole[]) {
  const username = `page.${randomBytes(4).toString("hex")}`;
  const { id } = await createStaffAccount({ username, displayName: "測試人員", password: PASSWORD, roles });
  const cookie = cookieOf(await startStaffSession(new Request(BASE), { id }));
  return { id, username, cookie };
}

type Fixture = Awaited<ReturnType<typeof createAwaitingActivationFixture>>;
let ipSequence = 0;
const attempt = (f: Fixture, userCode: string) =>
  activateCard({ body: { ...f.reading, userCode, accepted: true }, ip: `198.18.1.${++ipSequence % 250}` });

async function lockedFixture(): Promise<Fixture> {
  const f = await createAwaitingActivationFixture();
  for (let i = 0; i < 4; i++) await attempt(f, "Wrong#123").catch(() => {});
  return f;
}

const orderOf = (f: Fixture) => prisma.reissueOrder.findUniqueOrThrow({ where: { id: f.order.id }, include: { application: true } });
const detailPath = (f: Fixture) => `/staff/activation/${f.order.orderNumber}`;

beforeEach(async () => {
  const keys = await redis().keys(`${env().QUEUE_PREFIX}:ratelimit:*`);
  if (keys.length) await redis().del(...keys);
});

describe("/staff/login", () => {
  it("takes the right password to the second step (a pending session, not a signed-in one), keeping where to go on this site only", async () => {
    const { id, username, cookie } = await member(["SUPPORT"]);
    const response = (await loginAction(args(post("/staff/login", { username, password: PASSWORD, next: "/staff/activation" })))) as Response;
    expect(response.status).toBe(302);
    // Not enrolled yet, with a password someone else chose: the member's own password first, then the authenticator
    // (staff-credentials.test.ts and staff-sign-in-flow.test.ts go on from here).
    expect(response.headers.get("Location")).toBe("/staff/password");
    const pending = new Request(BASE, { headers: { Cookie: cookieOf(response) } });
    expect(await staffFromRequest(pending)).toBeNull();
    expect(await pendingStaffFromRequest(pending)).toEqual({ staffId: id, awaiting: "password", after: ["enrolment"], next: "/staff/activation" });

    const elsewhere = (await loginAction(args(post("/staff/login", { username, password: PASSWORD, next: "//evil.example/x" })))) as Response;
    expect((await pendingStaffFromRequest(new Request(BASE, { headers: { Cookie: cookieOf(elsewhere) } })))?.next).toBe("/staff");
    // Already signed in: the sign-in page forwards.
    const page = await settle(loginLoader(args(new Request(`${BASE}/staff/login?next=%2Fstaff%2Factivation`, { headers: { Cookie: cookie } }))));
    expect((page as Response).headers.get("Location")).toBe("/staff/activation");
  });

  it("answers a wrong password and an unknown user alike, keeping the username but never the password", async () => {
    const { username } = await member(["SUPPORT"]);
    const wrong = (await loginAction(args(post("/staff/login", { username, password: "the wrong password" })))) as unknown as Failure;
    const unknown = (await loginAction(args(post("/staff/login", { username: "nobody.here", password: PASSWORD })))) as unknown as Failure;
    expect(wrong.init.status).toBe(401);
    expect(wrong.data.formError).toEqual(SIGN_IN_FAILED_MESSAGE);
    expect(unknown.data.formError).toEqual(wrong.data.formError);
    expect(wrong.data.values).toEqual({ username });
    expect(JSON.stringify(wrong.data)).not.toContain("the wrong password");
  });

  it("shows empty fields as field errors and refuses another site's form", async () => {
    const empty = (await loginAction(args(post("/staff/login", { username: " ", password: "" })))) as unknown as Failure;
    expect(empty.init.status).toBe(400);
    expect(empty.data.fieldErrors?.username?.["zh-TW"]).toBe(staffText("zh-TW", "error.usernameRequired"));
    expect(empty.data.fieldErrors?.password?.en).toBe(staffText("en", "error.passwordRequired"));

    const { id, username } = await member(["SUPPORT"]);
    const forged = (await loginAction(args(post("/staff/login", { username, password: PASSWORD }, { origin: "https://evil.example" })))) as unknown as Failure;
    expect(forged.init.status).toBe(403);
    expect(forged.data.formError?.en).toMatch(/own pages/);
    expect(await prisma.auditEvent.count({ where: { action: "staff.signed_in", subjectId: id } })).toBe(0);
  });
});

describe("/staff/logout", () => {
  it("ends the session with a POST", async () => {
    const { cookie } = await member(["REGISTRAR"]);
    const response = (await logoutAction(args(post("/staff/logout", {}, { cookie })))) as Response;
    expect(response.headers.get("Location")).toBe("/staff/login");
    expect(await staffFromRequest(new Request(BASE, { headers: { Cookie: cookie } }))).toBeNull();
  });
});

describe("/staff/activation (look-up)", () => {
  it("finds by the new card number or the order number and redirects to the order's page, never with the card in the URL", async () => {
    const f = await createAwaitingActivationFixture();
    const { cookie } = await member(["SUPPORT"]);
    for (const query of [f.cardNumber.toLowerCase(), formatOrderNumber(f.order.orderNumber)]) {
      const response = (await searchAction(args(post("/staff/activation", { query }, { cookie })))) as Response;
      expect(response.status).toBe(303);
      expect(response.headers.get("Location")).toBe(`/staff/activation/${f.order.orderNumber}`);
    }
  });

  it("keeps what was typed on a bad or unknown number", async () => {
    const { cookie } = await member(["REGISTRAR"]);
    const bad = (await searchAction(args(post("/staff/activation", { query: "12345" }, { cookie })))) as unknown as Failure;
    expect(bad.init.status).toBe(400);
    expect(bad.data.fieldErrors?.query?.en).toBe(staffText("en", "error.queryFormat"));
    const unknown = (await searchAction(args(post("/staff/activation", { query: "TP99999999999999" }, { cookie })))) as unknown as Failure;
    expect(unknown.init.status).toBe(404);
    expect(unknown.data).toMatchObject({ fieldErrors: { query: { "zh-TW": staffText("zh-TW", "error.notFound") } }, values: { query: "TP99999999999999" } });
  });
});

describe("/staff/activation/$orderNumber", () => {
  it("shows the activation state with the ID masked and offers each role only its own action", async () => {
    const f = await lockedFixture();
    const support = await member(["SUPPORT"]);
    const registrar = await member(["REGISTRAR"]);
    const page = (await detailLoader(args(new Request(`${BASE}${detailPath(f)}`, { headers: { Cookie: support.cookie } }), { orderNumber: f.order.orderNumber })));
    expect(page.view).toMatchObject({ cardNumber: f.cardNumber, wrongAttempts: 4, activatedAt: null, mailNumber: f.registeredMail.mailNumber });
    expect(page.view.lockedAt).not.toBeNull();
    expect(page.maxWrong).toBe(4);
    expect(page.may).toEqual({ liftLock: true, resetCode: false });
    expect(JSON.stringify(page)).not.toContain(f.nationalId);
    const registrarPage = await detailLoader(args(new Request(`${BASE}${detailPath(f)}`, { headers: { Cookie: registrar.cookie } }), { orderNumber: f.order.orderNumber }));
    expect(registrarPage.may).toEqual({ liftLock: false, resetCode: true });

    const missing = await settle(detailLoader(args(new Request(`${BASE}/staff/activation/1151123000000`, { headers: { Cookie: support.cookie } }), { orderNumber: "1151123000000" })));
    expect((missing as Response).status).toBe(404);
  });

  it("support lifts the lock with a reason; the holder's own code then activates", async () => {
    const f = await lockedFixture();
    const support = await member(["SUPPORT"]);
    const fields = { intent: "lift-lock", remembersCode: "on", reason: "持卡人來電，確認記得用戶代碼" };
    const response = (await detailAction(args(post(detailPath(f), fields, { cookie: support.cookie }), { orderNumber: f.order.orderNumber }))) as Response;
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(`${detailPath(f)}?done=lift-lock`);
    expect(await orderOf(f)).toMatchObject({ activationFailures: 0, activationLockedAt: null });
    const [event] = await prisma.auditEvent.findMany({ where: { action: "activation.lock_lifted", subjectId: f.order.id } });
    expect(event).toMatchObject({ actorId: support.id, reason: fields.reason });
    await expect(attempt(f, TEST_USER_CODE)).resolves.toMatchObject({ orderNumber: f.order.orderNumber });
  });

  it("support: a missing confirmation, a short reason and an unlocked order come back as errors, the reason kept", async () => {
    const f = await lockedFixture();
    const support = await member(["SUPPORT"]);
    const call = (fields: Record<string, string>) =>
      detailAction(args(post(detailPath(f), { intent: "lift-lock", ...fields }, { cookie: support.cookie }), { orderNumber: f.order.orderNumber })) as unknown as Promise<Failure>;

    const unconfirmed = await call({ reason: "holder called us" });
    expect(unconfirmed.init.status).toBe(400);
    expect(unconfirmed.data).toMatchObject({ intent: "lift-lock", values: { reason: "holder called us" } });
    expect(unconfirmed.data.fieldErrors?.remembersCode?.en).toBe(staffText("en", "error.remembersCodeRequired"));
    expect((await call({ remembersCode: "on", reason: "hi" })).data.fieldErrors?.reason?.en).toBe(staffText("en", "error.reasonLength"));
    expect((await orderOf(f)).activationLockedAt).not.toBeNull();

    const open = await createAwaitingActivationFixture();
    const notLocked = (await detailAction(
      args(post(detailPath(open), { intent: "lift-lock", remembersCode: "on", reason: "holder called us" }, { cookie: support.cookie }), { orderNumber: open.order.orderNumber }),
    )) as unknown as Failure;
    // The domain's own refusal and message.
    expect(notLocked.init.status).toBe(409);
    expect(notLocked.data.formError?.en).toMatch(/not locked/);
    expect(notLocked.data.values?.reason).toBe("holder called us");
  });

  it("a registrar resets the code after the ID check; the new code activates and the old one does not", async () => {
    const f = await lockedFixture();
    const registrar = await member(["REGISTRAR"]);
    const fields = { intent: "reset-code", newCode: NEW_CODE, confirmation: NEW_CODE, nationalId: f.nationalId.toLowerCase(), proxy: "on", reason: "本人臨櫃，已核對身分證" };
    const response = (await detailAction(args(post(detailPath(f), fields, { cookie: registrar.cookie }), { orderNumber: f.order.orderNumber }))) as Response;
    expect(response.headers.get("Location")).toBe(`${detailPath(f)}?done=reset-code`);
    const order = await orderOf(f);
    expect(order).toMatchObject({ activationFailures: 0, activationLockedAt: null });
    expect(await verifyUserCode(NEW_CODE, order.application!.userCodeHash)).toBe(true);
    const [event] = await prisma.auditEvent.findMany({ where: { action: "activation.code_reset", subjectId: f.order.id } });
    expect(event).toMatchObject({ actorId: registrar.id, details: { proxy: true } });
    await expect(attempt(f, TEST_USER_CODE)).rejects.toMatchObject({ code: "WRONG_USER_CODE" });
    await expect(attempt(f, NEW_CODE)).resolves.toMatchObject({ orderNumber: f.order.orderNumber });
  });

  it("registrar: another person's ID and differing codes are field errors; neither codes nor the ID come back", async () => {
    const f = await lockedFixture();
    const other = await createAwaitingActivationFixture();
    const registrar = await member(["REGISTRAR"]);
    const call = (fields: Record<string, string>) =>
      detailAction(args(post(detailPath(f), { intent: "reset-code", reason: "本人臨櫃辦理", ...fields }, { cookie: registrar.cookie }), { orderNumber: f.order.orderNumber })) as unknown as Promise<Failure>;

    const mismatch = await call({ newCode: NEW_CODE, confirmation: NEW_CODE, nationalId: other.nationalId });
    expect(mismatch.init.status).toBe(400);
    expect(mismatch.data.fieldErrors?.nationalId?.en).toMatch(/does not match/);
    expect(mismatch.data.values).toEqual({ reason: "本人臨櫃辦理", proxy: "", remembersCode: "" });
    const serialised = JSON.stringify(mismatch.data);
    expect(serialised).not.toContain(other.nationalId);
    expect(serialised).not.toContain(NEW_CODE);

    const differ = await call({ newCode: NEW_CODE, confirmation: "Other!99", nationalId: f.nationalId });
    expect(differ.data.fieldErrors?.confirmation?.en).toBe(staffText("en", "error.codesDiffer"));
    const malformed = await call({ newCode: "short", confirmation: "short", nationalId: "A123" });
    expect(malformed.data.fieldErrors?.newCode?.en).toBe(staffText("en", "error.userCodeFormat"));
    expect(malformed.data.fieldErrors?.nationalId?.en).toBe(staffText("en", "error.nationalIdFormat"));
    expect((await orderOf(f)).application!.userCodeResetAt).toBeNull();
  });

  it("refuses each action to the other role (403) and another site's form, changing nothing", async () => {
    const f = await lockedFixture();
    const support = await member(["SUPPORT"]);
    const registrar = await member(["REGISTRAR"]);
    const admin = await member(["ADMIN"]);
    const lift = { intent: "lift-lock", remembersCode: "on", reason: "holder called us" };
    const reset = { intent: "reset-code", newCode: NEW_CODE, confirmation: NEW_CODE, nationalId: f.nationalId, reason: "本人臨櫃辦理" };
    const params = { orderNumber: f.order.orderNumber };
    for (const [fields, cookie] of [[reset, support.cookie], [lift, registrar.cookie], [lift, admin.cookie], [reset, admin.cookie]] as const) {
      const refused = await settle(detailAction(args(post(detailPath(f), fields, { cookie }), params)));
      expect((refused as Response).status).toBe(403);
    }
    const forged = (await detailAction(args(post(detailPath(f), lift, { cookie: support.cookie, origin: "https://evil.example" }), params))) as unknown as Failure;
    expect(forged.init.status).toBe(403);
    const unknownIntent = (await detailAction(args(post(detailPath(f), { intent: "activate" }, { cookie: support.cookie }), params))) as unknown as Failure;
    expect(unknownIntent.init.status).toBe(400);
    expect(await orderOf(f)).toMatchObject({ activationFailures: 4, application: { userCodeResetAt: null } });
    expect((await orderOf(f)).activationLockedAt).not.toBeNull();
  });
});
