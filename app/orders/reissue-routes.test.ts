// The application and status routes, called as Remix calls them: a Request with a real session cookie.
import { describe, expect, it } from "vitest";
import { formPost, settle } from "../../test/support/route-requests";
import { verifyUserCode } from "~/activation/user-code.server";
import { prisma } from "~/lib/db.server";
import { action as applyAction, loader as applyLoader } from "~/routes/reissue.apply";
import { action as statusAction, loader as statusLoader } from "~/routes/reissue.orders.$orderNumber";
import { createMailedOrderFixture } from "../../test/factories/fulfilment";
import { createOrderFixture, recordEligibleCard, testApplication } from "../../test/factories/orders";
import { citizenSessionCookie } from "../../test/factories/sessions";
import { formatOrderNumber } from "./order-number";

const BASE = "http://localhost";
const CODE = "Rt!9code";

async function sessionCookie(holderId: string, cardId: string): Promise<string> {
  return (await citizenSessionCookie({ holderId, cardId })).cookie;
}

async function eligibleSession() {
  const { holder, card } = await recordEligibleCard();
  return { holder, card, cookie: await sessionCookie(holder.id, card.id) };
}

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: { clientIp: "127.0.0.1" } });

function get(path: string, cookie?: string) {
  return new Request(`${BASE}${path}`, { headers: cookie ? { Cookie: cookie } : {} });
}

function post(path: string, cookie: string, fields: Record<string, string>, origin = BASE) {
  return formPost(`${BASE}${path}`, fields, { cookie, origin });
}

const filled = (overrides: Record<string, string> = {}) => ({
  intent: "review", ...testApplication(), userCode: CODE, userCodeConfirm: CODE, terms: "on", ...overrides,
});

/** What `data(value, { status })` hands Remix. */
type DataResult = { data: { fieldErrors: Record<string, string>; values: Record<string, string>; formError: { "zh-TW": string; en: string } | null }; init: { status: number } };

