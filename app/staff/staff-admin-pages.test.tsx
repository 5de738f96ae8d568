// The staff-account pages called as Remix calls them (real sessions and forms), and their components rendered.
import { beforeAll, describe, expect, it } from "vitest";
import { formPost, settle } from "../../test/support/route-requests";
import { renderPage } from "../../test/support/render-page";
import { AccountActions } from "~/components/staff/admin/account-forms";
import { AccountSummary } from "~/components/staff/admin/account-summary";
import { NewStaffForm } from "~/components/staff/admin/new-staff-form";
import { StaffAccountsTable } from "~/components/staff/admin/staff-accounts-table";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { staffText } from "~/components/staff/staff-text";
import { prisma } from "~/lib/db.server";
import { action as detailAction, loader as detailLoader } from "~/routes/staff.admin.$staffId";
import { loader as listLoader } from "~/routes/staff.admin._index";
import { action as newAction } from "~/routes/staff.admin.new";
import { createStaffAccount } from "./staff-accounts.server";
import { startStaffSession } from "./staff-session.server";

const BASE = "http://localhost";
const PASSWORD = "long enough password";
const REASON = "依人事異動單 2026-114 辦理";

type Failure = {
  data: { intent?: string; formError?: Record<string, string>; fieldErrors?: Record<string, Record<string, string>>; values?: Record<string, string> };
  init: { status: number };
};

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: { clientIp: "10.1.2.3" } });
const get = (path: string, cookie: string) => new Request(`${BASE}${path}`, { headers: { Cookie: cookie } });

