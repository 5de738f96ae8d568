// Issue 13: a card revoked or suspended at the CA after login is refused at the session's next request that changes
// anything (apply, confirm, pay, report), and a CA that cannot answer stops the request with a 503 — both before
// anything is written. The routes are called as Remix calls them, with the status source given in the load context.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";

// env() caches on first read, and importing the database module reads it: set Stripe's key before any import.
vi.hoisted(() => {
  process.env.STRIPE_SECRET_KEY = "sk_test_moica_recheck";
});

import { citizenFromRequest } from "~/auth/session.server";
import { prisma } from "~/lib/db.server";
import { loader as loginLoader } from "~/routes/login";
import { action as applyAction } from "~/routes/reissue.apply";
import { action as statusAction } from "~/routes/reissue.orders.$orderNumber";
import { action as payByCard } from "~/routes/reissue.orders.$orderNumber.pay.card";
import { loadApplicationDraft } from "~/orders/application-draft.server";
import { createMailedOrderFixture } from "../../test/factories/fulfilment";
import { createOrderFixture, recordEligibleCard, testApplication } from "../../test/factories/orders";
import { citizenSessionCookie } from "../../test/factories/sessions";
import { serveStripeCheckoutFake } from "../../test/msw/server";
import type { CheckoutSessionsFake } from "../../test/msw/stripe";
import { controlledCertificateStatus, type ControlledCertificateStatus } from "../../test/support/certificate-status";
import { formPost, settle } from "../../test/support/route-requests";

const BASE = "http://localhost";
const CODE = "Rt!9code";
let stripe: CheckoutSessionsFake;
serveStripeCheckoutFake((fake) => (stripe = fake));

const args = (request: Request, certificateStatus: ControlledCertificateStatus, params: Record<string, string> = {}) =>
  ({ request, params, context: { clientIp: "127.0.0.1", certificateStatus } });
const post = (path: string, cookie: string, fields: Record<string, string>) => formPost(`${BASE}${path}`, fields, { cookie });
const withCookie = (cookie: string) => new Request(`${BASE}/reissue`, { headers: { Cookie: cookie } });
const review = () => ({ intent: "review", ...testApplication(), userCode: CODE, userCodeConfirm: CODE, terms: "on" });

async function loggedIn(fixture: { holder: { id: string }; card: { id: string } }) {
  const { cookie, certificateId } = await citizenSessionCookie({ holderId: fixture.holder.id, cardId: fixture.card.id });
  return { cookie, certificateId, ca: controlledCertificateStatus() };
}

/** The session was ended: sent to the login page with the reason's code, the cookie cleared, the session dead. */
async function expectEnded(result: unknown, cookie: string, code: "CERTIFICATE_REVOKED" | "CERTIFICATE_SUSPENDED") {
  expect(result).toBeInstanceOf(Response);
  const response = result as Response;
  expect(response.status).toBe(303);
  expect(response.headers.get("Location")).toBe(`/login?ended=${code}`);
  expect(response.headers.get("Set-Cookie")).toMatch(/moica_session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/i);
  expect(await citizenFromRequest(withCookie(cookie))).toBeNull();
}

/** A 503 that says to try later, in both languages; the session is kept (the card is not at fault). */
async function expectUnavailable(result: unknown, cookie: string) {
  expect(result).toBeInstanceOf(Response);
  const response = result as Response;
  expect(response.status).toBe(503);
  expect(response.headers.get("Retry-After")).toBe("60");
  const body = (await response.json()) as { error: { code: string; message: { "zh-TW": string; en: string } } };
  expect(body.error.code).toBe("CERTIFICATE_STATUS_UNAVAILABLE");
  expect(body.error.message["zh-TW"]).toContain("請稍後再試");
  expect(body.error.message.en).toMatch(/try again later/i);
  expect(await citizenFromRequest(withCookie(cookie))).not.toBeNull();
}