describe("/reissue/apply", () => {
  it("sends a visitor without a session to the login page and an ineligible card back to /reissue", async () => {
    const anonymous = await settle(applyLoader(args(get("/reissue/apply"))));
    expect((anonymous as Response).headers.get("Location")).toBe("/login");
    const { holder, card } = await recordEligibleCard({ daysToEnd: 200 });
    const refused = await settle(applyLoader(args(get("/reissue/apply", await sessionCookie(holder.id, card.id)))));
    expect((refused as Response).status).toBe(302);
    expect((refused as Response).headers.get("Location")).toBe("/reissue");
  });

  it("shows the name and the ID's last 4 digits from the card, and the price", async () => {
    const { holder, cookie } = await eligibleSession();
    const page = await applyLoader(args(get("/reissue/apply", cookie)));
    expect(page).toMatchObject({
      step: "form",
      applicant: { name: holder.name, nationalIdLast4: holder.nationalIdLast4 },
      fees: { totalNtd: 228 },
      draft: null,
    });
  });

  it("answers bad input with 400 and field errors, keeping every value but the user code", async () => {
    const { cookie } = await eligibleSession();
    const result = (await applyAction(args(post("/reissue/apply", cookie, filled({ mobile: "0212345678", userCodeConfirm: "Rt!9cod3", terms: "" }))))) as unknown as DataResult;
    expect(result.init.status).toBe(400);
    expect(result.data.fieldErrors).toEqual({ mobile: "field.mobile.invalid", userCodeConfirm: "field.userCodeConfirm.mismatch", terms: "field.terms.required" });
    expect(result.data.values).toMatchObject({ mobile: "0212345678", email: "applicant@example.tw", postcode: "100", address: testApplication().address });
    expect(JSON.stringify(result)).not.toContain("Rt!9cod");
  });

  it("reviews, shows the confirm step, then creates the order on confirm and redirects to its status page", async () => {
    const { holder, cookie } = await eligibleSession();
    const reviewed = (await applyAction(args(post("/reissue/apply", cookie, filled({ mobile: "0912 345 678", postcode: "880" }))))) as Response;
    expect(reviewed.status).toBe(302);
    expect(reviewed.headers.get("Location")).toBe("/reissue/apply?step=confirm");
    const confirmPage = await applyLoader(args(get("/reissue/apply?step=confirm", cookie)));
    expect(confirmPage).toMatchObject({ step: "confirm", draft: { mobile: "0912345678", postcode: "880", outlyingIsland: true } });
    expect(JSON.stringify(confirmPage)).not.toMatch(/scrypt|Rt!9code/);

    const confirmed = (await applyAction(args(post("/reissue/apply?step=confirm", cookie, { intent: "confirm" })))) as Response;
    expect(confirmed.status).toBe(302);
    const order = await prisma.reissueOrder.findFirstOrThrow({ where: { holderId: holder.id }, include: { application: true } });
    expect(confirmed.headers.get("Location")).toBe(`/reissue/orders/${order.orderNumber}`);
    expect(order.application).toMatchObject({ mobile: "0912345678", postcode: "880", outlyingIsland: true });
    expect(await verifyUserCode(CODE, order.application!.userCodeHash)).toBe(true);

    // The draft is gone and the card now has an open order: the form is no longer offered.
    const after = await settle(applyLoader(args(get("/reissue/apply?step=confirm", cookie))));
    expect((after as Response).headers.get("Location")).toBe("/reissue");
    const view = await statusLoader(args(get(confirmed.headers.get("Location")!, cookie), { orderNumber: order.orderNumber }));
    expect(view.view).toMatchObject({ orderNumber: order.orderNumber, status: "AWAITING_PAYMENT", amount: { totalNtd: 228 } });
  });

  it("says clearly, in both languages, when the holder already has an open order", async () => {
    const { holder, card, cookie } = await eligibleSession();
    await applyAction(args(post("/reissue/apply", cookie, filled())));
    // Meanwhile another tab finished an application.
    const other = await createOrderFixture();
    await prisma.reissueOrder.update({ where: { id: other.order.id }, data: { holderId: holder.id, appliedWithCardId: card.id } });
    const result = (await applyAction(args(post("/reissue/apply?step=confirm", cookie, { intent: "confirm" })))) as unknown as DataResult;
    expect(result.init.status).toBe(409);
    expect(result.data.formError!["zh-TW"]).toContain("不能重複申請");
    expect(result.data.formError!.en).toContain("cannot apply twice");
  });

  it("refuses a POST from another origin", async () => {
    const { holder, cookie } = await eligibleSession();
    const result = (await applyAction(args(post("/reissue/apply", cookie, filled(), "https://evil.example")))) as unknown as DataResult;
    expect(result.init.status).toBe(403);
    const confirm = (await applyAction(args(post("/reissue/apply?step=confirm", cookie, { intent: "confirm" }, "https://evil.example")))) as unknown as DataResult;
    expect(confirm.init.status).toBe(403);
    expect(await prisma.reissueOrder.count({ where: { holderId: holder.id } })).toBe(0);
  });
});

describe("/reissue/orders/:orderNumber", () => {
  it("shows the holder's own order, also by its formatted number, and answers 404 for anyone else's", async () => {
    const { holder, card, order } = await createOrderFixture();
    const cookie = await sessionCookie(holder.id, card.id);
    const own = await statusLoader(args(get(`/reissue/orders/${order.orderNumber}`, cookie), { orderNumber: order.orderNumber }));
    expect(own.view.orderNumber).toBe(order.orderNumber);
    const formatted = formatOrderNumber(order.orderNumber);
    expect((await statusLoader(args(get(`/reissue/orders/${formatted}`, cookie), { orderNumber: formatted }))).view.orderNumber).toBe(order.orderNumber);

    const stranger = await createOrderFixture();
    const strangerCookie = await sessionCookie(stranger.holder.id, stranger.card.id);
    const refused = await settle(statusLoader(args(get(`/reissue/orders/${order.orderNumber}`, strangerCookie), { orderNumber: order.orderNumber })));
    expect((refused as Response).status).toBe(404);
    const garbage = await settle(statusLoader(args(get("/reissue/orders/nonsense", cookie), { orderNumber: "nonsense" })));
    expect((garbage as Response).status).toBe(404);
  });

  it("reads 'processing' after the return from card checkout", async () => {
    const { holder, card, order } = await createOrderFixture();
    const cookie = await sessionCookie(holder.id, card.id);
    const path = `/reissue/orders/${order.orderNumber}?checkout=returned`;
    const { view } = await statusLoader(args(get(path, cookie), { orderNumber: order.orderNumber }));
    expect(view).toMatchObject({ phase: "PROCESSING", status: "AWAITING_PAYMENT" });
  });

  it("explains a refused card checkout from its code, and ignores codes it does not know", async () => {
    const { holder, card, order } = await createOrderFixture();
    const cookie = await sessionCookie(holder.id, card.id);
    const load = (query: string) => statusLoader(args(get(`/reissue/orders/${order.orderNumber}?${query}`, cookie), { orderNumber: order.orderNumber }));
    const refused = await load("checkout_error=CARD_CHECKOUT_TOO_LATE");
    expect(refused.checkoutError?.["zh-TW"]).toMatch(/30 分鐘/);
    expect(refused.checkoutError?.en).toMatch(/30 minutes/);
    expect((await load("checkout_error=<script>")).checkoutError).toBeNull();
  });
});