function postForm(path: string, fields: Array<[string, string]>, cookie: string, origin = BASE): Request {
  return new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { Origin: origin, Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

let admin: { id: string; cookie: string };
let target: { id: string };
beforeAll(async () => {
  const made = await createStaffAccount({ username: "pages.admin", displayName: "管理員", password: PASSWORD, roles: ["ADMIN"] });
  admin = { id: made.id, cookie: (await startStaffSession(new Request(BASE), made)).get("Set-Cookie")!.split(";")[0]! };
  target = await createStaffAccount({ username: "pages.support", displayName: "客服 林小姐", password: PASSWORD, roles: ["SUPPORT"] });
});

describe("/staff/admin", () => {
  it("lists staff with roles, authenticator and state, a page at a time", async () => {
    const page = await listLoader(args(get("/staff/admin", admin.cookie)));
    expect(page.rows.map((r) => r.username)).toEqual(expect.arrayContaining(["pages.admin", "pages.support"]));
    expect(page.paged).toBe(false);
    const after = await listLoader(args(get("/staff/admin?after=pages.admin", admin.cookie)));
    expect(after.rows[0]?.username).toBe("pages.support");
    expect(after.paged).toBe(true);
    // A malformed cursor is the first page.
    expect((await listLoader(args(get("/staff/admin?after=%27%3B--", admin.cookie)))).paged).toBe(false);

    const { html, text } = await renderPage("zh-TW", <StaffAccountsTable rows={page.rows} />);
    expect(html).toContain('<th scope="col">');
    expect(html).toContain(`href="/staff/admin/${target.id}"`);
    expect(text).toContain(staffText("zh-TW", "role.SUPPORT"));
    expect(text).toContain(staffText("zh-TW", "admin.totpNo"));
  });
});

describe("/staff/admin/new", () => {
  const fields = (over: Record<string, string> = {}): Array<[string, string]> => {
    const base = { username: "Wang.Finance", displayName: "財務 王小姐", password: "a new staff password", passwordConfirm: "a new staff password", reason: REASON, ...over };
    return [...Object.entries(base), ["roles", "FINANCE"], ["roles", "SUPPORT"]];
  };

  it("creates the account with its roles and reason, and goes to its page", async () => {
    const response = (await newAction(args(postForm("/staff/admin/new", fields(), admin.cookie)))) as Response;
    expect(response.status).toBe(303);
    const created = await prisma.staffAccount.findUniqueOrThrow({ where: { username: "wang.finance" } });
    expect(response.headers.get("Location")).toBe(`/staff/admin/${created.id}?done=created`);
    expect(created.roles).toEqual(["SUPPORT", "FINANCE"]);
    expect(created.totpEnabledAt).toBeNull();
    const [event] = await prisma.auditEvent.findMany({ where: { action: "staff.account_created", subjectId: created.id } });
    expect(event).toMatchObject({ actorId: admin.id, reason: REASON });
  });

  it("returns field errors keeping what was typed but never the password", async () => {
    const differ = (await newAction(args(postForm("/staff/admin/new", fields({ username: "lee.support", passwordConfirm: "another password!" }), admin.cookie)))) as unknown as Failure;
    expect(differ.init.status).toBe(400);
    expect(differ.data.fieldErrors?.passwordConfirm?.en).toBe(staffText("en", "error.passwordsDiffer"));
    expect(differ.data.values).toEqual({ username: "lee.support", displayName: "財務 王小姐", reason: REASON, roles: "FINANCE,SUPPORT" });
    expect(JSON.stringify(differ.data)).not.toContain("a new staff password");

    const noRoles = (await newAction(args(postForm("/staff/admin/new", fields({ username: "lee.support" }).filter(([k]) => k !== "roles"), admin.cookie)))) as unknown as Failure;
    expect(noRoles.data.fieldErrors?.roles?.en).toBe(staffText("en", "error.rolesRequired"));
    const taken = (await newAction(args(postForm("/staff/admin/new", fields({ username: "pages.support" }), admin.cookie)))) as unknown as Failure;
    expect(taken.init.status).toBe(409);
    expect(taken.data.fieldErrors?.username?.en).toMatch(/already taken/);
    expect(await prisma.staffAccount.count({ where: { username: "lee.support" } })).toBe(0);

    const { html } = await renderPage("en", <NewStaffForm failure={differ.data as StaffFormFailure} />);
    expect(html).toContain('value="lee.support"');
    expect(html).toMatch(/<input id="new-role-FINANCE" type="checkbox" name="roles" checked="" value="FINANCE"/);
    expect(html).toContain('role="alert"');
    expect(html).not.toContain("a new staff password");
  });
});

describe("/staff/admin/$staffId", () => {
  const path = () => `/staff/admin/${target.id}`;
  const act = (fields: Array<[string, string]>, origin?: string) =>
    settle(detailAction(args(postForm(path(), fields, admin.cookie, origin), { staffId: target.id })));

  it("shows the account and runs each action with its reason, back on the page with what was done", async () => {
    const page = await detailLoader(args(get(`${path()}?done=disable`, admin.cookie), { staffId: target.id }));
    expect(page.account).toMatchObject({ username: "pages.support", roles: ["SUPPORT"], isSelf: false });
    expect(page.done).toBe("disable");

    const roles = (await act([["intent", "roles"], ["roles", "SUPPORT"], ["roles", "REGISTRAR"], ["reason", REASON]])) as Response;
    expect(roles.headers.get("Location")).toBe(`${path()}?done=roles`);
    expect((await prisma.staffAccount.findUniqueOrThrow({ where: { id: target.id } })).roles).toEqual(["SUPPORT", "REGISTRAR"]);
    const disable = (await act([["intent", "disable"], ["reason", REASON]])) as Response;
    expect(disable.headers.get("Location")).toBe(`${path()}?done=disable`);
    const enable = (await act([["intent", "enable"], ["reason", REASON]])) as Response;
    expect(enable.headers.get("Location")).toBe(`${path()}?done=enable`);
    const audited = await prisma.auditEvent.findMany({ where: { subjectId: target.id, actorId: admin.id, reason: REASON }, orderBy: { id: "asc" } });
    expect(audited.map((e) => e.action)).toEqual(["staff.roles_changed", "staff.disabled", "staff.enabled"]);

    const view = (await detailLoader(args(get(path(), admin.cookie), { staffId: target.id }))).account;
    const { html, text } = await renderPage("zh-TW", <><AccountSummary account={view} /><AccountActions account={view} /></>);
    expect(text).toContain(staffText("zh-TW", "role.REGISTRAR"));
    expect(html).toContain('aria-labelledby="disable-title"');
    expect(html).not.toContain('aria-labelledby="unlock-title"');
  });

  it("refuses a missing reason, the admin's own disabling, an unknown intent and another site's form", async () => {
    const short = (await act([["intent", "disable"], ["reason", "no"]])) as unknown as Failure;
    expect(short.init.status).toBe(400);
    expect(short.data).toMatchObject({ intent: "disable", values: { reason: "no" } });
    expect(short.data.fieldErrors?.reason?.en).toBe(staffText("en", "error.reasonLength"));

    const self = (await settle(detailAction(args(postForm(`/staff/admin/${admin.id}`, [["intent", "disable"], ["reason", REASON]], admin.cookie), { staffId: admin.id })))) as unknown as Failure;
    expect(self.init.status).toBe(409);
    expect(self.data.formError?.en).toMatch(/your own account/);
    const promote = (await settle(detailAction(args(postForm(`/staff/admin/${admin.id}`, [["intent", "roles"], ["roles", "ADMIN"], ["roles", "FINANCE"], ["reason", REASON]], admin.cookie), { staffId: admin.id })))) as unknown as Failure;
    expect(promote.init.status).toBe(409);
    expect(promote.data.fieldErrors?.roles?.en).toMatch(/cannot change your own roles/);
    expect(promote.data.fieldErrors?.roles?.["zh-TW"]).toMatch(/不能變更自己的角色/);
    const selfView = (await detailLoader(args(get(`/staff/admin/${admin.id}`, admin.cookie), { staffId: admin.id }))).account;
    const selfPage = (await renderPage("en", <AccountActions account={selfView} />)).html;
    expect(selfPage).not.toContain('aria-labelledby="disable-title"');
    // The page does not offer what the server refuses.
    expect(selfPage).not.toContain('aria-labelledby="roles-title"');

    const unknown = (await act([["intent", "delete"], ["reason", REASON]])) as unknown as Failure;
    expect(unknown.init.status).toBe(400);
    const forged = (await act([["intent", "disable"], ["reason", REASON]], "https://evil.example")) as unknown as Failure;
    expect(forged.init.status).toBe(403);
    expect((await prisma.staffAccount.findUniqueOrThrow({ where: { id: target.id } })).disabledAt).toBeNull();
    expect((await prisma.staffAccount.findUniqueOrThrow({ where: { id: admin.id } })).roles).toEqual(["ADMIN"]);
  });
});
