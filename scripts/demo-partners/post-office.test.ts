import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MAIL_NOT_FOUND, trackingReplySchema, type TrackingReply } from "../../app/fulfilment/tracking-protocol";
import { createDemoPostOffice, taipeiIso } from "./post-office";

const API_KEY = "demo-post-office-key";
const BASE = "http://post-office.demo";
const MAIL = "12345678901234567890";
const T0 = new Date("2026-11-23T02:00:00.000Z");
const SECOND = 1000;

function clockAt(start: Date) {
  let current = start;
  return { now: () => current, set: (ms: number) => (current = new Date(start.getTime() + ms)) };
}

function get(mailNumber: string, key: string | null = API_KEY) {
  return new Request(`${BASE}/v1/registered-mail/${mailNumber}`, { headers: key ? { "X-Api-Key": key } : {} });
}

async function events(response: Response) {
  expect(response.status).toBe(200);
  const reply: TrackingReply = trackingReplySchema.parse(await response.json());
  return reply.events.map((event) => event.status);
}

const directories: string[] = [];
afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe("the demo post office", () => {
  it("refuses a request without the right API key", async () => {
    const office = createDemoPostOffice({ apiKey: API_KEY });
    office.acceptLetter({ mailNumber: MAIL, acceptedAt: T0 });
    expect((await office.handle(get(MAIL, null))).status).toBe(401);
    expect((await office.handle(get(MAIL, "wrong-key"))).status).toBe(401);
    expect((await office.handle(get(MAIL))).status).toBe(200);
  });

  it("answers 404 MAIL_NOT_FOUND for a letter not handed in, or handed in later than now", async () => {
    const clock = clockAt(T0);
    const office = createDemoPostOffice({ apiKey: API_KEY, now: clock.now });
    const unknown = await office.handle(get("99999999999999999999"));
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: MAIL_NOT_FOUND } });

    office.acceptLetter({ mailNumber: MAIL, acceptedAt: new Date(T0.getTime() + 60 * SECOND) });
    expect((await office.handle(get(MAIL))).status).toBe(404);
    clock.set(60 * SECOND);
    expect(await events(await office.handle(get(MAIL)))).toEqual(["accepted"]);
  });

  it("moves a letter along with the clock: accepted, in transit at a sorting centre, delivered", async () => {
    const clock = clockAt(T0);
    const office = createDemoPostOffice({ apiKey: API_KEY, now: clock.now, inTransitAfterMs: 10 * SECOND, deliveredAfterMs: 30 * SECOND });
    office.acceptLetter({ mailNumber: MAIL, acceptedAt: T0 });

    expect(await events(await office.handle(get(MAIL)))).toEqual(["accepted"]);
    clock.set(10 * SECOND - 1);
    expect(await events(await office.handle(get(MAIL)))).toEqual(["accepted"]);
    clock.set(10 * SECOND);
    expect(await events(await office.handle(get(MAIL)))).toEqual(["accepted", "in_transit"]);
    clock.set(20 * SECOND);
    expect(await events(await office.handle(get(MAIL)))).toEqual(["accepted", "in_transit", "in_transit"]);
    clock.set(30 * SECOND);
    const response = await office.handle(get(MAIL));
    const reply = trackingReplySchema.parse(await response.json());
    expect(reply.mailNumber).toBe(MAIL);
    expect(reply.events.map((event) => event.status)).toEqual(["accepted", "in_transit", "in_transit", "delivered"]);
    // Taiwan time with its offset, the same instants as the clock.
    expect(reply.events[0]!.occurredAt).toBe("2026-11-23T10:00:00.000+08:00");
    expect(Date.parse(reply.events[3]!.occurredAt)).toBe(T0.getTime() + 30 * SECOND);
    expect(reply.events[1]!.office).toMatch(/郵件處理中心$/);
    for (const event of reply.events) expect(event.office).toMatch(/(郵局|郵件處理中心)$/);
  });

  it("accepts a letter once: handing it in again keeps the first time", async () => {
    const clock = clockAt(T0);
    const office = createDemoPostOffice({ apiKey: API_KEY, now: clock.now });
    office.acceptLetter({ mailNumber: MAIL, acceptedAt: T0 });
    office.acceptLetter({ mailNumber: MAIL, acceptedAt: new Date(T0.getTime() + 3600 * SECOND) });
    const reply = trackingReplySchema.parse(await (await office.handle(get(MAIL))).json());
    expect(reply.events[0]!.occurredAt).toBe(taipeiIso(T0));
  });

  it("returns a letter through the demo control endpoint: returned instead of delivered", async () => {
    const clock = clockAt(T0);
    const office = createDemoPostOffice({ apiKey: API_KEY, now: clock.now, inTransitAfterMs: 10 * SECOND, deliveredAfterMs: 30 * SECOND });
    office.acceptLetter({ mailNumber: MAIL, acceptedAt: T0 });
    clock.set(12 * SECOND);
    const control = await office.handle(new Request(`${BASE}/demo/registered-mail/${MAIL}/return`, { method: "POST" }));
    expect(control.status).toBe(200);
    clock.set(3600 * SECOND);
    expect(await events(await office.handle(get(MAIL)))).toEqual(["accepted", "in_transit", "returned"]);

    const missing = await office.handle(new Request(`${BASE}/demo/registered-mail/99999999999999999999/return`, { method: "POST" }));
    expect(missing.status).toBe(404);
  });

  it("cannot return a letter that was delivered already", async () => {
    const clock = clockAt(T0);
    const office = createDemoPostOffice({ apiKey: API_KEY, now: clock.now, inTransitAfterMs: 10 * SECOND, deliveredAfterMs: 30 * SECOND });
    office.acceptLetter({ mailNumber: MAIL, acceptedAt: T0 });
    clock.set(31 * SECOND);
    const control = await office.handle(new Request(`${BASE}/demo/registered-mail/${MAIL}/return`, { method: "POST" }));
    expect(control.status).toBe(409);
    expect(await events(await office.handle(get(MAIL)))).toContain("delivered");
  });

  it("keeps its letters across a restart when given a state file", async () => {
    const directory = mkdtempSync(path.join(os.tmpdir(), "demo-post-office-"));
    directories.push(directory);
    const stateFile = path.join(directory, "post-office.json");
    const clock = clockAt(T0);
    const first = createDemoPostOffice({ apiKey: API_KEY, now: clock.now, stateFile });
    first.acceptLetter({ mailNumber: MAIL, acceptedAt: T0 });
    first.acceptLetter({ mailNumber: "11111111111111111111", acceptedAt: T0 });
    first.returnLetter("11111111111111111111", new Date(T0.getTime() + 5 * SECOND));
    expect(JSON.parse(readFileSync(stateFile, "utf8")).letters).toHaveLength(2);

    clock.set(3600 * SECOND);
    const second = createDemoPostOffice({ apiKey: API_KEY, now: clock.now, stateFile });
    expect(await events(await second.handle(get(MAIL)))).toEqual(["accepted", "in_transit", "in_transit", "delivered"]);
    expect(await events(await second.handle(get("11111111111111111111")))).toEqual(["accepted", "returned"]);
  });

  it("refuses a malformed mail number and unknown paths", async () => {
    const office = createDemoPostOffice({ apiKey: API_KEY });
    expect((await office.handle(get("12ab"))).status).toBe(400);
    expect((await office.handle(new Request(`${BASE}/v2/anything`))).status).toBe(404);
    expect(await (await office.handle(new Request(`${BASE}/v2/anything`))).json()).toMatchObject({ error: { code: "NOT_FOUND" } });
    expect(() => office.acceptLetter({ mailNumber: "not digits", acceptedAt: T0 })).toThrow();
  });
});