describe("/reissue/orders/:orderNumber — delivered but not received", () => {
  async function deliveredOrder() {
    const fixture = await createMailedOrderFixture({ trackingStatus: "DELIVERED" });
    await prisma.reissueOrder.update({ where: { id: fixture.order.id }, data: { status: "DELIVERED" } });
    return { ...fixture, cookie: await sessionCookie(fixture.holder.id, fixture.card.id) };
  }
  const report = { intent: "report-not-received" };
  type FormErrorResult = { data: { formError: { "zh-TW": string; en: string } }; init: { status: number } };

  it("tells support and sends the holder back to the status page, which confirms it and offers no second report", async () => {
    const { order, cookie } = await deliveredOrder();
    const path = `/reissue/orders/${order.orderNumber}`;
    const before = await statusLoader(args(get(path, cookie), { orderNumber: order.orderNumber }));
    expect(before).toMatchObject({ notReceivedReported: false, view: { fulfilment: { stage: "DELIVERED", notReceived: { canReport: true } } } });

    const answered = (await statusAction(args(post(path, cookie, report), { orderNumber: order.orderNumber }))) as Response;
    expect(answered.status).toBe(303);
    expect(answered.headers.get("Location")).toBe(`${path}?reported=not-received`);
    expect(await prisma.supportCase.count({ where: { orderId: order.id, kind: "DELIVERED_NOT_RECEIVED" } })).toBe(1);

    const after = await statusLoader(args(get(answered.headers.get("Location")!, cookie), { orderNumber: order.orderNumber }));
    expect(after.notReceivedReported).toBe(true);
    expect(after.view.fulfilment!.notReceived).toMatchObject({ canReport: false, reportedAt: expect.any(String) });
    // The same form sent again (a double click, the back button) changes nothing.
    await statusAction(args(post(path, cookie, report), { orderNumber: order.orderNumber }));
    expect(await prisma.supportCase.count({ where: { orderId: order.id } })).toBe(1);
  });

  it("the flag alone does not claim a report was made", async () => {
    const { order, cookie } = await deliveredOrder();
    const page = await statusLoader(args(get(`/reissue/orders/${order.orderNumber}?reported=not-received`, cookie), { orderNumber: order.orderNumber }));
    expect(page.notReceivedReported).toBe(false);
  });

  it("refuses another site's form, an unknown intent, a letter not delivered, someone else's order and no session", async () => {
    const { order, cookie } = await deliveredOrder();
    const path = `/reissue/orders/${order.orderNumber}`;
    const params = { orderNumber: order.orderNumber };
    const crossSite = (await statusAction(args(post(path, cookie, report, "https://evil.example"), params))) as Response;
    expect(crossSite.status).toBe(403);
    const unknown = (await statusAction(args(post(path, cookie, { intent: "delete-everything" }), params))) as unknown as FormErrorResult;
    expect(unknown.init.status).toBe(400);

    const inTransit = await createMailedOrderFixture({ trackingStatus: "IN_TRANSIT" });
    const inTransitCookie = await sessionCookie(inTransit.holder.id, inTransit.card.id);
    const early = (await statusAction(args(post(`/reissue/orders/${inTransit.order.orderNumber}`, inTransitCookie, report), { orderNumber: inTransit.order.orderNumber }))) as unknown as FormErrorResult;
    expect(early.init.status).toBe(409);
    expect(early.data.formError["zh-TW"]).toContain("0800-080-117");

    // The stranger posts to this holder's order: answered like a missing one.
    const strangerOrder = await statusAction(args(post(path, inTransitCookie, report), params));
    expect((strangerOrder as Response).status).toBe(404);
    const anonymous = await settle(statusAction(args(new Request(`${BASE}${path}`, { method: "POST", body: new URLSearchParams(report) }), params)));
    expect((anonymous as Response).headers.get("Location")).toBe("/login");
    expect(await prisma.supportCase.count({ where: { orderId: { in: [order.id, inTransit.order.id] } } })).toBe(0);
  });
});
