import { describe, expect, it } from "vitest";
import { verifyUserCode } from "~/activation/user-code.server";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { QUEUE_NAMES, queue } from "~/lib/queue.server";
import { isValidVirtualAccount } from "~/payments/virtual-account";
import { importBankFileForDayOf } from "../../test/factories/bank-days";
import { recordEligibleCard, testApplication, testUserCodeHash, TEST_USER_CODE } from "../../test/factories/orders";
import { DELETE_UNPAID_JOB } from "./deletion-schedule.server";
import { deleteUnpaidOrder } from "./deletion.server";
import { createReissueOrder } from "./create-order.server";
import { parseOrderNumber } from "./order-number";
import { isDeletionDue, taipeiDay } from "./payment-window.server";

const HOUR = 3600 * 1000;

async function application(overrides: Parameters<typeof testApplication>[0] = {}) {
  return { ...testApplication(overrides), userCodeHash: await testUserCodeHash(), termsAcceptedAt: new Date() };
}

async function eligibleCitizen(now = new Date()) {
  const { holder, card, nationalId } = await recordEligibleCard({ now });
  return { citizen: { holderId: holder.id, cardId: card.id }, holder, nationalId };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(AppError);
  return (error as AppError).code;
}

describe("createReissueOrder", () => {
  it("charges NT$228 = 200 card + 28 registered post, due exactly 48 hours after creation", async () => {
    const now = new Date("2026-11-23T03:04:05.678Z");
    const { citizen } = await eligibleCitizen(now);
    const created = await createReissueOrder({ citizen, application: await application(), now });
    const order = await prisma.reissueOrder.findUniqueOrThrow({ where: { id: created.orderId } });
    expect(order).toMatchObject({ cardFeeNtd: 200, postageFeeNtd: 28, amountNtd: 228, status: "AWAITING_PAYMENT", createdAt: now });
    expect(order.paymentDeadline.getTime() - order.createdAt.getTime()).toBe(48 * HOUR);
    expect(created.paymentDeadline).toEqual(order.paymentDeadline);
    // The 48-hour boundary, ±1 s: still payable a second before, deletable a second after (the day's bank file in).
    await importBankFileForDayOf(order.paymentDeadline);
    const reported = { lastBankDayReported: taipeiDay(order.paymentDeadline), openCheckouts: 0 };
    expect(isDeletionDue(order.paymentDeadline, new Date(now.getTime() + 48 * HOUR - 1000), reported)).toBe(false);
    expect(isDeletionDue(order.paymentDeadline, new Date(now.getTime() + 48 * HOUR + 1000), reported)).toBe(true);
    expect(await deleteUnpaidOrder({ orderId: order.id, now: new Date(now.getTime() + 48 * HOUR - 1000) })).toBe("not_due");
    expect(await deleteUnpaidOrder({ orderId: order.id, now: new Date(now.getTime() + 48 * HOUR + 1000) })).toBe("deleted");
  });

  it("gives an order number that reads back and its own valid virtual account", async () => {
    const { citizen } = await eligibleCitizen();
    const created = await createReissueOrder({ citizen, application: await application() });
    expect(parseOrderNumber(created.orderNumber)).toBe(created.orderNumber);
    const order = await prisma.reissueOrder.findUniqueOrThrow({ where: { id: created.orderId } });
    expect(order.orderNumber).toBe(created.orderNumber);
    expect(isValidVirtualAccount(order.virtualAccount)).toBe(true);
    expect(order.atmBankCode).toMatch(/^\d{3}$/);
  });

  it("allows one open order per holder", async () => {
    const { citizen } = await eligibleCitizen();
    const first = await createReissueOrder({ citizen, application: await application() });
    expect(await codeOf(createReissueOrder({ citizen, application: await application() }))).toBe("ORDER_ALREADY_OPEN");
    expect(await prisma.reissueOrder.count({ where: { holderId: citizen.holderId } })).toBe(1);
    // Once the unpaid order is deleted, the holder may apply again.
    const deadline = (await prisma.reissueOrder.findUniqueOrThrow({ where: { id: first.orderId } })).paymentDeadline;
    await importBankFileForDayOf(deadline);
    expect(await deleteUnpaidOrder({ orderId: first.orderId, now: deadline })).toBe("deleted");
    await createReissueOrder({ citizen, application: await application() });
    expect(await prisma.reissueOrder.count({ where: { holderId: citizen.holderId } })).toBe(2);
  });

  it("lets exactly one of two concurrent applications of the same holder through", async () => {
    const { citizen } = await eligibleCitizen();
    const details = await application();
    const results = await Promise.allSettled([
      createReissueOrder({ citizen, application: details }),
      createReissueOrder({ citizen, application: details }),
      createReissueOrder({ citizen, application: details }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(refused.map((r) => (r.reason as AppError).code)).toEqual(["ORDER_ALREADY_OPEN", "ORDER_ALREADY_OPEN"]);
    expect(await prisma.reissueOrder.count({ where: { holderId: citizen.holderId } })).toBe(1);
  });

  it("refuses a card that is not eligible and writes nothing", async () => {
    const { holder, card } = await recordEligibleCard({ daysToEnd: 200 });
    const citizen = { holderId: holder.id, cardId: card.id };
    expect(await codeOf(createReissueOrder({ citizen, application: await application() }))).toBe("NOT_ELIGIBLE");
    expect(await prisma.reissueOrder.count({ where: { holderId: holder.id } })).toBe(0);
  });

  it("stores the application with the outlying-island flag and the user code only as its scrypt hash", async () => {
    const { citizen } = await eligibleCitizen();
    const created = await createReissueOrder({ citizen, application: await application({ postcode: "880-01", address: "澎湖縣馬公市治平路 32 號" }) });
    const stored = await prisma.reissueApplication.findUniqueOrThrow({ where: { orderId: created.orderId } });
    expect(stored).toMatchObject({ postcode: "88001", outlyingIsland: true, mobile: "0912345678" });
    expect(stored.userCodeHash).toMatch(/^scrypt\$/);
    expect(await verifyUserCode(TEST_USER_CODE, stored.userCodeHash)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(TEST_USER_CODE);

    const { citizen: mainIsland } = await eligibleCitizen();
    const other = await createReissueOrder({ citizen: mainIsland, application: await application({ postcode: "10048" }) });
    expect((await prisma.reissueApplication.findUniqueOrThrow({ where: { orderId: other.orderId } })).outlyingIsland).toBe(false);
  });

  it("schedules the deletion job (jobId = order id, ids only) for when deletion is due", async () => {
    const now = new Date();
    const { citizen } = await eligibleCitizen(now);
    const created = await createReissueOrder({ citizen, application: await application(), now });
    const job = await queue(QUEUE_NAMES.orders).getJob(created.orderId);
    expect(job).toMatchObject({ id: created.orderId, name: DELETE_UNPAID_JOB, data: { orderId: created.orderId } });
    expect(job!.opts.delay).toBe(48 * HOUR);
    expect(await job!.isDelayed()).toBe(true);
    expect(JSON.stringify(job!.data)).not.toMatch(/0912345678|applicant@example|重慶南路/);
    await job!.remove();
  });

  it("audits order.created without personal data", async () => {
    const { citizen, holder, nationalId } = await eligibleCitizen();
    const created = await createReissueOrder({ citizen, application: await application() });
    const events = await prisma.auditEvent.findMany({ where: { subjectType: "order", subjectId: created.orderId } });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "order.created", actorType: "CITIZEN", actorId: holder.id });
    expect(events[0]!.details).toEqual({ amountNtd: 228, outlyingIsland: false });
    const text = JSON.stringify(events, (_key, value) => (typeof value === "bigint" ? String(value) : value));
    for (const personal of [holder.name, nationalId, "0912345678", "applicant@example.tw", "重慶南路", TEST_USER_CODE, "scrypt$"]) {
      expect(text).not.toContain(personal);
    }
  });
});
