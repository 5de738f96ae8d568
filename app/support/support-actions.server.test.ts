// The support order page's data (masked, complete enough to answer a caller) and the desk's actions: each rule,
// each audit row (who, what, why), the role checked in the domain itself.
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { activateCard } from "~/activation/activation.server";
import { liftActivationLock } from "~/activation/staff-activation.server";
import { sendPendingMail } from "~/mail/outbox.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";
import { notReceivedCaseKey } from "~/fulfilment/fulfilment-status.server";
import { reportDeliveredNotReceived } from "~/fulfilment/not-received.server";
import { createAwaitingActivationFixture, TEST_USER_CODE } from "../../test/factories/activation";
import { createMailedOrderFixture, createPaidOrderFixture } from "../../test/factories/fulfilment";
import { createSentOutboxMail, createStaffActor } from "../../test/factories/support";
import { startSmtpCapture, type SmtpCapture } from "../../test/support/smtp-capture";
import { closeMailer } from "~/lib/mailer.server";
import { loadSupportOrderView } from "./order-view.server";
import { addSupportNote, recordNotReceivedCase, resendOrderMail, resolveSupportCase } from "./support-actions.server";

type Fixture = Awaited<ReturnType<typeof createAwaitingActivationFixture>>;
let ip = 0;
const attempt = (f: Fixture, userCode: string) => activateCard({ body: { ...f.reading, userCode, accepted: true }, ip: `198.18.2.${++ip % 250}` });
const auditOf = (action: string, subjectId: string) => prisma.auditEvent.findMany({ where: { action, subjectId }, orderBy: { id: "asc" } });

// env() is read once per process, when the first app module loads: the SMTP port must be known before that.
const smtpPort = await vi.hoisted(async () => {
  const { freePort } = await import("../../test/support/free-port");
  const port = await freePort();
  process.env.SMTP_URL = `smtp://127.0.0.1:${port}`;
  return port;
});
let smtp: SmtpCapture;
beforeAll(async () => {
  smtp = await startSmtpCapture({ port: smtpPort });
});
afterAll(async () => {
  closeMailer();
  await smtp.stop();
});

beforeEach(async () => {
  const keys = await redis().keys(`${env().QUEUE_PREFIX}:ratelimit:*`);
  if (keys.length) await redis().del(...keys);
});

