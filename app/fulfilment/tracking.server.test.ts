import { http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { TrackingStatus } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { logger } from "~/lib/logger.server";
import { createDemoPostOffice, type DemoPostOffice } from "../../scripts/demo-partners/post-office";
import { createMailedOrderFixture } from "../../test/factories/fulfilment";
import { POST_OFFICE_URL, postOfficeHandlers } from "../../test/msw/post-office";
import { createMswServer } from "../../test/msw/server";
import { createPostTrackingClient, type PostTracking } from "./post-client.server";
import { applyTrackingReport, deriveTrackingStatus, pollDueRegisteredMail, trackingBackoffSeconds } from "./tracking.server";

const API_KEY = "post-tracking-test-key";
const SECOND = 1000;
const T0 = new Date("2026-11-23T02:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const event = (status: TrackingStatus, ms: number, office: string | null = "臺北郵局") => ({ status, occurredAt: at(ms), office });

const server = createMswServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  server.resetHandlers();
  vi.restoreAllMocks();
});
afterAll(() => server.close());

async function letterState(registeredMailId: string) {
  const mail = await prisma.registeredMail.findUniqueOrThrow({ where: { id: registeredMailId }, include: { order: true, events: true } });
  return { status: mail.status, statusAt: mail.statusAt, orderStatus: mail.order.status, events: mail.events.length, mail };
}

const auditCount = (orderId: string, action: string) =>
  prisma.auditEvent.count({ where: { action, subjectType: "order", subjectId: orderId } });

describe("deriveTrackingStatus", () => {
  it("ranks accepted < in transit < terminal, and the later terminal status wins", () => {
    expect(deriveTrackingStatus([])).toBeNull();
    expect(deriveTrackingStatus([event("IN_TRANSIT", 20), event("ACCEPTED", 30)])).toEqual({ status: "IN_TRANSIT", at: at(20) });
    expect(deriveTrackingStatus([event("IN_TRANSIT", 10), event("IN_TRANSIT", 20)])).toEqual({ status: "IN_TRANSIT", at: at(20) });
    expect(deriveTrackingStatus([event("DELIVERED", 30), event("RETURNED", 40)])).toEqual({ status: "RETURNED", at: at(40) });
    expect(deriveTrackingStatus([event("RETURNED", 30), event("DELIVERED", 40)])).toEqual({ status: "DELIVERED", at: at(40) });
  });
});

