import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { prisma } from "~/lib/db.server";
import { closeMailer } from "~/lib/mailer.server";
import { formatOrderNumber } from "~/orders/order-number";
import { settlePayment } from "~/payments/settlement.server";
import { createOrderFixture, TEST_USER_CODE } from "../../test/factories/orders";
import { readCapturedMail, startSmtpCapture, type SmtpCapture } from "../../test/support/smtp-capture";
import { startWorkers } from "../../workers/workers";
import { estimateDelivery } from "~/fulfilment/delivery-estimate";
import { formatMailNumber } from "~/fulfilment/post-tracking-link";
import { loadWorkingDayCalendar } from "~/fulfilment/working-day-calendar.server";
import { createMailedOrderFixture, createPaidOrderFixture } from "../../test/factories/fulfilment";
import { MAILED_MAIL_SUBJECT } from "./mailed-mail";
import { outboxMessageId, retryDelayMs, sendPendingMail } from "./outbox.server";
import { PAID_MAIL_SUBJECT } from "./paid-mail";

// env() is read once per process, when the first app module loads: the SMTP port must be known before that.
const smtpPort = await vi.hoisted(async () => {
  const { freePort } = await import("../../test/support/free-port");
  const port = await freePort();
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  return port;
});

let capture: SmtpCapture;
beforeAll(async () => {
  capture = await startSmtpCapture({ port: smtpPort });
});
afterAll(async () => {
  closeMailer();
  await capture.stop();
});

const SECOND = 1000;

/** An order paid through settlePayment, which writes its outbox row in the payment's transaction. */
async function paidOrder(email = "applicant@example.tw") {
  const { order } = await createOrderFixture({ application: { email } });
  const paidAt = new Date(order.paymentDeadline.getTime() - 3600 * SECOND);
  await prisma.$transaction((tx) =>
    settlePayment(tx, { orderId: order.id, method: "CARD", provider: "stripe", providerReference: `cs_${order.id}`, amountNtd: 228, paidAt, receivedAt: paidAt }),
  );
  const outbox = await prisma.mailOutbox.findUniqueOrThrow({ where: { orderId_kind: { orderId: order.id, kind: "PAID" } } });
  return { order, outbox };
}

const sentEvents = (orderId: string) => prisma.auditEvent.count({ where: { action: "mail.paid_sent", subjectId: orderId } });

