// The reconcile and exception pages called as Remix calls them, with a real FINANCE session.
import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";

vi.hoisted(() => {
  process.env.STRIPE_SECRET_KEY = "sk_test_moica_finance_pages";
});

import { prisma } from "~/lib/db.server";
import { formatOrderNumber } from "~/orders/order-number";
import { action as resolveAction, loader as exceptionLoader } from "~/routes/staff.finance.exceptions.$exceptionId";
import { loader as queueLoader } from "~/routes/staff.finance.exceptions._index";
import { action as reconcileAction, loader as reconcileLoader } from "~/routes/staff.finance.reconcile";
import { createStaffAccount } from "~/staff/staff-accounts.server";
import { startStaffSession } from "~/staff/staff-session.server";
import { seedStripeFixtureDay, STRIPE_FIXTURE_DAY } from "../../../test/factories/finance";
import { createMswServer } from "../../../test/msw/server";
import { loadStripeBalanceFixture, stripeBalanceTransactionsHandler } from "../../../test/msw/stripe-balance";
import { formPost, settle } from "../../../test/support/route-requests";

const server = createMswServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const BASE = "http://localhost";
const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: { clientIp: "10.1.2.3" } });

let financeMember: Promise<{ id: string; cookie: string }> | undefined;
// One account per file: each password hash costs a scrypt.
const finance = () => (financeMember ??= (async () => {
  const { id } = await createStaffAccount({ username: `fin.${randomBytes(4).toString("hex")}`, displayName: "財務測試", password: "long enough password", roles: ["FINANCE"] });
  return { id, cookie: (await startStaffSession(new Request(BASE), { id })).get("Set-Cookie")!.split(";")[0]! };
})());

const get = (path: string, cookie: string) => new Request(`${BASE}${path}`, { headers: { Cookie: cookie } });

describe("finance reconciliation pages", () => {
  it("runs the fixture day from the form, shows the run, lists exceptions, resolves one and shows who did", async () => {
    const { id, cookie } = await finance();
    const ours = await seedStripeFixtureDay();
    server.use(stripeBalanceTransactionsHandler(loadStripeBalanceFixture(), { pageSize: 3 }));

    const page = await reconcileLoader(args(get("/staff/finance/reconcile", cookie)));
    expect(page.defaultDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    const bad = (await settle(reconcileAction(args(formPost(`${BASE}/staff/finance/reconcile`, { day: "2026-13-01", source: "STRIPE" }, { cookie }))))) as unknown as { init: { status: number }; data: { fieldErrors: Record<string, unknown> } };
    expect(bad.init.status).toBe(400);
    expect(Object.keys(bad.data.fieldErrors)).toEqual(["day"]);

    const ran = (await reconcileAction(args(formPost(`${BASE}/staff/finance/reconcile`, { day: STRIPE_FIXTURE_DAY, source: "STRIPE" }, { cookie })))) as Response;
    expect(ran.status).toBe(303);
    const location = ran.headers.get("Location")!;
    expect(location).toMatch(/^\/staff\/finance\/reconcile\?run=[0-9a-f-]{36}$/);

    const shown = await reconcileLoader(args(get(location, cookie)));
    expect(shown.run).toMatchObject({ source: "STRIPE", day: STRIPE_FIXTURE_DAY, matched: 1, matchedNtd: 228, feeNtd: 8, exceptions: 3, startedBy: id });
    expect(shown.run!.foundExceptions.map((e) => e.kind).sort()).toEqual(["CARD_NOT_IN_STRIPE", "STRIPE_AMOUNT_MISMATCH", "STRIPE_CHARGE_UNMATCHED"]);
    expect(shown.run!.otherTransactions.map((t) => t.type).sort()).toEqual(["payout", "refund"]);
    expect(shown.runs.items[0]).toMatchObject({ id: shown.run!.id });

    const queue = await queueLoader(args(get("/staff/finance/exceptions?kind=CARD_NOT_IN_STRIPE&status=open", cookie)));
    expect(queue.page.items).toHaveLength(1);
    const missing = queue.page.items[0]!;
    expect(missing).toMatchObject({ kind: "CARD_NOT_IN_STRIPE", amountNtd: 228, orderNumber: ours.missing.order.orderNumber });

    const path = `/staff/finance/exceptions/${missing.id}`;
    const noOrder = (await resolveAction(args(formPost(`${BASE}${path}`, { resolution: "MATCHED_BY_HAND", note: "paid twice, matched" }, { cookie }), { exceptionId: missing.id }))) as unknown as { init: { status: number }; data: { fieldErrors: Record<string, unknown> } };
    expect(noOrder.init.status).toBe(400);
    expect(Object.keys(noOrder.data.fieldErrors)).toEqual(["orderNumber"]);

    const resolved = (await resolveAction(args(formPost(`${BASE}${path}`, {
      resolution: "MATCHED_BY_HAND", note: "Stripe support: charged under another account", orderNumber: formatOrderNumber(ours.missing.order.orderNumber),
    }, { cookie }), { exceptionId: missing.id }))) as Response;
    expect(resolved.status).toBe(303);
    expect(resolved.headers.get("Location")).toBe(`${path}?done=1`);

    const detail = await exceptionLoader(args(get(`${path}?done=1`, cookie), { exceptionId: missing.id }));
    expect(detail).toMatchObject({ done: true, view: { resolution: "MATCHED_BY_HAND", resolvedBy: id, resolver: expect.stringContaining("財務測試"), resolutionNote: "Stripe support: charged under another account" } });
    expect(await prisma.auditEvent.count({ where: { action: "finance.exception_viewed", actorId: id, subjectId: missing.id } })).toBe(1);

    const again = (await resolveAction(args(formPost(`${BASE}${path}`, { resolution: "REFUND_ISSUED", note: "refund issued too" }, { cookie }), { exceptionId: missing.id }))) as unknown as { init: { status: number } };
    expect(again.init.status).toBe(409);
    expect((await queueLoader(args(get("/staff/finance/exceptions?status=resolved", cookie)))).page.items.map((i) => i.id)).toEqual([missing.id]);
  });

  it("answers 404 for a run or an exception that does not exist", async () => {
    const { cookie } = await finance();
    const missingRun = await settle(reconcileLoader(args(get("/staff/finance/reconcile?run=01900000-0000-7000-8000-000000000000", cookie))));
    expect(missingRun instanceof Response && missingRun.status).toBe(404);
    const missingException = await settle(exceptionLoader(args(get("/staff/finance/exceptions/nope", cookie), { exceptionId: "nope" })));
    expect(missingException instanceof Response && missingException.status).toBe(404);
  });
});
