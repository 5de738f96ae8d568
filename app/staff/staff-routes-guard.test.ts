// Every file app/routes/staff.tsx and app/routes/staff.* is found on disk and called as Remix calls it: without a
// session each loader and action sends the visitor to the sign-in page; a member of staff without an allowed role
// gets 403; one with it gets through. A new staff route missing from GUARDS below fails this test until someone
// decides who may open it.
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { StaffRole } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { createAwaitingActivationFixture } from "../../test/factories/activation";
import { ACTIVATION_VIEWER_ROLES, STAFF_ROLES } from "./areas";
import { createStaffAccount } from "./staff-accounts.server";
import { startStaffSession } from "./staff-session.server";

const BASE = "http://localhost";
const routesDir = path.resolve(import.meta.dirname, "../routes");

interface Guard {
  /** Roles that may use the route; the sign-in page is the one public staff route. */
  roles: StaffRole[] | "public";
  /** A URL the route answers, with {orderNumber} filled in from a fixture. */
  path: string;
}

const GUARDS: Record<string, Guard> = {
  "staff.tsx": { roles: STAFF_ROLES, path: "/staff/activation" },
  "staff._index.tsx": { roles: STAFF_ROLES, path: "/staff" },
  "staff.login.tsx": { roles: "public", path: "/staff/login" },
  // Opened by a pending sign-in only (password right, code not yet): staff-sign-in-flow.test.ts checks them.
  "staff.login_.code.tsx": { roles: "public", path: "/staff/login/code" },
  "staff.enrol.tsx": { roles: "public", path: "/staff/enrol" },
  "staff.logout.tsx": { roles: STAFF_ROLES, path: "/staff/logout" },
  // Any signed-in member changes their own password; a pending sign-in whose password must change first also
  // opens it (staff-credentials.test.ts). The reset page redeems an admin's code without a session.
  "staff.password.tsx": { roles: STAFF_ROLES, path: "/staff/password" },
  "staff.password_.reset.tsx": { roles: "public", path: "/staff/password/reset" },
  "staff.activation._index.tsx": { roles: ACTIVATION_VIEWER_ROLES, path: "/staff/activation" },
  "staff.activation.$orderNumber.tsx": { roles: ACTIVATION_VIEWER_ROLES, path: "/staff/activation/{orderNumber}" },
  // support desk routes
  "staff.support._index.tsx": { roles: ["SUPPORT"], path: "/staff/support" },
  "staff.support.$orderNumber.tsx": { roles: ["SUPPORT"], path: "/staff/support/{orderNumber}" },
  // finance routes
  "staff.finance.bank-files.tsx": { roles: ["FINANCE"], path: "/staff/finance/bank-files" },
  "staff.finance.bank-files_.$importId.tsx": { roles: ["FINANCE"], path: "/staff/finance/bank-files/01900000-0000-7000-8000-000000000000" },
  "staff.finance.reconcile.tsx": { roles: ["FINANCE"], path: "/staff/finance/reconcile" },
  "staff.finance.exceptions._index.tsx": { roles: ["FINANCE"], path: "/staff/finance/exceptions" },
  "staff.finance.exceptions.$exceptionId.tsx": { roles: ["FINANCE"], path: "/staff/finance/exceptions/01900000-0000-7000-8000-000000000000" },
  "staff.finance.tsx": { roles: ["FINANCE"], path: "/staff/finance" },
  "staff.finance._index.tsx": { roles: ["FINANCE"], path: "/staff/finance" },
  "staff.finance.payments.tsx": { roles: ["FINANCE"], path: "/staff/finance/payments?day=2026-11-23" },
  "staff.finance.export.ts": { roles: ["FINANCE"], path: "/staff/finance/export?from=2026-11-01&to=2026-11-30" },
  // admin routes
  "staff.admin._index.tsx": { roles: ["ADMIN"], path: "/staff/admin" },
  "staff.admin.new.tsx": { roles: ["ADMIN"], path: "/staff/admin/new" },
  "staff.admin.$staffId.tsx": { roles: ["ADMIN"], path: "/staff/admin/01900000-0000-7000-8000-000000000000" },
};