describe("sendPendingMail", () => {
  it("a resend support asked for goes out again under a Message-ID of its own", async () => {
    const { outbox } = await paidOrder("resend@example.tw");
    await sendPendingMail();
    await prisma.mailOutbox.update({ where: { id: outbox.id }, data: { status: "PENDING", attempts: 0, nextAttemptAt: new Date(), resends: 1 } });
    const before = capture.received.length;
    expect(await sendPendingMail()).toEqual({ sent: 1, failed: 0 });
    const resent = readCapturedMail(capture.received.slice(before)[0]!.raw);
    expect(resent.headers["message-id"]).toBe(outboxMessageId(outbox.id, 1));
    expect(resent.headers["message-id"]).not.toBe(outboxMessageId(outbox.id));
  });

  it("sends one paid order exactly one e-mail with its order number and nothing secret", async () => {
    const { order, outbox } = await paidOrder("first@example.tw");
    const before = capture.received.length;
    expect(await sendPendingMail()).toEqual({ sent: 1, failed: 0 });
    expect(await sendPendingMail()).toEqual({ sent: 0, failed: 0 });

    const mails = capture.received.slice(before);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toEqual(["first@example.tw"]);
    const mail = readCapturedMail(mails[0]!.raw);
    expect(mail.subject.startsWith(PAID_MAIL_SUBJECT)).toBe(true);
    expect(mail.subject).toContain(formatOrderNumber(order.orderNumber));
    expect(mail.headers["message-id"]).toBe(outboxMessageId(outbox.id));
    expect(mail.text).toContain(formatOrderNumber(order.orderNumber));
    expect(mail.text).toContain("NT$228");
    expect(mail.text.indexOf("繳費時間")).toBeLessThan(mail.text.indexOf("Paid at"));
    expect(mail.text).not.toContain(TEST_USER_CODE);
    expect(mail.text).not.toMatch(/[A-Z][12]\d{8}/);

    const row = await prisma.mailOutbox.findUniqueOrThrow({ where: { id: outbox.id } });
    expect(row).toMatchObject({ status: "SENT", attempts: 1, messageId: outboxMessageId(outbox.id), lastError: null });
    expect(row.sentAt).toBeInstanceOf(Date);
    expect(await sentEvents(order.id)).toBe(1);
  });

  it("keeps retrying with growing pauses while SMTP is down, and sends one e-mail when it is back", async () => {
    await capture.stop();
    const { order, outbox } = await paidOrder();
    const before = capture.received.length;
    const t0 = new Date();
    const t1 = new Date(t0.getTime() + 30 * SECOND);
    const t2 = new Date(t1.getTime() + 60 * SECOND);
    try {
      expect(await sendPendingMail({ now: t0 })).toEqual({ sent: 0, failed: 1 });
      let row = await prisma.mailOutbox.findUniqueOrThrow({ where: { id: outbox.id } });
      expect(row).toMatchObject({ status: "PENDING", attempts: 1, nextAttemptAt: new Date(t0.getTime() + 30 * SECOND), sentAt: null });
      // nodemailer's code for "nobody answered on the port": the code only, no server text.
      expect(row.lastError).toBe("ESOCKET at CONN");

      // Not due again before its pause is over.
      expect(await sendPendingMail({ now: new Date(t0.getTime() + 29 * SECOND) })).toEqual({ sent: 0, failed: 0 });
      expect(await sendPendingMail({ now: t1 })).toEqual({ sent: 0, failed: 1 });
      row = await prisma.mailOutbox.findUniqueOrThrow({ where: { id: outbox.id } });
      expect(row).toMatchObject({ status: "PENDING", attempts: 2, nextAttemptAt: new Date(t1.getTime() + 60 * SECOND) });

      // Long outages: the pause stops growing at an hour, and the row stays PENDING — never given up.
      await prisma.mailOutbox.update({ where: { id: outbox.id }, data: { attempts: 30 } });
      expect(await sendPendingMail({ now: t2 })).toEqual({ sent: 0, failed: 1 });
      row = await prisma.mailOutbox.findUniqueOrThrow({ where: { id: outbox.id } });
      expect(row).toMatchObject({ status: "PENDING", attempts: 31, nextAttemptAt: new Date(t2.getTime() + 3600 * SECOND) });
      expect(capture.received.length).toBe(before);
      expect(await sentEvents(order.id)).toBe(0);
    } finally {
      await capture.restart();
    }

    expect(await sendPendingMail({ now: new Date(t1.getTime() + 2 * 3600 * SECOND) })).toEqual({ sent: 1, failed: 0 });
    expect(await sendPendingMail({ now: new Date(t1.getTime() + 3 * 3600 * SECOND) })).toEqual({ sent: 0, failed: 0 });
    expect(capture.received.length).toBe(before + 1);
    expect(readCapturedMail(capture.received.at(-1)!.raw).text).toContain(formatOrderNumber(order.orderNumber));
    expect(await prisma.mailOutbox.findUniqueOrThrow({ where: { id: outbox.id } })).toMatchObject({ status: "SENT", attempts: 32 });
    expect(await sentEvents(order.id)).toBe(1);
  });

  it("keeps only SMTP codes of a refusal, never the address the server echoed", async () => {
    const { outbox } = await paidOrder("echoed.person@example.tw");
    capture.refuseWith({ responseCode: 450, message: "4.2.1 Mailbox <{address}> is busy" });
    const now = new Date();
    try {
      expect(await sendPendingMail({ now })).toEqual({ sent: 0, failed: 1 });
    } finally {
      capture.refuseWith(null);
    }
    const row = await prisma.mailOutbox.findUniqueOrThrow({ where: { id: outbox.id } });
    expect(row.lastError).toContain("SMTP 450");
    expect(row.lastError).not.toContain("echoed.person");
    expect(await sendPendingMail({ now: new Date(now.getTime() + 30 * SECOND) })).toEqual({ sent: 1, failed: 0 });
  });

  it("sends each mail once when two workers drain at the same time", async () => {
    const orders = await Promise.all([paidOrder(), paidOrder(), paidOrder(), paidOrder()]);
    const before = capture.received.length;
    const reports = await Promise.all([sendPendingMail(), sendPendingMail(), sendPendingMail()]);
    expect(reports.reduce((sum, r) => sum + r.sent, 0)).toBe(4);
    const ids = capture.received.slice(before).map((m) => readCapturedMail(m.raw).headers["message-id"]);
    expect(ids.sort()).toEqual(orders.map((o) => outboxMessageId(o.outbox.id)).sort());
    for (const { order } of orders) expect(await sentEvents(order.id)).toBe(1);
  });

  it("backs off 30 s, doubling, up to an hour", () => {
    expect([1, 2, 3, 4, 7, 8, 100].map(retryDelayMs)).toEqual([30, 60, 120, 240, 1920, 3600, 3600].map((s) => s * SECOND));
  });
});

