// Staff and the activation lock: support lifts it (the holder remembers the code), a registrar resets a forgotten
// code after the in-person ID check; both audited with who, when and why; roles enforced in the domain itself.
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import type { AppError } from "~/lib/errors.server";
import { env } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";
import { createAwaitingActivationFixture, TEST_USER_CODE } from "../../test/factories/activation";
import { activateCard } from "./activation.server";
import { ACTIVATION_MAX_LOCK_LIFTS } from "./schema";
import { findActivationForStaff, liftActivationLock, resetUserCode, type StaffActor } from "./staff-activation.server";

let sequence = 0;
async function staffMember(roles: StaffActor["roles"]): Promise<StaffActor> {
  const username = `staff.${roles.join("-").toLowerCase()}.${++sequence}`;
  const account = await prisma.staffAccount.create({
    data: { username, displayName: "測試人員", passwordHash: "scrypt$not-used-here", roles },
  });
  return { id: account.id, username, roles };
}

type Fixture = Awaited<ReturnType<typeof createAwaitingActivationFixture>>;
let ip = 0;
const attempt = (f: Fixture, userCode: string) =>
  activateCard({ body: { ...f.reading, userCode, accepted: true }, ip: `198.18.0.${++ip % 250}` });

async function lockedFixture(): Promise<Fixture> {
  const f = await createAwaitingActivationFixture();
  for (let i = 0; i < 4; i++) await attempt(f, "Wrong#123").catch(() => {});
  expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: f.order.id } })).activationLockedAt).not.toBeNull();
  return f;
}

const NEW_CODE = "New!Code9";

beforeEach(async () => {
  const keys = await redis().keys(`${env().QUEUE_PREFIX}:ratelimit:*`);
  if (keys.length) await redis().del(...keys);
});

describe("support lifts the lock", () => {
  it("unlock, then the right code activates; who, when and why are recorded", async () => {
    const f = await lockedFixture();
    const support = await staffMember(["SUPPORT"]);
    await liftActivationLock({ staff: support, orderId: f.order.id, reason: "持卡人來電，確認記得用戶代碼" });
    const order = await prisma.reissueOrder.findUniqueOrThrow({ where: { id: f.order.id } });
    expect(order).toMatchObject({ activationFailures: 0, activationLockedAt: null });
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "activation.lock_lifted", subjectId: f.order.id } });
    expect(event).toMatchObject({ actorType: "STAFF", actorId: support.id, reason: "持卡人來電，確認記得用戶代碼" });
    expect(event.occurredAt).toBeInstanceOf(Date);
    await attempt(f, TEST_USER_CODE);
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: f.order.id } })).status).toBe("ACTIVATED");
  });

  it("does not see or change the code: the old code is still the one that works", async () => {
    const f = await lockedFixture();
    const before = await prisma.reissueApplication.findUniqueOrThrow({ where: { orderId: f.order.id } });
    await liftActivationLock({ staff: await staffMember(["SUPPORT"]), orderId: f.order.id, reason: "記得代碼，請求解鎖" });
    const after = await prisma.reissueApplication.findUniqueOrThrow({ where: { orderId: f.order.id } });
    expect(after.userCodeHash).toBe(before.userCodeHash);
    const view = await findActivationForStaff({ staff: await staffMember(["SUPPORT"]), query: { orderNumber: f.order.orderNumber } });
    expect(JSON.stringify(view)).not.toContain(before.userCodeHash);
  });

  it("refuses other roles, an unlocked order, a missing reason and an activated card", async () => {
    const f = await lockedFixture();
    await expect(liftActivationLock({ staff: await staffMember(["REGISTRAR"]), orderId: f.order.id, reason: "should not work" })).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
    await expect(liftActivationLock({ staff: await staffMember(["FINANCE", "ADMIN"]), orderId: f.order.id, reason: "should not work" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const support = await staffMember(["SUPPORT"]);
    await expect(liftActivationLock({ staff: support, orderId: f.order.id, reason: "  " })).rejects.toMatchObject({ code: "REASON_REQUIRED" });
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: f.order.id } })).activationFailures).toBe(4);

    const open = await createAwaitingActivationFixture();
    await expect(liftActivationLock({ staff: support, orderId: open.order.id, reason: "nothing to lift" })).rejects.toMatchObject({ code: "NOT_LOCKED", status: 409 });
    await attempt(open, TEST_USER_CODE);
    await expect(liftActivationLock({ staff: support, orderId: open.order.id, reason: "nothing to lift" })).rejects.toMatchObject({ code: "ALREADY_ACTIVATED" });
  });
});