describe("a card revoked or suspended at the CA after login", () => {
  it("apply: the next form sent ends the session with the revoked explanation and saves no draft", async () => {
    const eligible = await recordEligibleCard();
    const { cookie, certificateId, ca } = await loggedIn(eligible);
    ca.set(certificateId, "REVOKED");

    const result = await settle(applyAction(args(post("/reissue/apply", cookie, review()), ca)));
    await expectEnded(result, cookie, "CERTIFICATE_REVOKED");
    expect(await loadApplicationDraft({ holderId: eligible.holder.id, cardId: eligible.card.id })).toBeNull();
    expect(ca.lookUps).toBe(1);
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "auth.session_ended", subjectId: eligible.card.id } });
    expect(audit.details).toEqual({ code: "CERTIFICATE_REVOKED" });
  });

  it("confirm: a card suspended between review and confirm orders nothing", async () => {
    const eligible = await recordEligibleCard();
    const { cookie, certificateId, ca } = await loggedIn(eligible);
    const reviewed = (await applyAction(args(post("/reissue/apply", cookie, review()), ca))) as Response;
    expect(reviewed.headers.get("Location")).toBe("/reissue/apply?step=confirm");
    ca.set(certificateId, "SUSPENDED");

    const result = await settle(applyAction(args(post("/reissue/apply?step=confirm", cookie, { intent: "confirm" }), ca)));
    await expectEnded(result, cookie, "CERTIFICATE_SUSPENDED");
    expect(await prisma.reissueOrder.count({ where: { holderId: eligible.holder.id } })).toBe(0);
  });

  it("pay by card: no checkout is opened at Stripe and no payment recorded", async () => {
    const fixture = await createOrderFixture();
    const { cookie, certificateId, ca } = await loggedIn(fixture);
    ca.set(certificateId, "REVOKED");

    const path = `/reissue/orders/${fixture.order.orderNumber}/pay/card`;
    const result = await settle(payByCard(args(post(path, cookie, {}), ca, { orderNumber: fixture.order.orderNumber })));
    await expectEnded(result, cookie, "CERTIFICATE_REVOKED");
    expect(stripe.requests).toHaveLength(0);
    expect(await prisma.payment.count({ where: { orderId: fixture.order.id } })).toBe(0);
  });

  it("the not-received report on the status page: no support case is opened", async () => {
    const fixture = await createMailedOrderFixture({ trackingStatus: "DELIVERED" });
    await prisma.reissueOrder.update({ where: { id: fixture.order.id }, data: { status: "DELIVERED" } });
    const { cookie, certificateId, ca } = await loggedIn(fixture);
    ca.set(certificateId, "SUSPENDED");

    const path = `/reissue/orders/${fixture.order.orderNumber}`;
    const result = await settle(statusAction(args(post(path, cookie, { intent: "report-not-received" }), ca, { orderNumber: fixture.order.orderNumber })));
    await expectEnded(result, cookie, "CERTIFICATE_SUSPENDED");
    expect(await prisma.supportCase.count({ where: { orderId: fixture.order.id } })).toBe(0);
  });

  it("a card still valid at the CA goes on as before, with one status look-up per request", async () => {
    const eligible = await recordEligibleCard();
    const { cookie, ca } = await loggedIn(eligible);
    const reviewed = (await applyAction(args(post("/reissue/apply", cookie, review()), ca))) as Response;
    expect(reviewed.headers.get("Location")).toBe("/reissue/apply?step=confirm");
    expect(ca.lookUps).toBe(1);
  });
});

