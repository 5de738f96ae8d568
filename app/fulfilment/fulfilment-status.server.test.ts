import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { loadOrderStatus } from "~/orders/order-status.server";
import { createPaidOrderFixture, createMailedOrderFixture, createPrintBatchFixture } from "../../test/factories/fulfilment";
import { createOrderFixture } from "../../test/factories/orders";
import { loadFulfilmentView } from "./fulfilment-status.server";
import { reportDeliveredNotReceived } from "./not-received.server";
import { CHUNGHWA_POST_TRACKING_URL, formatMailNumber } from "./post-tracking-link";

const DAY = 86_400_000;
/** Monday 23 November 2026, 11:00 Taipei. */
const MONDAY = new Date("2026-11-23T03:00:00Z");

async function deliver(mail: { id: string; orderId: string }, at: Date) {
  await prisma.registeredMail.update({ where: { id: mail.id }, data: { status: "DELIVERED", statusAt: at } });
  await prisma.trackingEvent.create({ data: { registeredMailId: mail.id, status: "DELIVERED", occurredAt: at, office: "臺北郵局" } });
  await prisma.reissueOrder.update({ where: { id: mail.orderId }, data: { status: "DELIVERED" } });
}

describe("loadFulfilmentView", () => {
  it("answers null for an unpaid order, a deleted one and an unknown id", async () => {
    const { order } = await createOrderFixture();
    expect(await loadFulfilmentView(order.id)).toBeNull();
    const { order: deleted } = await createOrderFixture({ status: "DELETED_UNPAID" });
    expect(await loadFulfilmentView(deleted.id)).toBeNull();
    expect(await loadFulfilmentView("0193f3c2-0000-7000-8000-00000000ffff")).toBeNull();
  });

  it("paid, not yet in a batch: printing, estimated 7 working days from payment (Monday → Wednesday a week later)", async () => {
    const { order } = await createPaidOrderFixture({ paidAt: MONDAY });
    const view = (await loadFulfilmentView(order.id, { now: MONDAY }))!;
    expect(view).toMatchObject({
      stage: "PRINTING",
      mailNumber: null,
      mailNumberFormatted: null,
      trackingUrl: CHUNGHWA_POST_TRACKING_URL,
      dispatchedAt: null,
      estimate: { from: "2026-12-02", to: "2026-12-02", basis: "payment", passed: false },
      tracking: [],
      deliveredAt: null,
      notReceived: { canReport: false, reportedAt: null },
    });
  });

  it("counts from payment across a weekend and a national holiday (國慶日補假 Friday 9 October 2026)", async () => {
    // Paid Thursday 8 October: Friday is a holiday, so day 1 is Monday 12th and day 7 Tuesday 20th (not Monday 19th).
    const { order } = await createPaidOrderFixture({ paidAt: new Date("2026-10-08T02:00:00Z") });
    expect((await loadFulfilmentView(order.id))!.estimate).toMatchObject({ from: "2026-10-20", to: "2026-10-20", basis: "payment" });
  });

  it("an outlying-island postcode gets a range 2–3 working days later (Friday to Monday)", async () => {
    const { order } = await createPaidOrderFixture({ paidAt: MONDAY, application: { postcode: "88001", address: "澎湖縣馬公市治平路 32 號" } });
    expect((await loadFulfilmentView(order.id, { now: MONDAY }))!.estimate).toEqual({ from: "2026-12-04", to: "2026-12-07", basis: "payment", passed: false });
  });

  it("in a print batch: still printing; says when the estimated day has passed", async () => {
    const { order } = await createPaidOrderFixture({ paidAt: MONDAY });
    await createPrintBatchFixture({ orderIds: [order.id], createdAt: MONDAY });
    expect((await loadFulfilmentView(order.id, { now: new Date("2026-12-02T15:59:59Z") }))!).toMatchObject({
      stage: "PRINTING", estimate: { to: "2026-12-02", passed: false },
    });
    // Thursday 3 December, 00:00 Taipei.
    expect((await loadFulfilmentView(order.id, { now: new Date("2026-12-02T16:00:00Z") }))!.estimate!.passed).toBe(true);
  });

  it("a card the vendor rejected: print problem, no estimate", async () => {
    const { order } = await createPaidOrderFixture({ paidAt: MONDAY });
    await createPrintBatchFixture({ orderIds: [order.id], itemStatus: "REJECTED", createdAt: MONDAY });
    expect(await loadFulfilmentView(order.id, { now: MONDAY })).toMatchObject({ stage: "PRINT_PROBLEM", estimate: null, mailNumber: null });
  });

  it("in the post: the mail number grouped, dispatch time, the stored estimate and the tracking events oldest first", async () => {
    const dispatchedAt = new Date("2026-11-25T06:00:00Z");
    const mailNumber = "12345678901234567890";
    const { order, registeredMail } = await createMailedOrderFixture({
      dispatchedAt, mailNumber, trackingStatus: "IN_TRANSIT",
      estimatedFrom: new Date("2026-12-04T00:00:00Z"), estimatedTo: new Date("2026-12-04T00:00:00Z"),
    });
    // Recorded out of order, as polls may return them.
    await prisma.trackingEvent.create({ data: { registeredMailId: registeredMail.id, status: "IN_TRANSIT", occurredAt: new Date("2026-11-26T01:00:00Z"), office: "臺中郵件處理中心" } });
    await prisma.trackingEvent.create({ data: { registeredMailId: registeredMail.id, status: "ACCEPTED", occurredAt: dispatchedAt, office: null } });
    const view = (await loadFulfilmentView(order.id, { now: new Date("2026-11-26T02:00:00Z") }))!;
    expect(view).toEqual({
      stage: "MAILED",
      mailNumber,
      mailNumberFormatted: formatMailNumber(mailNumber),
      trackingUrl: CHUNGHWA_POST_TRACKING_URL,
      dispatchedAt: dispatchedAt.toISOString(),
      estimate: { from: "2026-12-04", to: "2026-12-04", basis: "dispatch", passed: false },
      tracking: [
        { status: "ACCEPTED", occurredAt: dispatchedAt.toISOString(), office: null },
        { status: "IN_TRANSIT", occurredAt: "2026-11-26T01:00:00.000Z", office: "臺中郵件處理中心" },
      ],
      deliveredAt: null,
      notReceived: { canReport: false, reportedAt: null },
    });
    expect(view.mailNumberFormatted).toBe("1234 5678 9012 3456 7890");
    expect((await loadFulfilmentView(order.id, { now: new Date("2026-12-05T01:00:00Z") }))!.estimate!.passed).toBe(true);
  });

  it("delivered: when, and the holder may report it not received — once", async () => {
    const { holder, order, registeredMail } = await createMailedOrderFixture({ dispatchedAt: new Date("2026-11-25T06:00:00Z") });
    const deliveredAt = new Date("2026-12-03T02:30:00Z");
    await deliver(registeredMail, deliveredAt);
    const view = (await loadFulfilmentView(order.id, { now: new Date("2026-12-20T00:00:00Z") }))!;
    expect(view).toMatchObject({
      stage: "DELIVERED", deliveredAt: deliveredAt.toISOString(), notReceived: { canReport: true, reportedAt: null },
    });
    // An estimate whose day has passed is no news once the letter has arrived.
    expect(view.estimate!.passed).toBe(false);

    await reportDeliveredNotReceived({ holderId: holder.id, orderNumber: order.orderNumber });
    const reported = (await loadFulfilmentView(order.id))!;
    expect(reported.notReceived.canReport).toBe(false);
    expect(reported.notReceived.reportedAt).toEqual(expect.any(String));
  });

  it("returned to sender: returned, no estimate, no report", async () => {
    const { order } = await createMailedOrderFixture({ trackingStatus: "RETURNED" });
    expect(await loadFulfilmentView(order.id)).toMatchObject({ stage: "RETURNED", estimate: null, notReceived: { canReport: false } });
  });

  it("activated: the card reached its holder, nothing to report", async () => {
    const { order, registeredMail } = await createMailedOrderFixture();
    await deliver(registeredMail, new Date());
    await prisma.reissueOrder.update({ where: { id: order.id }, data: { status: "ACTIVATED" } });
    expect(await loadFulfilmentView(order.id)).toMatchObject({ stage: "ACTIVATED", notReceived: { canReport: false, reportedAt: null } });
  });
});