describe("support's lifts are capped", () => {
  const relock = (orderId: string) =>
    prisma.reissueOrder.update({ where: { id: orderId }, data: { activationFailures: 4, activationLockedAt: new Date() } });

  it("the third lift of one order is refused (bilingual, audited); after a registrar reset support may lift again", async () => {
    const f = await lockedFixture();
    const support = await staffMember(["SUPPORT"]);
    await liftActivationLock({ staff: support, orderId: f.order.id, reason: "第一次解鎖，記得代碼" });
    await relock(f.order.id);
    await liftActivationLock({ staff: support, orderId: f.order.id, reason: "第二次解鎖，記得代碼" });
    await relock(f.order.id);
    const third = await liftActivationLock({ staff: support, orderId: f.order.id, reason: "第三次解鎖，記得代碼" }).then(() => null, (e: unknown) => e);
    expect(third).toMatchObject({ code: "LIFT_LIMIT_REACHED", status: 409 });
    expect((third as AppError).userMessage["zh-TW"]).toContain("戶政事務所");
    expect((third as AppError).userMessage.en).toContain("household registration office");
    expect(await prisma.reissueOrder.findUniqueOrThrow({ where: { id: f.order.id } })).toMatchObject({ activationFailures: 4, activationLockLifts: 2 });
    expect(await prisma.auditEvent.count({ where: { subjectId: f.order.id, action: "activation.lock_lifted" } })).toBe(2);
    expect(await prisma.auditEvent.findFirst({ where: { subjectId: f.order.id, action: "activation.lock_lift_refused" } }))
      .toMatchObject({ actorId: support.id, reason: "第三次解鎖，記得代碼", details: { code: "LIFT_LIMIT_REACHED", lifts: 2 } });
    const view = await findActivationForStaff({ staff: support, query: { orderNumber: f.order.orderNumber } });
    expect(view).toMatchObject({ lockLifts: 2, maxLockLifts: ACTIVATION_MAX_LOCK_LIFTS });

    await resetUserCode({
      staff: await staffMember(["REGISTRAR"]), orderId: f.order.id, newCode: NEW_CODE, confirmation: NEW_CODE,
      nationalId: f.nationalId, proxy: false, reason: "本人臨櫃，已核對身分證",
    });
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: f.order.id } })).activationLockLifts).toBe(0);
    await relock(f.order.id);
    await liftActivationLock({ staff: support, orderId: f.order.id, reason: "重設後第一次解鎖" });
  });
});

