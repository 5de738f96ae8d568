import { delay, http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDemoPostOffice } from "../../scripts/demo-partners/post-office";
import { POST_OFFICE_URL, postOfficeHandlers } from "../../test/msw/post-office";
import { createMswServer } from "../../test/msw/server";
import { endlessBody } from "../../test/support/endless-body";
import { createPostTrackingClient, postTrackingFromEnv, PostTrackingError } from "./post-client.server";

const API_KEY = "post-tracking-test-key";
const MAIL = "00000000001234567890";
const server = createMswServer();

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const client = (timeoutMs?: number) => createPostTrackingClient({ baseUrl: `${POST_OFFICE_URL}/`, apiKey: API_KEY, timeoutMs });
const route = `${POST_OFFICE_URL}/v1/registered-mail/${MAIL}`;

async function failure(promise: Promise<unknown>): Promise<PostTrackingError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(PostTrackingError);
  return error as PostTrackingError;
}

describe("createPostTrackingClient", () => {
  it("reads the demo post office's events as instants with the statuses of the schema", async () => {
    const acceptedAt = new Date("2026-11-23T02:00:00.000Z");
    const office = createDemoPostOffice({ apiKey: API_KEY, now: () => new Date(acceptedAt.getTime() + 60_000) });
    office.acceptLetter({ mailNumber: MAIL, acceptedAt });
    server.use(...postOfficeHandlers(office, POST_OFFICE_URL));
    const report = await client().track(MAIL);
    expect(report.mailNumber).toBe(MAIL);
    expect(report.events.map((event) => event.status)).toEqual(["ACCEPTED", "IN_TRANSIT", "IN_TRANSIT", "DELIVERED"]);
    expect(report.events[0]!.occurredAt).toEqual(acceptedAt);
    expect(report.events[0]!.office).toMatch(/郵局$/);
  });

  it("sends the API key; a wrong key is an error that retrying does not fix", async () => {
    const office = createDemoPostOffice({ apiKey: "another-key-entirely" });
    office.acceptLetter({ mailNumber: MAIL, acceptedAt: new Date() });
    server.use(...postOfficeHandlers(office, POST_OFFICE_URL));
    const error = await failure(client().track(MAIL));
    expect(error).toMatchObject({ code: "UNAUTHORIZED", transient: false, httpStatus: 401 });
  });

  it("reads 404 MAIL_NOT_FOUND as no events yet, but any other 404 as an error", async () => {
    server.use(http.get(route, () => HttpResponse.json({ error: { code: "MAIL_NOT_FOUND", message: "not yet" } }, { status: 404 })));
    expect(await client().track(MAIL)).toEqual({ mailNumber: MAIL, events: [] });

    server.use(http.get(route, () => new HttpResponse("Not Found", { status: 404 })));
    expect(await failure(client().track(MAIL))).toMatchObject({ code: "NOT_FOUND", transient: false, httpStatus: 404 });
  });

  it("calls 5xx, 429, a dropped connection and a timeout transient", async () => {
    server.use(http.get(route, () => HttpResponse.json({ error: { code: "MAINTENANCE", message: "down" } }, { status: 503 })));
    expect(await failure(client().track(MAIL))).toMatchObject({ code: "MAINTENANCE", transient: true, httpStatus: 503 });

    server.use(http.get(route, () => new HttpResponse(null, { status: 429 })));
    expect(await failure(client().track(MAIL))).toMatchObject({ code: "HTTP_429", transient: true });

    server.use(http.get(route, () => HttpResponse.error()));
    expect(await failure(client().track(MAIL))).toMatchObject({ code: "NETWORK", transient: true });

    server.use(http.get(route, async () => {
      await delay(2_000);
      return HttpResponse.json({ mailNumber: MAIL, events: [] });
    }));
    expect(await failure(client(50).track(MAIL))).toMatchObject({ code: "TIMEOUT", transient: true });
  });

  it("reads a reply only up to its byte cap: an endless body is REPLY_TOO_LARGE, not buffered until the timeout", async () => {
    for (const status of [200, 404, 503]) {
      const endless = endlessBody();
      server.use(http.get(route, () => new HttpResponse(endless.body, { status, headers: { "Content-Type": "application/json" } })));
      const error = await failure(client(8_000).track(MAIL));
      if (status === 200) expect(error).toMatchObject({ code: "REPLY_TOO_LARGE", transient: false });
      // An error body too large to read is an error without the post's code.
      else expect(error.code).toBe(status === 404 ? "NOT_FOUND" : "HTTP_503");
      expect(endless.produced()).toBeLessThan(1024 * 1024);
    }
  });

  it("refuses a malformed reply, not transient", async () => {
    server.use(http.get(route, () => new HttpResponse("<html>maintenance</html>", { status: 200 })));
    expect(await failure(client().track(MAIL))).toMatchObject({ code: "MALFORMED_REPLY", transient: false });

    server.use(http.get(route, () => HttpResponse.json({ mailNumber: MAIL, events: [{ status: "lost", occurredAt: "2026-11-23T10:00:00+08:00", office: null }] })));
    expect(await failure(client().track(MAIL))).toMatchObject({ code: "MALFORMED_REPLY", transient: false });

    // A time without its offset is ambiguous by eight hours.
    server.use(http.get(route, () => HttpResponse.json({ mailNumber: MAIL, events: [{ status: "accepted", occurredAt: "2026-11-23T10:00:00", office: null }] })));
    expect(await failure(client().track(MAIL))).toMatchObject({ code: "MALFORMED_REPLY" });

    server.use(http.get(route, () => HttpResponse.json({ mailNumber: "99999999999999999999", events: [] })));
    expect(await failure(client().track(MAIL))).toMatchObject({ code: "MAIL_NUMBER_MISMATCH", transient: false });
  });

  it("never sends a mail number that is not digits", async () => {
    expect(await failure(client().track("../admin"))).toMatchObject({ code: "INVALID_MAIL_NUMBER", transient: false });
  });
});

describe("postTrackingFromEnv", () => {
  it("is null unless both the URL and the API key are set", async () => {
    expect(postTrackingFromEnv({ POST_TRACKING_URL: undefined, POST_TRACKING_API_KEY: API_KEY })).toBeNull();
    expect(postTrackingFromEnv({ POST_TRACKING_URL: POST_OFFICE_URL, POST_TRACKING_API_KEY: undefined })).toBeNull();
    expect(postTrackingFromEnv()).toBeNull();

    const office = createDemoPostOffice({ apiKey: API_KEY });
    server.use(...postOfficeHandlers(office, POST_OFFICE_URL));
    const configured = postTrackingFromEnv({ POST_TRACKING_URL: POST_OFFICE_URL, POST_TRACKING_API_KEY: API_KEY });
    expect(await configured?.track(MAIL)).toEqual({ mailNumber: MAIL, events: [] });
  });
});