describe("sendPendingMail: the mailed e-mail (002: the registered-mail number)", () => {
  const audited = (orderId: string, action: string) => prisma.auditEvent.count({ where: { action, subjectId: orderId } });

  it("sends one e-mail with the mail number and the stored estimate as Taipei dates, no user code, no ID number", async () => {
    // Friday 00:30 in Taipei (still Thursday in UTC), to Penghu (880): the 9th–10th working day.
    const dispatchedAt = new Date("2026-03-05T16:30:00Z");
    const estimate = estimateDelivery({ from: dispatchedAt, outlyingIsland: true }, await loadWorkingDayCalendar());
    const { order, holder, registeredMail } = await createMailedOrderFixture({
      dispatchedAt,
      application: { email: "mailed@example.tw", postcode: "880" },
      estimatedFrom: new Date(`${estimate.from}T00:00:00Z`),
      estimatedTo: new Date(`${estimate.to}T00:00:00Z`),
    });
    const outbox = await prisma.mailOutbox.create({ data: { orderId: order.id, kind: "MAILED" } });
    const before = capture.received.length;
    expect(await sendPendingMail()).toEqual({ sent: 1, failed: 0 });
    expect(await sendPendingMail()).toEqual({ sent: 0, failed: 0 });

    const mails = capture.received.slice(before);
    expect(mails.map((m) => m.to)).toEqual([["mailed@example.tw"]]);
    const mail = readCapturedMail(mails[0]!.raw);
    expect(mail.headers["message-id"]).toBe(outboxMessageId(outbox.id));
    expect(mail.subject.startsWith(MAILED_MAIL_SUBJECT)).toBe(true);
    expect(mail.subject).toContain(formatOrderNumber(order.orderNumber));
    expect(mail.text).toContain(`掛號郵件號碼：${formatMailNumber(registeredMail.mailNumber)}`);
    expect(mail.text).toContain("交寄時間：2026/03/06 00:30:00（台灣時間）");
    expect(mail.text).toContain("預計送達：2026/03/19（四）至2026/03/20（五）（離島");
    expect(mail.text).not.toContain(TEST_USER_CODE);
    expect(mail.text).not.toMatch(/[A-Z][12]\d{8}/);
    expect(mail.text).not.toContain(holder.name);

    expect(await prisma.mailOutbox.findUniqueOrThrow({ where: { id: outbox.id } })).toMatchObject({ status: "SENT", attempts: 1, lastError: null });
    expect(await audited(order.id, "mail.mailed_sent")).toBe(1);
    expect(await audited(order.id, "mail.paid_sent")).toBe(0);
  });

  it("keeps a MAILED row without its registered mail pending with a code, sending nothing", async () => {
    const { order } = await createPaidOrderFixture({ application: { email: "early@example.tw" } });
    const outbox = await prisma.mailOutbox.create({ data: { orderId: order.id, kind: "MAILED" } });
    const before = capture.received.length;
    try {
      expect(await sendPendingMail()).toEqual({ sent: 0, failed: 1 });
      expect(await prisma.mailOutbox.findUniqueOrThrow({ where: { id: outbox.id } })).toMatchObject({
        status: "PENDING",
        attempts: 1,
        lastError: "NO_REGISTERED_MAIL",
      });
      expect(capture.received.length).toBe(before);
      expect(await audited(order.id, "mail.mailed_sent")).toBe(0);
    } finally {
      // Not left behind to stall the other tests' drains.
      await prisma.mailOutbox.delete({ where: { id: outbox.id } });
    }
  });
});

describe("the mail worker", () => {
  it("delivers a pending paid e-mail within seconds, on its own schedule", { timeout: 30_000 }, async () => {
    const { order, outbox } = await paidOrder("scheduled@example.tw");
    const before = capture.received.length;
    const workers = await startWorkers();
    try {
      const deadline = Date.now() + 20_000;
      while (capture.received.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await workers.stop();
    }
    expect(capture.received.slice(before).map((m) => m.to)).toEqual([["scheduled@example.tw"]]);
    expect((await prisma.mailOutbox.findUniqueOrThrow({ where: { id: outbox.id } })).status).toBe("SENT");
    expect(await sentEvents(order.id)).toBe(1);
  });
});
