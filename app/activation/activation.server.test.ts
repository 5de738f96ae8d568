// Activation (002 開卡) against real PostgreSQL and Redis: the card read-back, the 4-try lock under parallel
// requests, the rate limits, and that activated certificates pass the card-login checks.
import { beforeEach, describe, expect, it } from "vitest";
import { verifyCardLogin } from "~/auth/card-login.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";
import { createAwaitingActivationFixture, TEST_USER_CODE } from "../../test/factories/activation";
import { cardSigningKey, signedCardLogin } from "../../test/factories/card-login";
import { ACTIVATION_LIMITS, activateCard, checkUserCodeAndActivate, previewActivation } from "./activation.server";

let ipSequence = 0;
const nextIp = () => `203.0.113.${(++ipSequence % 250) + 1}`;
type Fixture = Awaited<ReturnType<typeof createAwaitingActivationFixture>>;
const attempt = (f: Fixture, userCode: string, ip = nextIp()) =>
  activateCard({ body: { ...f.reading, userCode, accepted: true }, ip });
const orderOf = (f: Fixture) => prisma.reissueOrder.findUniqueOrThrow({ where: { id: f.order.id } });
const certificateStatuses = async (cardId: string) =>
  (await prisma.certificate.findMany({ where: { cardId }, orderBy: { usage: "asc" } })).map((c) => c.status);
const auditActions = async (orderId: string) =>
  (await prisma.auditEvent.findMany({ where: { subjectId: orderId }, orderBy: { id: "asc" } })).map((e) => e.action);

beforeEach(async () => {
  const keys = await redis().keys(`${env().QUEUE_PREFIX}:ratelimit:*`);
  if (keys.length) await redis().del(...keys);
});

describe("previewActivation: what the card holds, before the code", () => {
  it("shows the holder, both certificates and the tries left, and writes nothing", async () => {
    const f = await createAwaitingActivationFixture({ holderName: "林美玲" });
    const before = await auditActions(f.order.id);
    const preview = await previewActivation({ body: f.reading, ip: nextIp() });
    expect(preview).toMatchObject({ orderNumber: f.order.orderNumber, cardNumber: f.cardNumber, holderName: "林美玲", attemptsLeft: 4 });
    expect(preview.certificates.map((c) => c.usage)).toEqual(["SIGNING", "ENCRYPTION"]);
    const serials = (await prisma.certificate.findMany({ where: { cardId: f.newCardId } })).map((c) => c.serialNumber).sort();
    expect(preview.certificates.map((c) => c.serialNumber).sort()).toEqual(serials);
    expect(new Date(preview.certificates[0]!.notAfter).getTime() - new Date(preview.certificates[0]!.notBefore).getTime()).toBeGreaterThan(4.9 * 365 * 86_400_000);
    expect(await auditActions(f.order.id)).toEqual(before);
    expect(await certificateStatuses(f.newCardId)).toEqual(["AWAITING_ACTIVATION", "AWAITING_ACTIVATION"]);
  });

  it("accepts the card number in lower case and the certificates in any order", async () => {
    const f = await createAwaitingActivationFixture();
    const preview = await previewActivation({
      body: { cardNumber: f.cardNumber.toLowerCase(), certificates: [...f.certificates].reverse() },
      ip: nextIp(),
    });
    expect(preview.cardNumber).toBe(f.cardNumber);
  });

  it("refuses bad readings with a clear code", async () => {
    const f = await createAwaitingActivationFixture();
    const other = await createAwaitingActivationFixture();
    const refused = (body: unknown, code: string, status: number) =>
      expect(previewActivation({ body, ip: nextIp() })).rejects.toMatchObject({ code, status });

    await refused({ cardNumber: "nonsense", certificates: f.certificates }, "REQUEST_MALFORMED", 400);
    await refused({ cardNumber: f.cardNumber, certificates: [] }, "REQUEST_MALFORMED", 400);
    await refused({ ...f.reading, cardNumber: "TP99999999999999" }, "CARD_UNKNOWN", 404);
    // The old card (the one the holder applied with) is no reissued card.
    const oldCard = await prisma.card.findUniqueOrThrow({ where: { id: f.oldCardId } });
    await refused({ cardNumber: oldCard.cardNumber, certificates: f.certificates }, "NOT_A_REISSUED_CARD", 409);
    // Another card's certificates, one of them missing, or one extra: not this card's content.
    await refused({ cardNumber: f.cardNumber, certificates: other.certificates }, "CERTIFICATES_MISMATCH", 409);
    await refused({ cardNumber: f.cardNumber, certificates: [f.certificates[0]] }, "CERTIFICATES_MISMATCH", 409);
    await refused({ cardNumber: f.cardNumber, certificates: [...f.certificates, other.certificates[0]] }, "CERTIFICATES_MISMATCH", 409);
  });

  it("refuses a card not yet posted, an activated one, and one whose certificates were revoked", async () => {
    const inProduction = await createAwaitingActivationFixture();
    await prisma.reissueOrder.update({ where: { id: inProduction.order.id }, data: { status: "IN_PRODUCTION" } });
    await expect(previewActivation({ body: inProduction.reading, ip: nextIp() })).rejects.toMatchObject({ code: "NOT_YET_MAILED" });

    const revoked = await createAwaitingActivationFixture();
    await prisma.certificate.updateMany({ where: { cardId: revoked.newCardId, usage: "ENCRYPTION" }, data: { status: "REVOKED" } });
    await expect(previewActivation({ body: revoked.reading, ip: nextIp() })).rejects.toMatchObject({ code: "CERTIFICATES_UNAVAILABLE" });

    const done = await createAwaitingActivationFixture({ status: "DELIVERED" });
    await attempt(done, TEST_USER_CODE);
    await expect(previewActivation({ body: done.reading, ip: nextIp() })).rejects.toMatchObject({ code: "ALREADY_ACTIVATED", status: 409 });
  });
});