describe("applyTrackingReport", () => {
  it("applies states in order even when polled out of order: delivered first, older polls never move it back", async () => {
    const { order, registeredMail } = await createMailedOrderFixture({ dispatchedAt: T0 });
    const shuffled = [event("DELIVERED", 30 * SECOND, "新竹郵局"), event("ACCEPTED", 0), event("IN_TRANSIT", 10 * SECOND, "臺北郵件處理中心")];
    expect(await applyTrackingReport(registeredMail.id, shuffled)).toEqual({ status: "DELIVERED", changed: true, newEvents: 3 });
    let state = await letterState(registeredMail.id);
    expect(state).toMatchObject({ status: "DELIVERED", statusAt: at(30 * SECOND), orderStatus: "DELIVERED", events: 3 });

    // A later poll answered from a stale replica: only the early events.
    expect(await applyTrackingReport(registeredMail.id, [event("ACCEPTED", 0), event("IN_TRANSIT", 10 * SECOND)])).toEqual({ status: "DELIVERED", changed: false, newEvents: 0 });
    // An in-transit scan the first poll did not have is recorded, and still does not move the status back.
    expect(await applyTrackingReport(registeredMail.id, [event("IN_TRANSIT", 20 * SECOND, "新竹郵局")])).toEqual({ status: "DELIVERED", changed: false, newEvents: 1 });
    expect(await applyTrackingReport(registeredMail.id, [])).toEqual({ status: "DELIVERED", changed: false, newEvents: 0 });
    state = await letterState(registeredMail.id);
    expect(state).toMatchObject({ status: "DELIVERED", statusAt: at(30 * SECOND), orderStatus: "DELIVERED", events: 4 });
    expect(await auditCount(order.id, "order.delivered")).toBe(1);
  });

  it("moves forward one step at a time and records each event once, even when a poll repeats one", async () => {
    const { registeredMail } = await createMailedOrderFixture({ dispatchedAt: T0 });
    expect(await applyTrackingReport(registeredMail.id, [event("ACCEPTED", 0), event("ACCEPTED", 0)])).toEqual({ status: "ACCEPTED", changed: false, newEvents: 1 });
    expect((await letterState(registeredMail.id)).statusAt).toEqual(at(0));
    expect(await applyTrackingReport(registeredMail.id, [event("IN_TRANSIT", 10 * SECOND), event("ACCEPTED", 0)])).toEqual({ status: "IN_TRANSIT", changed: true, newEvents: 1 });
    expect(await applyTrackingReport(registeredMail.id, [event("ACCEPTED", 0)])).toEqual({ status: "IN_TRANSIT", changed: false, newEvents: 0 });
    expect(await letterState(registeredMail.id)).toMatchObject({ status: "IN_TRANSIT", statusAt: at(10 * SECOND), orderStatus: "MAILED", events: 2 });
  });

  it("sets the order DELIVERED once, with one audit event, however often delivery is reported", async () => {
    const { order, registeredMail } = await createMailedOrderFixture({ dispatchedAt: T0 });
    const delivered = [event("ACCEPTED", 0), event("DELIVERED", 30 * SECOND)];
    await applyTrackingReport(registeredMail.id, delivered);
    await applyTrackingReport(registeredMail.id, delivered);
    await applyTrackingReport(registeredMail.id, [...delivered].reverse());
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("DELIVERED");
    expect(await auditCount(order.id, "order.delivered")).toBe(1);
    expect(await prisma.supportCase.count({ where: { orderId: order.id } })).toBe(0);
  });

  it("never touches an order that was activated already", async () => {
    const { order, registeredMail } = await createMailedOrderFixture({ dispatchedAt: T0 });
    await prisma.reissueOrder.update({ where: { id: order.id }, data: { status: "ACTIVATED" } });
    expect(await applyTrackingReport(registeredMail.id, [event("DELIVERED", 30 * SECOND)])).toMatchObject({ status: "DELIVERED", changed: true });
    expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("ACTIVATED");
  });

  it("sends a returned letter to support once, with codes and places only, and a second poll opens no second case", async () => {
    const { order, registeredMail } = await createMailedOrderFixture({ dispatchedAt: T0, holderName: "陳美玲" });
    const returned = [event("ACCEPTED", 0), event("IN_TRANSIT", 10 * SECOND), event("RETURNED", 3 * 86_400 * SECOND, "臺中郵局")];
    expect(await applyTrackingReport(registeredMail.id, returned)).toEqual({ status: "RETURNED", changed: true, newEvents: 3 });
    expect(await applyTrackingReport(registeredMail.id, returned)).toEqual({ status: "RETURNED", changed: false, newEvents: 0 });

    const cases = await prisma.supportCase.findMany({ where: { orderId: order.id } });
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ kind: "MAIL_RETURNED", dedupeKey: `MAIL_RETURNED:${registeredMail.id}`, openedBy: "system", resolvedAt: null });
    expect(cases[0]!.reason).toContain("2026-11-26");
    expect(cases[0]!.reason).toContain("臺中郵局");
    for (const personal of ["陳美玲", "重慶南路", "0912345678", "applicant@example.tw"]) expect(cases[0]!.reason).not.toContain(personal);
    expect(await auditCount(order.id, "order.mail_returned")).toBe(1);
    // The order stays MAILED: the card is on its way back, not with the holder.
    expect(await letterState(registeredMail.id)).toMatchObject({ status: "RETURNED", orderStatus: "MAILED" });
  });

  it("lets the later of delivered and returned win, whichever poll brought it", async () => {
    const { order, registeredMail } = await createMailedOrderFixture({ dispatchedAt: T0 });
    await applyTrackingReport(registeredMail.id, [event("RETURNED", 40 * SECOND)]);
    expect(await applyTrackingReport(registeredMail.id, [event("DELIVERED", 30 * SECOND)])).toMatchObject({ status: "RETURNED", changed: false });
    expect(await applyTrackingReport(registeredMail.id, [event("DELIVERED", 50 * SECOND)])).toMatchObject({ status: "DELIVERED", changed: true });
    expect(await letterState(registeredMail.id)).toMatchObject({ status: "DELIVERED", statusAt: at(50 * SECOND), orderStatus: "DELIVERED" });
    expect(await prisma.supportCase.count({ where: { orderId: order.id, kind: "MAIL_RETURNED" } })).toBe(1);
  });
});

