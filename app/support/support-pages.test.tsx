// The support desk's pages called as Remix calls them: real staff sessions, real forms, the support domain underneath.
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { activateCard } from "~/activation/activation.server";
import { prisma } from "~/lib/db.server";
import { formatOrderNumber } from "~/orders/order-number";
import { action as orderAction, loader as orderLoader } from "~/routes/staff.support.$orderNumber";
import { action as searchAction, loader as searchLoader } from "~/routes/staff.support._index";
import { LiftLockForm } from "~/components/staff/lift-lock-form";
import { staffText } from "~/components/staff/staff-text";
import { supportText } from "~/components/staff/support/support-text";
import { createStaffAccount } from "~/staff/staff-accounts.server";
import { startStaffSession } from "~/staff/staff-session.server";
import { createAwaitingActivationFixture } from "../../test/factories/activation";
import { createMailedOrderFixture } from "../../test/factories/fulfilment";
import { createOrderFixture } from "../../test/factories/orders";
import { createSentOutboxMail } from "../../test/factories/support";
import { renderPage } from "../../test/support/render-page";
import { formPost, settle } from "../../test/support/route-requests";

const BASE = "http://localhost";
type Answer = {
  data: {
    intent?: string;
    formError?: Record<string, string>;
    fieldErrors?: Record<string, Record<string, string>>;
    values?: Record<string, string>;
    results?: { by: string; matches: Array<{ orderNumber: string; nationalIdMasked: string }> };
  };
  init: { status: number; headers?: Record<string, string> };
};

const args = (request: Request, params: Record<string, string> = {}) => ({ request, params, context: { clientIp: "10.1.2.3" } });
const cookieOf = (headers: Headers) => headers.get("Set-Cookie")!.split(";")[0]!;

let support: { id: string; cookie: string };
let finance: { cookie: string };
beforeAll(async () => {
  // One scrypt hash per account: two accounts for the whole file.
  const make = async (roles: Array<"SUPPORT" | "FINANCE">) => {
    const { id } = await createStaffAccount({ username: `desk.${randomBytes(4).toString("hex")}`, displayName: "客服", password: "long enough password", roles });
    return { id, cookie: cookieOf(await startStaffSession(new Request(BASE), { id })) };
  };
  [support, finance] = await Promise.all([make(["SUPPORT"]), make(["FINANCE"])]);
});

const search = (query: string, cookie = support.cookie) => searchAction(args(formPost(`${BASE}/staff/support`, { query }, { cookie })));
const orderPage = (orderNumber: string, cookie = support.cookie) =>
  orderLoader(args(new Request(`${BASE}/staff/support/${orderNumber}`, { headers: { Cookie: cookie } }), { orderNumber }));
const postOrder = (orderNumber: string, fields: Record<string, string>, { cookie = support.cookie, origin }: { cookie?: string; origin?: string } = {}) =>
  orderAction(args(formPost(`${BASE}/staff/support/${orderNumber}`, fields, { cookie, origin }), { orderNumber }));