describe("activateCard: the user code and the lock (002: 4 wrong codes lock activation)", () => {
  it("activates with the right code: certificates VALID, order ACTIVATED, the old card untouched, a receipt", async () => {
    const f = await createAwaitingActivationFixture();
    const oldCertificates = await prisma.certificate.findMany({ where: { cardId: f.oldCardId } });
    const receipt = await attempt(f, TEST_USER_CODE);
    expect(receipt).toMatchObject({ orderNumber: f.order.orderNumber, cardNumber: f.cardNumber });
    expect(receipt.certificates).toHaveLength(2);
    expect(await certificateStatuses(f.newCardId)).toEqual(["VALID", "VALID"]);
    const order = await orderOf(f);
    expect(order).toMatchObject({ status: "ACTIVATED", activationFailures: 0, activationLockedAt: null });
    expect(order.activatedAt?.toISOString()).toBe(receipt.activatedAt);
    expect(await prisma.certificate.findMany({ where: { cardId: f.oldCardId } })).toEqual(oldCertificates);
    expect(await auditActions(f.order.id)).toContain("order.activated");
  });

  it("counts wrong codes, says how many are left, locks at the 4th, and refuses the right code on the 5th", async () => {
    const f = await createAwaitingActivationFixture();
    for (const left of [3, 2, 1]) {
      await expect(attempt(f, "Wrong#123")).rejects.toMatchObject({ code: "WRONG_USER_CODE", status: 400, userMessage: { "zh-TW": expect.stringContaining(`還可以再試 ${left} 次`) } });
    }
    await expect(attempt(f, "Wrong#123")).rejects.toMatchObject({ code: "ACTIVATION_LOCKED", status: 423 });
    await expect(attempt(f, TEST_USER_CODE)).rejects.toMatchObject({
      code: "ACTIVATION_LOCKED",
      userMessage: { "zh-TW": expect.stringMatching(/0800-080-117[\s\S]*戶政事務所/) },
    });
    const order = await orderOf(f);
    expect(order.activationFailures).toBe(4);
    expect(order.activationLockedAt).not.toBeNull();
    expect(order.status).toBe("MAILED");
    expect(await certificateStatuses(f.newCardId)).toEqual(["AWAITING_ACTIVATION", "AWAITING_ACTIVATION"]);
    // Locked is told at once when the card is read again.
    await expect(previewActivation({ body: f.reading, ip: nextIp() })).rejects.toMatchObject({ code: "ACTIVATION_LOCKED" });
    expect((await auditActions(f.order.id)).filter((a) => a.startsWith("activation."))).toEqual([
      "activation.code_wrong", "activation.code_wrong", "activation.code_wrong", "activation.locked",
    ]);
  });

  it("the right code on the 4th try still activates (a right code costs no try)", async () => {
    const f = await createAwaitingActivationFixture();
    for (let i = 0; i < 3; i++) await expect(attempt(f, "Wrong#123")).rejects.toMatchObject({ code: "WRONG_USER_CODE" });
    await attempt(f, TEST_USER_CODE);
    expect(await orderOf(f)).toMatchObject({ status: "ACTIVATED", activationFailures: 3, activationLockedAt: null });
  });

  it("the database itself refuses a counter outside 0–4", async () => {
    const f = await createAwaitingActivationFixture();
    await expect(prisma.reissueOrder.update({ where: { id: f.order.id }, data: { activationFailures: 5 } })).rejects.toThrow(/between 0 and 4/);
    await expect(prisma.reissueOrder.update({ where: { id: f.order.id }, data: { activationFailures: -1 } })).rejects.toThrow(/between 0 and 4/);
  });

  it("is case-sensitive", async () => {
    const f = await createAwaitingActivationFixture();
    await expect(attempt(f, TEST_USER_CODE.toLowerCase())).rejects.toMatchObject({ code: "WRONG_USER_CODE" });
  });

  it("50 parallel wrong codes: the counter stops at 4, the card is locked, only 4 reached the hash", async () => {
    const f = await createAwaitingActivationFixture();
    const results = await Promise.all(
      Array.from({ length: 50 }, () => checkUserCodeAndActivate({ orderId: f.order.id, userCode: "Wrong#123" })),
    );
    const count = (result: string) => results.filter((r) => r.result === result).length;
    expect(count("wrong")).toBe(3);
    expect(count("locked")).toBe(47);
    const order = await orderOf(f);
    expect(order.activationFailures).toBe(4);
    expect(order.activationLockedAt).not.toBeNull();
    const actions = (await auditActions(f.order.id)).filter((a) => a.startsWith("activation."));
    expect(actions.sort()).toEqual(["activation.code_wrong", "activation.code_wrong", "activation.code_wrong", "activation.locked"]);
    expect(await checkUserCodeAndActivate({ orderId: f.order.id, userCode: TEST_USER_CODE })).toEqual({ result: "locked" });
  });

  it("50 parallel wrong codes through the page's endpoint, from one address: rate-limited and still locked at 4", async () => {
    const f = await createAwaitingActivationFixture();
    const outcomes = await Promise.allSettled(Array.from({ length: 50 }, () => attempt(f, "Wrong#123", "198.51.100.7")));
    const codes = outcomes.map((o) => (o.status === "rejected" ? (o.reason as { code: string }).code : "ACTIVATED"));
    expect(codes).not.toContain("ACTIVATED");
    expect(codes.filter((c) => c === "TOO_MANY_ATTEMPTS").length).toBeGreaterThanOrEqual(50 - ACTIVATION_LIMITS.codeCard.max);
    expect((await orderOf(f)).activationFailures).toBe(4);
  });

  it("two right answers at once (a double click) both get the receipt; the card is activated once", async () => {
    const f = await createAwaitingActivationFixture();
    const [a, b] = await Promise.all([attempt(f, TEST_USER_CODE), attempt(f, TEST_USER_CODE)]);
    expect(a.activatedAt).toBe(b.activatedAt);
    expect(await orderOf(f)).toMatchObject({ status: "ACTIVATED", activationFailures: 0 });
    expect((await auditActions(f.order.id)).filter((x) => x === "order.activated")).toHaveLength(1);
  });

  it("bad input changes nothing: no acceptance, a malformed code, a malformed request", async () => {
    const f = await createAwaitingActivationFixture();
    await expect(activateCard({ body: { ...f.reading, userCode: TEST_USER_CODE, accepted: false }, ip: nextIp() })).rejects.toMatchObject({ code: "NOT_ACCEPTED" });
    await expect(attempt(f, "short")).rejects.toMatchObject({ code: "USER_CODE_FORMAT" });
    await expect(attempt(f, "有中文的代碼")).rejects.toMatchObject({ code: "USER_CODE_FORMAT" });
    await expect(activateCard({ body: { cardNumber: f.cardNumber }, ip: nextIp() })).rejects.toMatchObject({ code: "REQUEST_MALFORMED" });
    await expect(activateCard({ body: "garbage", ip: nextIp() })).rejects.toMatchObject({ code: "REQUEST_MALFORMED" });
    expect(await orderOf(f)).toMatchObject({ activationFailures: 0, activationLockedAt: null, status: "MAILED" });
    expect(await auditActions(f.order.id)).not.toContain("activation.code_wrong");
  });

  it("limits code submissions per card across addresses, and per address across cards", async () => {
    const f = await createAwaitingActivationFixture();
    await prisma.reissueOrder.update({ where: { id: f.order.id }, data: { activationFailures: 0 } });
    // Submissions that never reach the counter (an unknown order state) still count against the card's limit.
    await prisma.reissueOrder.update({ where: { id: f.order.id }, data: { status: "IN_PRODUCTION" } });
    for (let i = 0; i < ACTIVATION_LIMITS.codeCard.max; i++) {
      await expect(attempt(f, TEST_USER_CODE)).rejects.toMatchObject({ code: "NOT_YET_MAILED" });
    }
    const limited = attempt(f, TEST_USER_CODE);
    await expect(limited).rejects.toMatchObject({ code: "TOO_MANY_ATTEMPTS", status: 429 });
    await expect(limited).rejects.toSatisfy((e: { retryAfterSeconds?: number }) => (e.retryAfterSeconds ?? 0) > 0);

    const ip = "192.0.2.99";
    for (let i = 0; i < ACTIVATION_LIMITS.codeIp.max; i++) {
      await expect(activateCard({ body: { cardNumber: `TP${String(i).padStart(14, "0")}`, certificates: f.certificates, userCode: TEST_USER_CODE, accepted: true }, ip }))
        .rejects.toMatchObject({ code: "CARD_UNKNOWN" });
    }
    await expect(attempt(await createAwaitingActivationFixture(), TEST_USER_CODE, ip)).rejects.toMatchObject({ code: "TOO_MANY_ATTEMPTS" });
  });

  it("wrong certificates naming a card do not lock its holder out, while the sender's address is stopped (issue 13)", async () => {
    const f = await createAwaitingActivationFixture();
    const other = await createAwaitingActivationFixture();
    const ip = "192.0.2.66";
    // None of these proves the card: another card's certificates, one missing, one extra.
    const junk = [other.certificates, [f.certificates[0]], [...f.certificates, other.certificates[0]]];
    for (let i = 0; i < ACTIVATION_LIMITS.codeIp.max; i++) {
      const body = { cardNumber: f.cardNumber, certificates: junk[i % junk.length], userCode: TEST_USER_CODE, accepted: true };
      await expect(activateCard({ body, ip })).rejects.toMatchObject({ code: "CERTIFICATES_MISMATCH" });
    }
    expect(ACTIVATION_LIMITS.codeIp.max).toBeGreaterThan(ACTIVATION_LIMITS.codeCard.max);
    await expect(attempt(f, TEST_USER_CODE, ip)).rejects.toMatchObject({ code: "TOO_MANY_ATTEMPTS", status: 429 });
    expect(await attempt(f, TEST_USER_CODE)).toMatchObject({ cardNumber: f.cardNumber, activatedAt: expect.any(String) });
  });
});

describe("activated certificates in the card-login checks", () => {
  it("a card awaiting activation is refused; once activated, the new card logs in with full scope", async () => {
    const f = await createAwaitingActivationFixture();
    const signedLogin = () => signedCardLogin(cardSigningKey(f.cardFile));
    await expect(verifyCardLogin({ ...(await signedLogin()), ip: nextIp() })).rejects.toMatchObject({ code: "CARD_NOT_ACTIVATED" });
    await attempt(f, TEST_USER_CODE);
    const login = await verifyCardLogin({ ...(await signedLogin()), ip: nextIp() });
    expect(login).toMatchObject({ holderId: f.holder.id, cardId: f.newCardId, scope: "full" });
  });
});
