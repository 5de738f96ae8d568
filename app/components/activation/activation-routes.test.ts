// The activation page's resource routes, called as Remix calls them: a real Request, the real domain and database.
// (Beside the page's components: a test file under app/routes would itself become a route.)
import type { ActionFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { action as cardAction, loader as cardLoader } from "~/routes/activate.card";
import { action as confirmAction, loader as confirmLoader } from "~/routes/activate.confirm";
import { createAwaitingActivationFixture, TEST_USER_CODE } from "../../../test/factories/activation";

const BASE = "http://localhost";
let ipSequence = 0;

/** A fresh client address per test, so the per-IP limits in front of the attempts never decide a test by accident. */
const args = (request: Request, ip = `192.0.2.${++ipSequence}`) =>
  ({ request, params: {}, context: { clientIp: ip } }) as unknown as ActionFunctionArgs;

function post(path: string, body: unknown, { origin = BASE, raw }: { origin?: string | null; raw?: string } = {}) {
  const headers: Record<string, string> = { "Content-Type": "application/json", Accept: "application/json" };
  if (origin) headers.Origin = origin;
  return new Request(`${BASE}${path}`, { method: "POST", headers, body: raw ?? JSON.stringify(body) });
}

type ErrorBody = { error: { code: string; message: { "zh-TW": string; en: string } } };

const orderState = (orderId: string) =>
  prisma.reissueOrder.findUniqueOrThrow({ where: { id: orderId }, select: { status: true, activationFailures: true, activationLockedAt: true, activatedAt: true } });

const certificateStatuses = async (cardId: string) =>
  (await prisma.certificate.findMany({ where: { cardId }, select: { status: true } })).map((c) => c.status).sort();

describe("POST /activate/card", () => {
  it("answers what awaits activation on the card: both serials, validity and tries left, never cached", async () => {
    const fixture = await createAwaitingActivationFixture();
    const response = await cardAction(args(post("/activate/card", fixture.reading)));
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const preview = await response.json();
    const issued = await prisma.certificate.findMany({ where: { cardId: fixture.newCardId }, select: { usage: true, serialNumber: true } });
    expect(preview).toMatchObject({ orderNumber: fixture.order.orderNumber, cardNumber: fixture.cardNumber, holderName: "王小明", attemptsLeft: 4 });
    expect(preview.certificates.map((c: { usage: string }) => c.usage)).toEqual(["SIGNING", "ENCRYPTION"]);
    expect(preview.certificates.map((c: { serialNumber: string }) => c.serialNumber).sort()).toEqual(issued.map((c) => c.serialNumber).sort());
    expect(await orderState(fixture.order.id)).toMatchObject({ status: "MAILED", activationFailures: 0 });
  });

  it("passes the domain's refusal on as is: another card's certificates are a mismatch", async () => {
    const fixture = await createAwaitingActivationFixture();
    const other = await createAwaitingActivationFixture();
    const response = await cardAction(args(post("/activate/card", { cardNumber: fixture.cardNumber, certificates: other.certificates })));
    expect(response.status).toBe(409);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(((await response.json()) as ErrorBody).error.code).toBe("CERTIFICATES_MISMATCH");
  });

  it("refuses another site's POST (403), a GET (405) and a body that is not JSON (400)", async () => {
    const fixture = await createAwaitingActivationFixture();
    const crossSite = await cardAction(args(post("/activate/card", fixture.reading, { origin: "https://evil.example" })));
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as ErrorBody).error.code).toBe("CROSS_ORIGIN");
    const get = cardLoader();
    expect(get.status).toBe(405);
    expect(get.headers.get("Allow")).toBe("POST");
    const put = await cardAction(args(new Request(`${BASE}/activate/card`, { method: "PUT", headers: { Origin: BASE }, body: "{}" })));
    expect(put.status).toBe(405);
    const notJson = await cardAction(args(post("/activate/card", null, { raw: "{cardNumber:" })));
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as ErrorBody).error.code).toBe("BODY_NOT_JSON");
  });
});

describe("POST /activate/confirm", () => {
  const confirm = (reading: { cardNumber: string; certificates: string[] }, userCode: string, ip?: string) =>
    confirmAction(args(post("/activate/confirm", { ...reading, userCode, accepted: true }), ip));

  it("a wrong code answers 400 with the tries left, counts one, and leaves the certificates waiting", async () => {
    const fixture = await createAwaitingActivationFixture();
    const response = await confirm(fixture.reading, "Moica#2027");
    expect(response.status).toBe(400);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const body = (await response.json()) as ErrorBody;
    expect(body.error.code).toBe("WRONG_USER_CODE");
    expect(body.error.message["zh-TW"]).toContain("還可以再試 3 次");
    expect(body.error.message.en).toContain("3 tries left");
    expect(await orderState(fixture.order.id)).toMatchObject({ status: "MAILED", activationFailures: 1, activatedAt: null });
    expect(await certificateStatuses(fixture.newCardId)).toEqual(["AWAITING_ACTIVATION", "AWAITING_ACTIVATION"]);
  });

  it("the 4th wrong code answers 423 ACTIVATION_LOCKED, and then even the right code is refused", async () => {
    const fixture = await createAwaitingActivationFixture({ status: "DELIVERED" });
    const statuses: number[] = [];
    for (const code of ["Wrong1!", "Wrong2!", "Wrong3!", "Wrong4!"]) statuses.push((await confirm(fixture.reading, code)).status);
    expect(statuses).toEqual([400, 400, 400, 423]);
    const right = await confirm(fixture.reading, TEST_USER_CODE);
    expect(right.status).toBe(423);
    expect(((await right.json()) as ErrorBody).error.message["zh-TW"]).toContain("0800-080-117");
    expect(await orderState(fixture.order.id)).toMatchObject({ status: "DELIVERED", activationFailures: 4, activatedAt: null });
    expect((await orderState(fixture.order.id)).activationLockedAt).not.toBeNull();
  });

  it("the right code activates: the receipt comes back and the certificates are valid", async () => {
    const fixture = await createAwaitingActivationFixture();
    const before = Date.now();
    const response = await confirm(fixture.reading, TEST_USER_CODE);
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    const receipt = await response.json();
    expect(receipt).toMatchObject({ orderNumber: fixture.order.orderNumber, cardNumber: fixture.cardNumber, holderName: "王小明" });
    expect(receipt.certificates).toHaveLength(2);
    expect(receipt).not.toHaveProperty("attemptsLeft");
    expect(new Date(receipt.activatedAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await orderState(fixture.order.id)).toMatchObject({ status: "ACTIVATED", activationFailures: 0 });
    expect(await certificateStatuses(fixture.newCardId)).toEqual(["VALID", "VALID"]);

    const again = await confirm(fixture.reading, TEST_USER_CODE);
    expect(again.status).toBe(409);
    expect(((await again.json()) as ErrorBody).error.code).toBe("ALREADY_ACTIVATED");
  });

  it("refuses another site's POST (403) before any try is counted, and a GET (405)", async () => {
    const fixture = await createAwaitingActivationFixture();
    const crossSite = await confirmAction(
      args(post("/activate/confirm", { ...fixture.reading, userCode: TEST_USER_CODE, accepted: true }, { origin: "https://evil.example" })),
    );
    expect(crossSite.status).toBe(403);
    expect(await orderState(fixture.order.id)).toMatchObject({ status: "MAILED", activationFailures: 0, activatedAt: null });
    const get = confirmLoader();
    expect(get.status).toBe(405);
    expect(get.headers.get("Allow")).toBe("POST");
  });
});