describe("loadSupportOrderView", () => {
  it("shows the order's way from creation to the post, masked, and audits the view", async () => {
    const staff = await createStaffActor(["SUPPORT"]);
    const f = await createMailedOrderFixture({ application: { mobile: "0987654321", email: "lin.mei@example.tw", address: "臺北市大安區新生南路三段 1 號 5 樓" } });
    await prisma.registeredMail.update({ where: { id: f.registeredMail.id }, data: { status: "DELIVERED", statusAt: new Date() } });
    await prisma.trackingEvent.create({ data: { registeredMailId: f.registeredMail.id, status: "DELIVERED", occurredAt: new Date(), office: "臺北大安郵局" } });
    await prisma.payment.create({
      data: { orderId: f.order.id, method: "CARD", amountNtd: 228, status: "SUCCEEDED", provider: "stripe", providerReference: "cs_test_a1b2c3d4e5f6g7h8i9", paidAt: f.order.paidAt, outcome: "APPLIED" },
    });
    await createSentOutboxMail(f.order.id, "PAID", f.order.paidAt!);
    await addSupportNote({ staff, orderId: f.order.id, body: "持卡人來電詢問寄送進度" });

    const view = (await loadSupportOrderView({ staff, orderNumber: f.order.orderNumber, requestId: "req-1" }))!;
    expect(view).toMatchObject({
      orderNumber: f.order.orderNumber, status: "MAILED", amountNtd: 228,
      holder: { name: "王小明", nationalIdMasked: `******${f.holder.nationalIdLast4}` },
      contact: { mobile: "0987***321", email: "l***@example.tw", postcode: "100", address: "臺北市大安區…" },
      payments: [{ method: "CARD", amountNtd: 228, status: "SUCCEEDED", reference: "cs_test_…h8i9" }],
      printing: { batchNumber: f.batch.batchNumber, itemStatus: "DISPATCHED" },
      mail: { mailNumber: f.registeredMail.mailNumber, trackingUrl: "https://postserv.post.gov.tw/pstmail/main_mail.html", status: "DELIVERED" },
      activation: { wrongTries: 0, maxTries: 4, lockedAt: null },
      notes: [{ body: "持卡人來電詢問寄送進度", author: staff.username }],
      mails: [{ kind: "PAID", status: "SENT", resends: 0 }],
      can: { liftLock: false, recordNotReceived: true },
    });
    expect(view.timeline.map((e) => e.kind).sort()).toEqual(["batched", "created", "delivered", "mail_sent", "mailed", "paid"]);
    expect(view.timeline.find((e) => e.kind === "batched")?.detail).toBe(f.batch.batchNumber);
    expect(view.timeline.find((e) => e.kind === "mailed")?.detail).toBe(f.registeredMail.mailNumber);
    expect(view.timeline.map((e) => e.at)).toEqual([...view.timeline.map((e) => e.at)].sort());

    const page = JSON.stringify(view);
    for (const secret of ["0987654321", "lin.mei@", "新生南路", f.holder.nationalIdHash]) expect(page).not.toContain(secret);
    const [viewed] = await auditOf("support.order_viewed", f.order.id);
    expect(viewed).toMatchObject({ actorType: "STAFF", actorId: staff.id, requestId: "req-1" });
  });

  it("shows A12345**** only from a look-up by ID, never a full ID; null for an unknown order", async () => {
    const staff = await createStaffActor(["SUPPORT"]);
    const f = await createAwaitingActivationFixture();
    const hint = `${f.nationalId.slice(0, 6)}****`;
    const view = (await loadSupportOrderView({ staff, orderNumber: f.order.orderNumber, maskedIdHint: hint }))!;
    expect(view.holder.nationalIdMasked).toBe(hint);
    expect(JSON.stringify(view)).not.toContain(f.nationalId);
    // A hint that is not a mask (a full ID smuggled in) is ignored.
    const smuggled = (await loadSupportOrderView({ staff, orderNumber: f.order.orderNumber, maskedIdHint: f.nationalId }))!;
    expect(smuggled.holder.nationalIdMasked).toBe(`******${f.nationalId.slice(-4)}`);
    expect(await loadSupportOrderView({ staff, orderNumber: "000000000000" })).toBeNull();
  });
});