describe("every citizen action re-checks the card", () => {
  const routesDir = path.resolve(import.meta.dirname, "../routes");
  // Actions of citizen routes that may run on a withdrawn card: nothing in them changes what the card may do.
  const EXEMPT: Record<string, string> = {
    "logout.ts": "ends the session itself",
    "auth.card.verify.ts": "is the login, which asks the CA itself (card-login-status.test.ts)",
  };
  const citizenActions = readdirSync(routesDir).filter((file) => {
    const source = readFileSync(path.join(routesDir, file), "utf8");
    return source.includes("~/auth/session.server") && /export (async )?function action\b/.test(source) && !(file in EXEMPT);
  });

  it("finds the citizen routes that change something", () => {
    expect(citizenActions.sort()).toEqual(["reissue.apply.tsx", "reissue.orders.$orderNumber.pay.card.ts", "reissue.orders.$orderNumber.tsx"]);
  });

  it.each(citizenActions)("%s ends a revoked card's session before doing anything", async (file) => {
    const fixture = await createOrderFixture();
    const { cookie, certificateId, ca } = await loggedIn(fixture);
    ca.set(certificateId, "REVOKED");
    const route = (await import(path.join(routesDir, file))) as { action: (a: ReturnType<typeof args>) => Promise<unknown> };
    const result = await settle(route.action(args(post(`/reissue/orders/${fixture.order.orderNumber}`, cookie, {}), ca, { orderNumber: fixture.order.orderNumber })));
    await expectEnded(result, cookie, "CERTIFICATE_REVOKED");
  });
});

describe("the CA's status unavailable at a re-check (fail closed)", () => {
  it("apply, confirm and pay answer 503 'try again later' and write nothing", async () => {
    const eligible = await recordEligibleCard();
    const { cookie, ca } = await loggedIn(eligible);
    const reviewed = (await applyAction(args(post("/reissue/apply", cookie, review()), ca))) as Response;
    expect(reviewed.status).toBe(302);
    ca.goDown();

    await expectUnavailable(await settle(applyAction(args(post("/reissue/apply?step=confirm", cookie, { intent: "confirm" }), ca))), cookie);
    expect(await prisma.reissueOrder.count({ where: { holderId: eligible.holder.id } })).toBe(0);

    const draftBefore = await loadApplicationDraft({ holderId: eligible.holder.id, cardId: eligible.card.id });
    await expectUnavailable(await settle(applyAction(args(post("/reissue/apply", cookie, { ...review(), postcode: "880" }), ca))), cookie);
    expect(await loadApplicationDraft({ holderId: eligible.holder.id, cardId: eligible.card.id })).toEqual(draftBefore);

    const fixture = await createOrderFixture();
    const other = await loggedIn(fixture);
    other.ca.goDown();
    const path = `/reissue/orders/${fixture.order.orderNumber}/pay/card`;
    await expectUnavailable(await settle(payByCard(args(post(path, other.cookie, {}), other.ca, { orderNumber: fixture.order.orderNumber }))), other.cookie);
    expect(stripe.requests).toHaveLength(0);
    expect(await prisma.payment.count({ where: { orderId: fixture.order.id } })).toBe(0);
  });
});

describe("the login page after a session was ended", () => {
  const load = (query: string) => loginLoader({ request: new Request(`${BASE}/login${query}`), params: {}, context: { clientIp: "127.0.0.1" } });

  it("explains a revoked card: a new card at a household registration office, NT$250, support 0800-080-117", async () => {
    const { ended } = await load("?ended=CERTIFICATE_REVOKED");
    expect(ended!["zh-TW"]).toMatch(/已廢止[\s\S]*250 元[\s\S]*戶政事務所[\s\S]*0800-080-117/);
    expect(ended!.en).toMatch(/revoked[\s\S]*NT\$250[\s\S]*household registration office[\s\S]*0800-080-117/);
  });

  it("explains a suspended card: resume (復用) first, then log in again", async () => {
    const { ended } = await load("?ended=CERTIFICATE_SUSPENDED");
    expect(ended!["zh-TW"]).toMatch(/已停用[\s\S]*復用[\s\S]*重新登入/);
    expect(ended!.en).toMatch(/suspended[\s\S]*resumed[\s\S]*log in again/);
  });

  it("shows nothing for a code it does not know", async () => {
    expect((await load("?ended=<script>")).ended).toBeNull();
    expect((await load("")).ended).toBeNull();
  });
});