describe("pollDueRegisteredMail", () => {
  let office: DemoPostOffice;
  let clock: Date;
  const http_ = () => createPostTrackingClient({ baseUrl: POST_OFFICE_URL, apiKey: API_KEY });

  beforeEach(async () => {
    // Letters of earlier tests in this file are not due, so each test sees only its own.
    await prisma.registeredMail.updateMany({ data: { nextPollAt: new Date("2100-01-01T00:00:00Z") } });
    clock = T0;
    office = createDemoPostOffice({ apiKey: API_KEY, now: () => clock, inTransitAfterMs: 10 * SECOND, deliveredAfterMs: 30 * SECOND });
    server.use(...postOfficeHandlers(office, POST_OFFICE_URL));
  });

  async function mailedLetter() {
    const fixture = await createMailedOrderFixture({ dispatchedAt: T0 });
    await prisma.registeredMail.update({ where: { id: fixture.registeredMail.id }, data: { nextPollAt: T0 } });
    office.acceptLetter({ mailNumber: fixture.registeredMail.mailNumber, acceptedAt: T0 });
    return fixture;
  }

  it("takes a letter accepted → in transit → delivered against the demo post office as its clock moves", async () => {
    const { order, registeredMail } = await mailedLetter();
    const poll = (ms: number) => pollDueRegisteredMail({ client: http_(), now: (clock = at(ms)), intervalSeconds: 5 });

    expect(await poll(1 * SECOND)).toEqual({ polled: 1, changed: 0, failed: 0 });
    expect(await letterState(registeredMail.id)).toMatchObject({ status: "ACCEPTED", statusAt: T0, events: 1 });
    expect((await letterState(registeredMail.id)).mail.nextPollAt).toEqual(at(6 * SECOND));
    expect(await poll(3 * SECOND)).toEqual({ polled: 0, changed: 0, failed: 0 });

    expect(await poll(15 * SECOND)).toEqual({ polled: 1, changed: 1, failed: 0 });
    expect(await letterState(registeredMail.id)).toMatchObject({ status: "IN_TRANSIT", statusAt: at(10 * SECOND), orderStatus: "MAILED" });

    expect(await poll(31 * SECOND)).toEqual({ polled: 1, changed: 1, failed: 0 });
    const state = await letterState(registeredMail.id);
    expect(state).toMatchObject({ status: "DELIVERED", statusAt: at(30 * SECOND), orderStatus: "DELIVERED", events: 4 });
    expect(state.mail.lastPolledAt).toEqual(at(31 * SECOND));
    expect(await auditCount(order.id, "order.delivered")).toBe(1);

    // Delivered is final: the letter is not asked about again.
    expect(await poll(3600 * SECOND)).toEqual({ polled: 0, changed: 0, failed: 0 });
  });

  it("takes a letter the demo post office returns to support", async () => {
    const { order, registeredMail } = await mailedLetter();
    clock = at(12 * SECOND);
    office.returnLetter(registeredMail.mailNumber);
    expect(await pollDueRegisteredMail({ client: http_(), now: at(20 * SECOND), intervalSeconds: 5 })).toEqual({ polled: 1, changed: 1, failed: 0 });
    expect(await prisma.supportCase.count({ where: { orderId: order.id, kind: "MAIL_RETURNED" } })).toBe(1);
  });

  it("backs off after a transient failure, counts it, and starts again from zero once the post answers", async () => {
    const { registeredMail } = await mailedLetter();
    const interval = 60;
    server.use(http.get(`${POST_OFFICE_URL}/v1/registered-mail/:mailNumber`, () =>
      HttpResponse.json({ error: { code: "MAINTENANCE", message: "down" } }, { status: 503 })));

    expect(await pollDueRegisteredMail({ client: http_(), now: at(SECOND), intervalSeconds: interval })).toEqual({ polled: 1, changed: 0, failed: 1 });
    let mail = (await letterState(registeredMail.id)).mail;
    expect(mail.pollFailures).toBe(1);
    expect(mail.nextPollAt).toEqual(at(SECOND + trackingBackoffSeconds(1, interval) * SECOND));
    expect(trackingBackoffSeconds(1, interval)).toBeGreaterThan(interval);

    // Due again by the normal interval, but backing off: not asked.
    expect(await pollDueRegisteredMail({ client: http_(), now: at(SECOND + interval * SECOND), intervalSeconds: interval })).toMatchObject({ polled: 0 });

    const second = new Date(mail.nextPollAt);
    expect(await pollDueRegisteredMail({ client: http_(), now: second, intervalSeconds: interval })).toEqual({ polled: 1, changed: 0, failed: 1 });
    mail = (await letterState(registeredMail.id)).mail;
    expect(mail.pollFailures).toBe(2);
    expect(mail.nextPollAt.getTime() - second.getTime()).toBe(trackingBackoffSeconds(2, interval) * SECOND);
    expect(trackingBackoffSeconds(2, interval)).toBeGreaterThan(trackingBackoffSeconds(1, interval));

    server.resetHandlers(...postOfficeHandlers(office, POST_OFFICE_URL));
    clock = mail.nextPollAt;
    expect(await pollDueRegisteredMail({ client: http_(), now: mail.nextPollAt, intervalSeconds: interval })).toMatchObject({ polled: 1, failed: 0 });
    expect((await letterState(registeredMail.id)).mail.pollFailures).toBe(0);
  });

  it("warns with the letter's id, not the person's data, once failures keep coming", async () => {
    const { registeredMail } = await mailedLetter();
    await prisma.registeredMail.update({ where: { id: registeredMail.id }, data: { pollFailures: 4 } });
    server.use(http.get(`${POST_OFFICE_URL}/v1/registered-mail/:mailNumber`, () => HttpResponse.error()));
    const warn = vi.spyOn(logger(), "warn");
    expect(await pollDueRegisteredMail({ client: http_(), now: at(SECOND), intervalSeconds: 60 })).toMatchObject({ failed: 1 });
    expect(warn).toHaveBeenCalledTimes(1);
    const [fields] = warn.mock.calls[0] as unknown as [Record<string, unknown>];
    expect(fields).toMatchObject({ registeredMailId: registeredMail.id, pollFailures: 5, code: "NETWORK", transient: true });
    expect(JSON.stringify(fields)).not.toContain("王小明");
  });

  it("does not poll a letter that is not yet due, nor one that is delivered or returned", async () => {
    const notDue = await mailedLetter();
    await prisma.registeredMail.update({ where: { id: notDue.registeredMail.id }, data: { nextPollAt: at(61 * SECOND) } });
    const delivered = await mailedLetter();
    await prisma.registeredMail.update({ where: { id: delivered.registeredMail.id }, data: { status: "DELIVERED" } });
    const returned = await mailedLetter();
    await prisma.registeredMail.update({ where: { id: returned.registeredMail.id }, data: { status: "RETURNED" } });
    const asked: string[] = [];
    const client: PostTracking = { track: (mailNumber) => (asked.push(mailNumber), http_().track(mailNumber)) };

    expect(await pollDueRegisteredMail({ client, now: at(60 * SECOND), intervalSeconds: 5 })).toEqual({ polled: 0, changed: 0, failed: 0 });
    expect(asked).toEqual([]);
    expect(await pollDueRegisteredMail({ client, now: at(61 * SECOND), intervalSeconds: 5 })).toMatchObject({ polled: 1 });
    expect(asked).toEqual([notDue.registeredMail.mailNumber]);
  });

  it("passes over a letter another poller holds locked, without waiting for it", async () => {
    const held = await mailedLetter();
    const free = await mailedLetter();
    const asked: string[] = [];
    const client: PostTracking = { track: (mailNumber) => (asked.push(mailNumber), http_().track(mailNumber)) };
    const report = await prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM registered_mail WHERE id = ${held.registeredMail.id}::uuid FOR UPDATE`;
      return pollDueRegisteredMail({ client, now: at(SECOND), intervalSeconds: 5 });
    }, { timeout: 5_000 });
    expect(report).toMatchObject({ polled: 1, failed: 0 });
    expect(asked).toEqual([free.registeredMail.mailNumber]);
  });

  it("shares due letters between two pollers running at once: each letter is asked about exactly once", async () => {
    const letters = await Promise.all(Array.from({ length: 6 }, () => mailedLetter()));
    const asked: string[] = [];
    let release!: () => void;
    const bothBusy = new Promise<void>((resolve) => (release = resolve));
    let inFlight = 0;
    // The first call waits until the other poller is asking too, so the two really overlap.
    const client: PostTracking = {
      async track(mailNumber) {
        asked.push(mailNumber);
        if (++inFlight >= 2) release();
        await Promise.race([bothBusy, new Promise((resolve) => setTimeout(resolve, 5_000))]);
        inFlight--;
        return http_().track(mailNumber);
      },
    };
    const [a, b] = await Promise.all([
      pollDueRegisteredMail({ client, now: at(SECOND), intervalSeconds: 5 }),
      pollDueRegisteredMail({ client, now: at(SECOND), intervalSeconds: 5 }),
    ]);
    expect(a.polled + b.polled).toBe(6);
    expect(a.polled).toBeGreaterThan(0);
    expect(b.polled).toBeGreaterThan(0);
    expect(asked.toSorted()).toEqual(letters.map((letter) => letter.registeredMail.mailNumber).toSorted());
    for (const letter of letters) expect((await letterState(letter.registeredMail.id)).events).toBe(1);
  });
});