const staffRouteFiles = () =>
  readdirSync(routesDir).filter((file) => /^staff[._]/.test(file)).sort();

type Handler = (args: { request: Request; params: Record<string, string>; context: { clientIp: string } }) => Promise<unknown>;

async function call(handler: Handler, request: Request, params: Record<string, string>): Promise<unknown> {
  try {
    return await handler({ request, params, context: { clientIp: `10.9.${randomBytes(1)[0]}.${randomBytes(1)[0]}` } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

async function memberCookie(roles: StaffRole[]): Promise<string> {
  const { id } = await createStaffAccount({
    username: `guard.${randomBytes(4).toString("hex")}`, displayName: "測試", password: "long enough password", roles: ["SUPPORT"],
  });
  // createStaffAccount insists on a role; an account stripped of all roles must be refused everywhere too.
  await prisma.staffAccount.update({ where: { id }, data: { roles } });
  return (await startStaffSession(new Request(BASE), { id })).get("Set-Cookie")!.split(";")[0]!;
}

function request(url: string, method: "GET" | "POST", cookie?: string): Request {
  const headers: Record<string, string> = { Origin: BASE };
  if (cookie) headers.Cookie = cookie;
  if (method === "GET") return new Request(url, { headers });
  return new Request(url, { method, headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" }, body: "" });
}

const isLoginRedirect = (result: unknown) =>
  result instanceof Response && result.status >= 300 && result.status < 400 && (result.headers.get("Location") ?? "").startsWith("/staff/login?next=");

describe("every staff route", () => {
  it("is listed here with the roles that may use it", () => {
    const files = staffRouteFiles();
    expect(files).toContain("staff.tsx");
    expect(files).toEqual(Object.keys(GUARDS).sort());
  });

  it("sends a visitor without a session to sign in, refuses other roles with 403 and lets allowed roles through", { timeout: 120_000 }, async () => {
    const fixture = await createAwaitingActivationFixture();
    const params = { orderNumber: fixture.order.orderNumber };
    const noRoles = await memberCookie([]);
    const checked = new Map<string, number>();

    for (const file of staffRouteFiles()) {
      const guard = GUARDS[file];
      if (!guard || guard.roles === "public") continue;
      const allowed = guard.roles;
      const url = BASE + guard.path.replace("{orderNumber}", params.orderNumber);
      const others = STAFF_ROLES.filter((role) => !allowed.includes(role));
      const wrongCookies = [noRoles, ...(others.length > 0 ? [await memberCookie(others)] : [])];
      const rightCookies = await Promise.all(allowed.map((role) => memberCookie([role])));
      const module = (await import(/* @vite-ignore */ path.join(routesDir, file))) as { loader?: Handler; action?: Handler };

      for (const [kind, handler] of [["loader", module.loader], ["action", module.action]] as const) {
        if (!handler) continue;
        const method = kind === "loader" ? "GET" : "POST";
        const label = `${file} ${kind}`;
        expect(isLoginRedirect(await call(handler, request(url, method), params)), `${label} without a session`).toBe(true);
        for (const cookie of wrongCookies) {
          const refused = await call(handler, request(url, method, cookie), params);
          expect(refused instanceof Response && refused.status, `${label} with a wrong role`).toBe(403);
        }
        for (const cookie of rightCookies) {
          const passed = await call(handler, request(url, method, cookie), params);
          const status = passed instanceof Response ? passed.status : 200;
          expect(status === 403 || isLoginRedirect(passed), `${label} with an allowed role`).toBe(false);
        }
        checked.set(file, (checked.get(file) ?? 0) + 1);
      }
    }
    // Every guarded route file had a loader or an action to check (a route with neither would pass unchecked).
    const guarded = Object.entries(GUARDS).filter(([, guard]) => guard.roles !== "public").map(([file]) => file).sort();
    expect([...checked.keys()].sort()).toEqual(guarded);
  });
});