describe("a registrar resets a forgotten code", () => {
  it("after the ID check the new code activates and the old one fails; the lock is lifted", async () => {
    const f = await lockedFixture();
    const registrar = await staffMember(["REGISTRAR"]);
    await resetUserCode({
      staff: registrar, orderId: f.order.id, newCode: NEW_CODE, confirmation: NEW_CODE, nationalId: f.nationalId.toLowerCase(),
      proxy: true, reason: "本人忘記用戶代碼，委託代辦（附委託書）",
    });
    const application = await prisma.reissueApplication.findUniqueOrThrow({ where: { orderId: f.order.id } });
    expect(application.userCodeHash).not.toContain(NEW_CODE);
    expect(application.userCodeResetAt).not.toBeNull();
    const event = await prisma.auditEvent.findFirstOrThrow({ where: { action: "activation.code_reset", subjectId: f.order.id } });
    expect(event).toMatchObject({ actorType: "STAFF", actorId: registrar.id, reason: "本人忘記用戶代碼，委託代辦（附委託書）", details: { proxy: true } });
    expect(JSON.stringify({ ...event, id: String(event.id) })).not.toContain(NEW_CODE);

    await expect(attempt(f, TEST_USER_CODE)).rejects.toMatchObject({ code: "WRONG_USER_CODE" });
    const receipt = await attempt(f, NEW_CODE);
    expect(receipt.cardNumber).toBe(f.cardNumber);
  });

  it("refuses a different ID, two codes that differ, a malformed code, and the support role", async () => {
    const f = await lockedFixture();
    const other = await createAwaitingActivationFixture();
    const registrar = await staffMember(["REGISTRAR"]);
    const base = { staff: registrar, orderId: f.order.id, newCode: NEW_CODE, confirmation: NEW_CODE, nationalId: f.nationalId, proxy: false, reason: "本人臨櫃，忘記用戶代碼" };
    const hashBefore = (await prisma.reissueApplication.findUniqueOrThrow({ where: { orderId: f.order.id } })).userCodeHash;

    await expect(resetUserCode({ ...base, nationalId: other.nationalId })).rejects.toMatchObject({ code: "IDENTITY_MISMATCH" });
    await expect(resetUserCode({ ...base, nationalId: "A123" })).rejects.toMatchObject({ code: "IDENTITY_MISMATCH" });
    await expect(resetUserCode({ ...base, confirmation: "New!Code8" })).rejects.toMatchObject({ code: "CODES_DIFFER" });
    await expect(resetUserCode({ ...base, newCode: "short", confirmation: "short" })).rejects.toMatchObject({ code: "USER_CODE_FORMAT" });
    await expect(resetUserCode({ ...base, staff: await staffMember(["SUPPORT"]) })).rejects.toMatchObject({ code: "FORBIDDEN" });

    const after = await prisma.reissueOrder.findUniqueOrThrow({ where: { id: f.order.id }, include: { application: true } });
    expect(after.application?.userCodeHash).toBe(hashBefore);
    expect(after.activationFailures).toBe(4);
    expect(await prisma.auditEvent.count({ where: { action: "activation.code_reset_refused", subjectId: f.order.id } })).toBe(1);
  });
});

describe("findActivationForStaff", () => {
  it("finds by the new card's number or the order number, masks the ID, shows the history, audits the look-up", async () => {
    const f = await lockedFixture();
    const support = await staffMember(["SUPPORT"]);
    await liftActivationLock({ staff: support, orderId: f.order.id, reason: "記得代碼，請求解鎖" });
    const byCard = await findActivationForStaff({ staff: support, query: { cardNumber: f.cardNumber.toLowerCase() } });
    const byOrder = await findActivationForStaff({ staff: support, query: { orderNumber: f.order.orderNumber } });
    expect(byCard?.orderId).toBe(f.order.id);
    expect(byOrder?.orderId).toBe(f.order.id);
    expect(byCard).toMatchObject({ cardNumber: f.cardNumber, wrongAttempts: 0, lockedAt: null, nationalIdMasked: `******${f.nationalId.slice(-4)}` });
    expect(JSON.stringify(byCard)).not.toContain(f.nationalId);
    expect(byCard?.history.map((h) => h.action)).toEqual([
      "activation.lock_lifted", "activation.locked", "activation.code_wrong", "activation.code_wrong", "activation.code_wrong",
    ]);
    expect(byCard?.history[0]).toMatchObject({ actor: support.username, reason: "記得代碼，請求解鎖" });
    expect(await prisma.auditEvent.count({ where: { action: "activation.looked_up", actorId: support.id, subjectId: f.order.id } })).toBe(2);

    expect(await findActivationForStaff({ staff: support, query: { cardNumber: "TP00000000000000" } })).toBeNull();
    expect(await prisma.auditEvent.count({ where: { action: "activation.looked_up", actorId: support.id } })).toBe(3);
    await expect(findActivationForStaff({ staff: await staffMember(["FINANCE"]), query: { orderNumber: f.order.orderNumber } })).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});