describe("/staff/support (search)", () => {
  it("goes straight to the order page on one match, with no number in the URL", async () => {
    const f = await createAwaitingActivationFixture();
    expect(await searchLoader(args(new Request(`${BASE}/staff/support`, { headers: { Cookie: support.cookie } })))).toBeNull();
    for (const query of [f.registeredMail.mailNumber, formatOrderNumber(f.order.orderNumber), f.cardNumber]) {
      const response = (await search(query)) as Response;
      expect(response.status).toBe(303);
      expect(response.headers.get("Location")).toBe(`/staff/support/${f.order.orderNumber}`);
    }
    expect(await prisma.auditEvent.count({ where: { action: "support.looked_up", actorId: support.id, subjectId: f.order.id } })).toBe(3);
  });

  it("lists a holder's orders found by ID without echoing the ID, and the order page then shows A12345****", async () => {
    const f = await createAwaitingActivationFixture();
    const older = await createOrderFixture({ status: "DELETED_UNPAID", createdAt: new Date(Date.now() - 9 * 86_400_000), appliedWith: { holderId: f.holder.id, cardId: f.oldCardId } });
    const answer = (await search(f.nationalId)) as unknown as Answer;
    expect(answer.init.status ?? 200).toBe(200);
    expect(answer.data.results?.matches.map((m) => m.orderNumber)).toEqual([f.order.orderNumber, older.order.orderNumber]);
    expect(answer.data.values).toEqual({ query: "" });
    const masked = `${f.nationalId.slice(0, 6)}****`;
    expect(answer.data.results?.matches[0]?.nationalIdMasked).toBe(masked);
    expect(JSON.stringify(answer.data)).not.toContain(f.nationalId);

    const hint = new Headers(answer.init.headers).get("Set-Cookie")!;
    expect(hint).not.toContain(f.nationalId);
    const cookie = `${support.cookie}; ${hint.split(";")[0]}`;
    const page = await orderPage(f.order.orderNumber, cookie);
    expect(page.view.holder.nationalIdMasked).toBe(masked);
    expect(JSON.stringify(page)).not.toContain(f.nationalId);
    // Without the hint (another look-up, another order), only the stored last 4 digits.
    expect((await orderPage(f.order.orderNumber)).view.holder.nationalIdMasked).toBe(`******${f.nationalId.slice(-4)}`);
  });

  it("says clearly when nothing matches or the number is no key, keeping what was typed", async () => {
    const none = (await search("98765432109876543210")) as unknown as Answer;
    expect(none.init.status).toBe(404);
    expect(none.data.fieldErrors?.query?.en).toBe(supportText("en", "error.notFound"));
    expect(none.data.values).toEqual({ query: "98765432109876543210" });
    const bad = (await search("hello")) as unknown as Answer;
    expect(bad.init.status).toBe(400);
    expect(bad.data.fieldErrors?.query?.["zh-TW"]).toBe(supportText("zh-TW", "error.queryFormat"));
    const badId = (await search("A123456788")) as unknown as Answer;
    expect(badId.data.fieldErrors?.query?.en).toBe(supportText("en", "error.nationalIdFormat"));
  });

  it("refuses another role and another site's form", async () => {
    expect(((await settle(search("12345678901234567890", finance.cookie))) as Response).status).toBe(403);
    const forged = (await searchAction(args(formPost(`${BASE}/staff/support`, { query: "12345678901234567890" }, { cookie: support.cookie, origin: "https://evil.example" })))) as unknown as Answer;
    expect(forged.init.status).toBe(403);
  });
});

