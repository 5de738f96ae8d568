// Issue 13, at activation (開卡): the new card's certificates are set valid only after the CA confirms it has neither
// revoked nor suspended them since issue; when the CA cannot answer, a 503 and nothing changes (no try used either).
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";
import { action as confirm } from "~/routes/activate.confirm";
import { createAwaitingActivationFixture, TEST_USER_CODE } from "../../test/factories/activation";
import { controlledCertificateStatus, type ControlledCertificateStatus } from "../../test/support/certificate-status";
import { activateCard } from "./activation.server";

const BASE = "http://localhost";
type Fixture = Awaited<ReturnType<typeof createAwaitingActivationFixture>>;

beforeEach(async () => {
  const keys = await redis().keys(`${env().QUEUE_PREFIX}:ratelimit:*`);
  if (keys.length) await redis().del(...keys);
});

const body = (f: Fixture) => ({ ...f.reading, userCode: TEST_USER_CODE, accepted: true });

/** Nothing was activated and no try was spent. */
async function expectUntouched(f: Fixture) {
  const statuses = (await prisma.certificate.findMany({ where: { cardId: f.newCardId } })).map((c) => c.status);
  expect(statuses).toEqual(["AWAITING_ACTIVATION", "AWAITING_ACTIVATION"]);
  expect(await prisma.reissueOrder.findUniqueOrThrow({ where: { id: f.order.id } })).toMatchObject({
    status: "MAILED", activatedAt: null, activationFailures: 0,
  });
}

async function newCertificateIds(f: Fixture) {
  return (await prisma.certificate.findMany({ where: { cardId: f.newCardId }, orderBy: { usage: "asc" } })).map((c) => c.id);
}

describe("activation asks the CA about the new card's certificates", () => {
  it.each(["REVOKED", "SUSPENDED"] as const)("refuses a new card whose certificate the CA has %s since issue", async (status) => {
    const f = await createAwaitingActivationFixture();
    const ca = controlledCertificateStatus();
    const [, encryption] = await newCertificateIds(f);
    ca.set(encryption!, status);
    await expect(activateCard({ body: body(f), ip: "203.0.113.7", statusSource: ca })).rejects.toMatchObject({
      code: "CERTIFICATES_UNAVAILABLE", status: 409, userMessage: { "zh-TW": expect.stringContaining("0800-080-117") },
    });
    await expectUntouched(f);
  });

  it("answers 503 'try again later' through the route when the CA cannot answer, and changes nothing", async () => {
    const f = await createAwaitingActivationFixture();
    const ca: ControlledCertificateStatus = controlledCertificateStatus();
    ca.goDown();
    const request = new Request(`${BASE}/activate/confirm`, {
      method: "POST", headers: { "Content-Type": "application/json", Origin: BASE }, body: JSON.stringify(body(f)),
    });
    const response = await confirm({ request, params: {}, context: { clientIp: "203.0.113.8", certificateStatus: ca } });
    expect(response.status).toBe(503);
    expect(response.headers.get("Retry-After")).toBe("60");
    const { error } = (await response.json()) as { error: { code: string; message: { "zh-TW": string; en: string } } };
    expect(error.code).toBe("CERTIFICATE_STATUS_UNAVAILABLE");
    expect(error.message["zh-TW"]).toContain("請稍後再試");
    await expectUntouched(f);
  });

  it("activates when the CA still holds both certificates good, asking once for each", async () => {
    const f = await createAwaitingActivationFixture();
    const ca = controlledCertificateStatus();
    const receipt = await activateCard({ body: body(f), ip: "203.0.113.9", statusSource: ca });
    expect(receipt.orderNumber).toBe(f.order.orderNumber);
    expect(ca.lookUps).toBe(2);
    const statuses = (await prisma.certificate.findMany({ where: { cardId: f.newCardId } })).map((c) => c.status);
    expect(statuses).toEqual(["VALID", "VALID"]);
  });
});
