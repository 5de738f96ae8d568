import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { formatOrderNumber } from "~/orders/order-number";
import { createMailedOrderFixture } from "../../test/factories/fulfilment";
import { reportDeliveredNotReceived } from "./not-received.server";

async function deliveredOrder(deliveredAt = new Date("2026-12-03T02:30:00Z")) {
  const fixture = await createMailedOrderFixture({ dispatchedAt: new Date("2026-11-25T06:00:00Z"), trackingStatus: "DELIVERED", holderName: "林美麗" });
  await prisma.registeredMail.update({ where: { id: fixture.registeredMail.id }, data: { statusAt: deliveredAt } });
  await prisma.reissueOrder.update({ where: { id: fixture.order.id }, data: { status: "DELIVERED" } });
  return fixture;
}

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(() => null, (thrown: unknown) => thrown);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe("reportDeliveredNotReceived", () => {
  it("opens one DELIVERED_NOT_RECEIVED case for support, with the delivery date and no personal data, and audits it", async () => {
    const { holder, order } = await deliveredOrder();
    const first = await reportDeliveredNotReceived({ holderId: holder.id, orderNumber: order.orderNumber, now: new Date("2026-12-06T01:00:00Z") });
    expect(first.alreadyReported).toBe(false);
    const supportCase = await prisma.supportCase.findUniqueOrThrow({ where: { id: first.supportCaseId } });
    expect(supportCase).toMatchObject({
      kind: "DELIVERED_NOT_RECEIVED",
      dedupeKey: `DELIVERED_NOT_RECEIVED:${order.id}`,
      orderId: order.id,
      openedBy: `citizen:${holder.id}`,
      resolvedAt: null,
    });
    // Delivered 10:30 on 3 December, Taipei time; reported two full days (and some hours) later.
    expect(supportCase.reason).toBe("holder reports the letter shown delivered on 2026-12-03 was not received (reported 2 days later)");
    const application = await prisma.reissueApplication.findUniqueOrThrow({ where: { orderId: order.id } });
    for (const personal of [holder.name, application.address, application.email, application.mobile]) {
      expect(supportCase.reason).not.toContain(personal);
    }
    const reported = await prisma.auditEvent.findMany({ where: { action: "order.not_received_reported", subjectId: order.id } });
    expect(reported).toHaveLength(1);
    expect(reported[0]).toMatchObject({ actorType: "CITIZEN", actorId: holder.id, subjectType: "order", details: { supportCaseId: supportCase.id } });
  });

  it("a second report (also by the formatted number, also at the same moment) opens no second case", async () => {
    const { holder, order } = await deliveredOrder();
    const [a, b] = await Promise.all([
      reportDeliveredNotReceived({ holderId: holder.id, orderNumber: order.orderNumber }),
      reportDeliveredNotReceived({ holderId: holder.id, orderNumber: order.orderNumber }),
    ]);
    expect(a.supportCaseId).toBe(b.supportCaseId);
    expect([a.alreadyReported, b.alreadyReported].sort()).toEqual([false, true]);
    const again = await reportDeliveredNotReceived({ holderId: holder.id, orderNumber: formatOrderNumber(order.orderNumber) });
    expect(again).toEqual({ supportCaseId: a.supportCaseId, alreadyReported: true });
    expect(await prisma.supportCase.count({ where: { orderId: order.id } })).toBe(1);
    expect(await prisma.auditEvent.count({ where: { action: "order.not_received_reported", subjectId: order.id } })).toBe(1);
  });

  it("refuses (409, both languages) a letter the post does not show delivered, and an activated card", async () => {
    const { holder, order } = await createMailedOrderFixture({ trackingStatus: "IN_TRANSIT" });
    const error = await refusal(reportDeliveredNotReceived({ holderId: holder.id, orderNumber: order.orderNumber }));
    expect(error).toMatchObject({ code: "NOT_DELIVERED", status: 409 });
    expect(error.userMessage["zh-TW"]).toContain("尚未顯示");
    expect(error.userMessage.en).toContain("not show this letter as delivered");

    const returned = await createMailedOrderFixture({ trackingStatus: "RETURNED" });
    expect((await refusal(reportDeliveredNotReceived({ holderId: returned.holder.id, orderNumber: returned.order.orderNumber }))).status).toBe(409);

    const activated = await deliveredOrder();
    await prisma.reissueOrder.update({ where: { id: activated.order.id }, data: { status: "ACTIVATED" } });
    expect((await refusal(reportDeliveredNotReceived({ holderId: activated.holder.id, orderNumber: activated.order.orderNumber }))).status).toBe(409);
    expect(await prisma.supportCase.count({ where: { orderId: { in: [order.id, returned.order.id, activated.order.id] } } })).toBe(0);
  });

  it("answers someone else's order, and a number that is no order, like a missing one (404)", async () => {
    const { order } = await deliveredOrder();
    const stranger = await createMailedOrderFixture();
    const error = await refusal(reportDeliveredNotReceived({ holderId: stranger.holder.id, orderNumber: order.orderNumber }));
    expect(error).toMatchObject({ code: "ORDER_NOT_FOUND", status: 404 });
    expect((await refusal(reportDeliveredNotReceived({ holderId: stranger.holder.id, orderNumber: "nonsense" }))).status).toBe(404);
    expect(await prisma.supportCase.count({ where: { orderId: order.id } })).toBe(0);
  });
});