describe("/staff/support/$orderNumber", () => {
  it("shows the order masked, 404 for an unknown number", async () => {
    const f = await createMailedOrderFixture({ application: { mobile: "0911222333", email: "chen@example.tw" } });
    const page = await orderPage(f.order.orderNumber);
    expect(page.view).toMatchObject({ orderNumber: f.order.orderNumber, contact: { mobile: "0911***333", email: "c***@example.tw" }, mail: { mailNumber: f.registeredMail.mailNumber } });
    expect(page.view).not.toHaveProperty("orderId");
    expect(JSON.stringify(page)).not.toMatch(/0911222333|chen@example|重慶南路/);
    expect(((await settle(orderPage("000000000000"))) as Response).status).toBe(404);
  });

  it("adds a note, resends a mail and records a not-received case; each redirects with done", async () => {
    const f = await createMailedOrderFixture({ trackingStatus: "DELIVERED" });
    await createSentOutboxMail(f.order.id, "MAILED");
    for (const [fields, intent] of [
      [{ intent: "add-note", body: "來電詢問，已說明" }, "add-note"],
      [{ intent: "resend-mail", kind: "MAILED", reason: "來電表示未收到寄出通知" }, "resend-mail"],
      [{ intent: "not-received", reason: "來電表示未收到卡片" }, "not-received"],
    ] as const) {
      const response = (await postOrder(f.order.orderNumber, fields)) as Response;
      expect(response.status, intent).toBe(303);
      expect(response.headers.get("Location")).toBe(`/staff/support/${f.order.orderNumber}?done=${intent}`);
    }
    const page = await orderPage(f.order.orderNumber);
    expect(page.view.notes.map((n) => n.body)).toEqual(["來電詢問，已說明"]);
    expect(page.view.mails).toMatchObject([{ kind: "MAILED", status: "PENDING", resends: 1 }]);
    const [openCase] = page.view.cases;
    expect(openCase).toMatchObject({ kind: "DELIVERED_NOT_RECEIVED", resolvedAt: null });

    const resolved = (await postOrder(f.order.orderNumber, { intent: "resolve-case", caseId: openCase!.id, resolution: "郵局查明誤投，已重新投遞" })) as Response;
    expect(resolved.headers.get("Location")).toBe(`/staff/support/${f.order.orderNumber}?done=resolve-case`);
    expect((await orderPage(f.order.orderNumber)).view.cases[0]).toMatchObject({ resolution: "郵局查明誤投，已重新投遞" });
  });

  it("keeps entered text on errors, on the field concerned", async () => {
    const f = await createMailedOrderFixture();
    const short = (await postOrder(f.order.orderNumber, { intent: "resend-mail", kind: "PAID", reason: "短" })) as unknown as Answer;
    expect(short.init.status).toBe(400);
    expect(short.data).toMatchObject({ intent: "resend-mail", values: { reason: "短" } });
    expect(short.data.fieldErrors?.reason?.en).toBe(supportText("en", "error.reasonLength"));
    const unwritten = (await postOrder(f.order.orderNumber, { intent: "resend-mail", kind: "PAID", reason: "來電表示未收到繳費通知" })) as unknown as Answer;
    expect(unwritten.init.status).toBe(409);
    expect(unwritten.data).toMatchObject({ values: { reason: "來電表示未收到繳費通知" } });
    expect(unwritten.data.fieldErrors?.kind?.en).toMatch(/no such e-mail/);
    const notDelivered = (await postOrder(f.order.orderNumber, { intent: "not-received", reason: "來電表示未收到卡片" })) as unknown as Answer;
    expect(notDelivered.init.status).toBe(409);
    expect(notDelivered.data.formError?.en).toMatch(/does not show this letter delivered/);
    const longNote = "字".repeat(2001);
    const tooLong = (await postOrder(f.order.orderNumber, { intent: "add-note", body: longNote })) as unknown as Answer;
    expect(tooLong.data.fieldErrors?.body?.en).toBe(supportText("en", "error.noteLength"));
    const unknown = (await postOrder(f.order.orderNumber, { intent: "delete-order" })) as unknown as Answer;
    expect(unknown.init.status).toBe(400);
    expect(await prisma.auditEvent.count({ where: { subjectId: f.order.id, action: { in: ["support.mail_resent", "support.note_added", "support.not_received_recorded"] } } })).toBe(0);
  });

  it("lifts an activation lock from the order page", async () => {
    const f = await createAwaitingActivationFixture();
    for (let i = 0; i < 4; i++) await activateCard({ body: { ...f.reading, userCode: "Wrong#123", accepted: true }, ip: `198.18.3.${i}` }).catch(() => {});
    expect((await orderPage(f.order.orderNumber)).view.can.liftLock).toBe(true);
    const unconfirmed = (await postOrder(f.order.orderNumber, { intent: "lift-lock", reason: "持卡人來電確認" })) as unknown as Answer;
    expect(unconfirmed.init.status).toBe(400);
    expect(unconfirmed.data.values?.reason).toBe("持卡人來電確認");
    const lifted = (await postOrder(f.order.orderNumber, { intent: "lift-lock", remembersCode: "on", reason: "持卡人來電確認記得代碼" })) as Response;
    expect(lifted.headers.get("Location")).toBe(`/staff/support/${f.order.orderNumber}?done=lift-lock`);
    expect(await prisma.reissueOrder.findUniqueOrThrow({ where: { id: f.order.id } })).toMatchObject({ activationFailures: 0, activationLockedAt: null });
  });

  it("after 2 lifts the page offers no third and says why; a forged third is refused with the registrar hint", async () => {
    const f = await createAwaitingActivationFixture();
    await prisma.reissueOrder.update({ where: { id: f.order.id }, data: { activationFailures: 4, activationLockedAt: new Date(), activationLockLifts: 2 } });
    const { view } = await orderPage(f.order.orderNumber);
    expect(view.can.liftLock).toBe(false);
    expect(view.activation).toMatchObject({ lockLifts: 2, maxLockLifts: 2 });
    const { html, text } = await renderPage("zh-TW", <LiftLockForm locked liftLimitReached failure={undefined} />);
    expect(html).not.toContain('name="intent"');
    expect(text).toContain(staffText("zh-TW", "lift.limitReached"));
    const third = (await postOrder(f.order.orderNumber, { intent: "lift-lock", remembersCode: "on", reason: "持卡人來電確認記得代碼" })) as unknown as Answer;
    expect(third.init.status).toBe(409);
    expect(third.data.formError?.en).toMatch(/household registration office/);
    expect(await prisma.reissueOrder.findUniqueOrThrow({ where: { id: f.order.id } })).toMatchObject({ activationFailures: 4, activationLockLifts: 2 });
  });

  it("refuses other roles on the server", async () => {
    const f = await createMailedOrderFixture();
    expect(((await settle(orderPage(f.order.orderNumber, finance.cookie))) as Response).status).toBe(403);
    expect(((await settle(postOrder(f.order.orderNumber, { intent: "add-note", body: "x" }, { cookie: finance.cookie }))) as Response).status).toBe(403);
  });
});