describe("loadOrderStatus with fulfilment", () => {
  it("carries the fulfilment view and puts fulfilment events from the audit trail on the timeline", async () => {
    const { holder, order } = await createMailedOrderFixture({ dispatchedAt: new Date("2026-11-25T06:00:00Z") });
    const at = (minutes: number) => new Date(Date.UTC(2026, 10, 24, 0, minutes));
    const actions = [
      "order.in_production", "order.certificates_issued", "order.mailed", "mail.mailed_sent", "order.support_case_opened",
      "order.delivered", "order.mail_returned", "order.print_rejected", "order.not_received_reported",
    ];
    for (const [index, action] of actions.entries()) {
      await prisma.auditEvent.create({
        data: { actorType: "SYSTEM", action, subjectType: "order", subjectId: order.id, occurredAt: at(index), details: action === "order.in_production" ? { batchNumber: "P1151124-0001" } : undefined },
      });
    }
    const view = (await loadOrderStatus({ holderId: holder.id, orderNumber: order.orderNumber }))!;
    expect(view.fulfilment).toMatchObject({ stage: "MAILED" });
    // order.support_case_opened is for staff: it names the case, not something the holder did or can act on.
    expect(view.timeline.map((entry) => entry.action)).toEqual(actions.filter((action) => action !== "order.support_case_opened"));

    const { holder: unpaidHolder, order: unpaid } = await createOrderFixture();
    expect((await loadOrderStatus({ holderId: unpaidHolder.id, orderNumber: unpaid.orderNumber }))!.fulfilment).toBeNull();
  });
});