describe("support actions", () => {
  it("lifts an activation lock through the activation domain, after which the holder's code works", async () => {
    const staff = await createStaffActor(["SUPPORT"]);
    const f = await createAwaitingActivationFixture();
    for (let i = 0; i < 4; i++) await attempt(f, "Wrong#123").catch(() => {});
    const locked = (await loadSupportOrderView({ staff, orderNumber: f.order.orderNumber }))!;
    expect(locked.activation.wrongTries).toBe(4);
    expect(locked.can.liftLock).toBe(true);
    expect(locked.timeline.map((e) => e.kind)).toContain("activation_locked");
    await liftActivationLock({ staff, orderId: f.order.id, reason: "持卡人來電，確認記得用戶代碼" });
    await expect(attempt(f, TEST_USER_CODE)).resolves.toMatchObject({ orderNumber: f.order.orderNumber });
    const [lifted] = await auditOf("activation.lock_lifted", f.order.id);
    expect(lifted).toMatchObject({ actorId: staff.id, reason: "持卡人來電，確認記得用戶代碼" });
  });

  it("resends only a mail already written: back to PENDING, due now, tries 0, resends + 1; the worker sends it", async () => {
    const staff = await createStaffActor(["SUPPORT"]);
    const { order } = await createPaidOrderFixture();
    await expect(resendOrderMail({ staff, orderId: order.id, kind: "PAID", reason: "持卡人未收到繳費通知" })).rejects.toMatchObject({ code: "MAIL_NOT_WRITTEN" });
    const row = await createSentOutboxMail(order.id, "PAID", new Date(Date.now() - 86_400_000));
    await expect(resendOrderMail({ staff, orderId: order.id, kind: "MAILED", reason: "持卡人未收到寄出通知" })).rejects.toMatchObject({ code: "MAIL_NOT_WRITTEN" });
    await expect(resendOrderMail({ staff, orderId: order.id, kind: "PAID", reason: "no" })).rejects.toMatchObject({ code: "REASON_REQUIRED" });

    const now = new Date();
    expect(await resendOrderMail({ staff, orderId: order.id, kind: "PAID", reason: "持卡人未收到繳費通知", now })).toEqual({ resends: 1 });
    expect(await prisma.mailOutbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "PENDING", attempts: 0, nextAttemptAt: now, resends: 1 });
    const [event] = await auditOf("support.mail_resent", order.id);
    expect(event).toMatchObject({ actorId: staff.id, reason: "持卡人未收到繳費通知", details: { kind: "PAID", outboxId: row.id, resends: 1 } });

    const before = smtp.received.length;
    expect(await sendPendingMail({ now: new Date(now.getTime() + 1000) })).toEqual({ sent: 1, failed: 0 });
    expect(smtp.received.slice(before).map((m) => m.to)).toEqual([["applicant@example.tw"]]);
    expect(await prisma.mailOutbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "SENT", resends: 1 });
  });

  it("adds a note of 1–2000 characters, audited without its text", async () => {
    const staff = await createStaffActor(["SUPPORT"]);
    const { order } = await createPaidOrderFixture();
    await expect(addSupportNote({ staff, orderId: order.id, body: "   " })).rejects.toMatchObject({ code: "NOTE_LENGTH" });
    await expect(addSupportNote({ staff, orderId: order.id, body: "x".repeat(2001) })).rejects.toMatchObject({ code: "NOTE_LENGTH" });
    const { noteId } = await addSupportNote({ staff, orderId: order.id, body: "  已請持卡人三天後再來電  " });
    expect(await prisma.supportNote.findUniqueOrThrow({ where: { id: noteId } })).toMatchObject({ body: "已請持卡人三天後再來電", authorId: staff.id });
    const [event] = await auditOf("support.note_added", order.id);
    expect(event).toMatchObject({ actorId: staff.id, details: { noteId, length: 11 } });
    expect(JSON.stringify(event!.details)).not.toContain("持卡人");
    await expect(addSupportNote({ staff, orderId: "00000000-0000-7000-8000-000000000000", body: "x" })).rejects.toMatchObject({ code: "ORDER_NOT_FOUND" });
  });

  it("records delivered-but-not-received only when the post shows it delivered, once per order, then resolves it", async () => {
    const staff = await createStaffActor(["SUPPORT"]);
    const inPost = await createMailedOrderFixture();
    await expect(recordNotReceivedCase({ staff, orderId: inPost.order.id, reason: "持卡人來電表示未收到" })).rejects.toMatchObject({ code: "NOT_DELIVERED" });
    const f = await createMailedOrderFixture({ trackingStatus: "DELIVERED" });

    const first = await recordNotReceivedCase({ staff, orderId: f.order.id, reason: "持卡人來電表示未收到" });
    expect(first.alreadyOpen).toBe(false);
    expect(await prisma.supportCase.findUniqueOrThrow({ where: { id: first.supportCaseId } })).toMatchObject({
      kind: "DELIVERED_NOT_RECEIVED", dedupeKey: notReceivedCaseKey(f.order.id), orderId: f.order.id, openedBy: `staff:${staff.id}`, resolvedAt: null,
    });
    const [recorded] = await auditOf("support.not_received_recorded", f.order.id);
    expect(recorded).toMatchObject({ actorId: staff.id, reason: "持卡人來電表示未收到" });
    // The case's own audit event names the member of staff by the bare id too.
    expect(await prisma.auditEvent.findFirstOrThrow({ where: { action: "support.case_opened", subjectId: first.supportCaseId } })).toMatchObject({ actorType: "STAFF", actorId: staff.id });
    // The holder's own report afterwards finds the same case.
    await expect(reportDeliveredNotReceived({ holderId: f.holder.id, orderNumber: f.order.orderNumber })).resolves.toMatchObject({ supportCaseId: first.supportCaseId, alreadyReported: true });
    expect(await recordNotReceivedCase({ staff, orderId: f.order.id, reason: "再次來電表示未收到" })).toEqual({ ...first, alreadyOpen: true });
    expect((await loadSupportOrderView({ staff, orderNumber: f.order.orderNumber }))!.can.recordNotReceived).toBe(false);

    await expect(resolveSupportCase({ staff, orderId: inPost.order.id, caseId: first.supportCaseId, resolution: "郵局查明已重新投遞" })).rejects.toMatchObject({ code: "CASE_NOT_FOUND" });
    await expect(resolveSupportCase({ staff, orderId: f.order.id, caseId: first.supportCaseId, resolution: "ok" })).rejects.toMatchObject({ code: "REASON_REQUIRED" });
    const at = new Date();
    await resolveSupportCase({ staff, orderId: f.order.id, caseId: first.supportCaseId, resolution: "郵局查明已重新投遞", now: at });
    expect(await prisma.supportCase.findUniqueOrThrow({ where: { id: first.supportCaseId } })).toMatchObject({
      resolvedAt: at, resolvedBy: `staff:${staff.id}`, resolution: "郵局查明已重新投遞",
    });
    const [resolved] = await auditOf("support.case_resolved", first.supportCaseId);
    expect(resolved).toMatchObject({ actorId: staff.id, reason: "郵局查明已重新投遞", details: { orderId: f.order.id, kind: "DELIVERED_NOT_RECEIVED" } });
    await expect(resolveSupportCase({ staff, orderId: f.order.id, caseId: first.supportCaseId, resolution: "再次結案測試" })).rejects.toMatchObject({ code: "CASE_RESOLVED" });
  });

  it("refuses every other role in the domain itself, changing nothing", async () => {
    const f = await createMailedOrderFixture({ trackingStatus: "DELIVERED" });
    const row = await createSentOutboxMail(f.order.id, "PAID");
    const reason = "some reason here";
    for (const roles of [["FINANCE"], ["REGISTRAR"], ["ADMIN"], []] as const) {
      const staff = await createStaffActor([...roles]);
      const calls = [
        loadSupportOrderView({ staff, orderNumber: f.order.orderNumber }),
        resendOrderMail({ staff, orderId: f.order.id, kind: "PAID", reason }),
        addSupportNote({ staff, orderId: f.order.id, body: "note" }),
        recordNotReceivedCase({ staff, orderId: f.order.id, reason }),
        resolveSupportCase({ staff, orderId: f.order.id, caseId: "00000000-0000-7000-8000-000000000000", resolution: reason }),
        liftActivationLock({ staff, orderId: f.order.id, reason }),
      ];
      for (const call of calls) await expect(call).rejects.toMatchObject({ code: "FORBIDDEN", status: 403 });
    }
    expect(await prisma.mailOutbox.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "SENT", resends: 0 });
    expect(await prisma.supportNote.count({ where: { orderId: f.order.id } })).toBe(0);
    expect(await prisma.supportCase.count({ where: { orderId: f.order.id } })).toBe(0);
    expect(await prisma.auditEvent.count({ where: { subjectId: f.order.id, action: { startsWith: "support." } } })).toBe(0);
  });
});
