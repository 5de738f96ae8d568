// Every staff page's loader, called as Remix calls it by a member holding every role, with query strings edited by
// hand (issue 13): each answers (400 where the query cannot be read), never throws a 500.
import { randomBytes } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { createAwaitingActivationFixture } from "../../test/factories/activation";
import { STAFF_ROLES } from "./areas";
import { createStaffAccount } from "./staff-accounts.server";
import { startStaffSession } from "./staff-session.server";

const BASE = "http://localhost";
const routesDir = path.resolve(import.meta.dirname, "../routes");
const PARAMS = ["cursor", "date", "day", "from", "to", "after", "run", "kind", "status", "method", "done", "next", "expired", "q"];
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
const GARBAGE = [
  "x", "2026-02-30", "9999-99-99", "0000-01-01", "9999-12-31", "-1", "%E0%A4%A", "'; select 1 --", "a".repeat(3000), "",
  "01900000-0000-7000-8000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
  cursorOf({ paidAt: "2026-02-31T00:00:00Z", id: "01900000-0000-7000-8000-000000000000" }),
  cursorOf({ paidAt: "9999-12-31T23:59:59.999Z", id: "ffffffff-ffff-ffff-ffff-ffffffffffff" }), cursorOf([1]), cursorOf(null),
];

type Loader = (args: { request: Request; params: Record<string, string>; context: { clientIp: string } }) => Promise<unknown>;

/** The status the visitor gets: a thrown or returned Response's, data()'s init, or 200. */
async function statusOf(loader: Loader, url: string, cookie: string, params: Record<string, string>): Promise<number> {
  let result: unknown;
  try {
    result = await loader({ request: new Request(url, { headers: { Cookie: cookie } }), params, context: { clientIp: "10.0.0.1" } });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown.status;
    return 500; // anything else thrown is what Remix turns into a 500
  }
  if (result instanceof Response) return result.status;
  const init = (result as { init?: { status?: number } } | null)?.init;
  return init?.status ?? 200;
}

describe("staff pages with a query string edited by hand", () => {
  it("answer every garbage cursor, date, range and filter without a 500", { timeout: 180_000 }, async () => {
    const { id } = await createStaffAccount({
      username: `query.${randomBytes(4).toString("hex")}`, displayName: "測試", password: "long enough password", roles: ["SUPPORT"],
    });
    await prisma.staffAccount.update({ where: { id }, data: { roles: [...STAFF_ROLES] } });
    const cookie = (await startStaffSession(new Request(BASE), { id })).get("Set-Cookie")!.split(";")[0]!;
    const fixture = await createAwaitingActivationFixture();
    const params = { orderNumber: fixture.order.orderNumber, staffId: id, exceptionId: "01900000-0000-7000-8000-000000000000" };

    const failures: string[] = [];
    let loaders = 0;
    for (const file of readdirSync(routesDir).filter((f) => /^staff[._]/.test(f)).sort()) {
      const { loader } = (await import(/* @vite-ignore */ path.join(routesDir, file))) as { loader?: Loader };
      if (!loader) continue;
      loaders++;
      const pathname = `/${file.replace(/\.tsx?$/, "").replace(/_index$/, "").replace(/_\./g, ".").split(".").map((part) => part.replace(/_$/, "").replace(/^\$(\w+)$/, (_, name: string) => params[name as keyof typeof params])).join("/")}`;
      for (const value of GARBAGE) {
        const query = new URLSearchParams(PARAMS.map((name) => [name, value])).toString();
        for (const url of [`${BASE}${pathname}?${query}`, `${BASE}${pathname}?${query}&${query}`]) {
          // A loader that never answers (a day loop that never ends) is the worst answer of all.
          const status = await Promise.race([
            statusOf(loader, url, cookie, params),
            new Promise<number>((resolve) => setTimeout(() => resolve(599), 10_000).unref()),
          ]);
          if (status >= 500) failures.push(`${file} ${status} for ${JSON.stringify(value.slice(0, 20))}`);
        }
      }
    }
    expect(loaders).toBeGreaterThan(15);
    expect(failures).toEqual([]);
  });
});
