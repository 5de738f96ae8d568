import { delay, http, HttpResponse } from "msw";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { loadTestCa } from "~/cards/test-ca.server";
import { x509 } from "~/lib/x509.server";
import { createDemoVendor, type DemoVendorOptions } from "../../scripts/demo-partners/vendor";
import { createMswServer } from "../../test/msw/server";
import { testCertificatesFor, vendorHandlers } from "../../test/msw/vendor";
import { endlessBody } from "../../test/support/endless-body";
import { createVendorClient, MAX_VENDOR_REPLY_BYTES, vendorClientFromEnv } from "./vendor-client.server";
import { VendorError, type BatchSubmission, type PrintVendor, type VendorCard } from "./vendor-protocol";
import { VENDOR_SIGNATURE_HEADER, signVendorReply } from "./vendor-signature.server";

const BASE_URL = "https://print-vendor.test/api";
const SECRET = "print-vendor-test-secret-0123456789";
const START = new Date("2025-11-23T02:00:00Z");
const MINUTE = 60_000;

const server = createMswServer();
beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A demo vendor behind msw and a client, sharing a clock the test moves. Personalised after 10 min, posted 20 min after certification. */
function setUp(options: Partial<DemoVendorOptions> = {}) {
  const clock = { now: START };
  const now = () => clock.now;
  const letters: Array<{ mailNumber: string; orderNumber: string; dispatchedAt: Date }> = [];
  const vendor = createDemoVendor({
    secret: SECRET,
    now,
    personaliseAfterMs: 10 * MINUTE,
    dispatchAfterMs: 20 * MINUTE,
    onDispatched: (letter) => void letters.push(letter),
    ...options,
  });
  server.use(...vendorHandlers(vendor, BASE_URL));
  // Generous: personalising makes RSA keys within the request, slow on a busy machine.
  const client = createVendorClient({ baseUrl: BASE_URL, secret: SECRET, now, timeoutMs: 15_000 });
  const at = (minutes: number) => (clock.now = new Date(START.getTime() + minutes * MINUTE));
  return { vendor, client, letters, at };
}

const batch = (batchNumber: string, names: Record<string, string>): BatchSubmission => ({
  batchNumber,
  cards: Object.entries(names).map(([orderNumber, holderName]) => ({ orderNumber, holderName, validFrom: "2025-11-23", validUntil: "2030-11-23" })),
});

async function vendorError(call: Promise<unknown>): Promise<VendorError> {
  const error = await call.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(VendorError);
  return error as VendorError;
}

const card = <S extends VendorCard["state"]>(cards: VendorCard[], orderNumber: string, state: S) => {
  const found = cards.find((c) => c.orderNumber === orderNumber);
  expect(found?.state).toBe(state);
  return found as Extract<VendorCard, { state: S }>;
};

describe("the vendor client against the demo vendor", () => {
  it("takes a card from submission through personalisation and certificates to the post, on the vendor's clock", async () => {
    const { vendor, client, letters, at } = setUp();
    const submitted = await client.submitBatch(batch("P1151123-0001", { "1151123000001": "王小明", "1151123000002": "陳美玲" }));
    expect(submitted).toMatchObject({ batchNumber: "P1151123-0001", receivedAt: START.toISOString() });
    expect(submitted.cards.map((c) => c.state)).toEqual(["queued", "queued"]);
    expect(vendor.printCount("1151123000001")).toBe(0);

    at(5);
    expect((await client.getBatch("P1151123-0001")).cards.map((c) => c.state)).toEqual(["printing", "printing"]);
    expect(vendor.printCount("1151123000001")).toBe(1);

    at(10);
    const personalised = (await client.getBatch("P1151123-0001")).cards;
    const first = card(personalised, "1151123000001", "personalised");
    const second = card(personalised, "1151123000002", "personalised");
    expect(first.cardNumber).toMatch(/^TP\d{14}$/);
    expect(first.cardNumber).not.toBe(second.cardNumber);
    // Each CSR is signed by its own key: the proof the service checks before it certifies the key.
    const signingCsr = new x509.Pkcs10CertificateRequest(Buffer.from(first.signingCsr, "base64"));
    const encryptionCsr = new x509.Pkcs10CertificateRequest(Buffer.from(first.encryptionCsr, "base64"));
    expect(await signingCsr.verify()).toBe(true);
    expect(await encryptionCsr.verify()).toBe(true);
    expect(Buffer.from(signingCsr.publicKey.rawData).equals(Buffer.from(encryptionCsr.publicKey.rawData))).toBe(false);

    const ca = await loadTestCa();
    at(12);
    await client.deliverCertificates("P1151123-0001", "1151123000001", await testCertificatesFor(ca, first));
    const written = (await client.getBatch("P1151123-0001")).cards;
    expect(card(written, "1151123000001", "certificates_written").cardNumber).toBe(first.cardNumber);
    card(written, "1151123000002", "personalised"); // the other card waits for its own certificates

    at(31);
    card((await client.getBatch("P1151123-0001")).cards, "1151123000001", "certificates_written");
    at(32);
    const dispatched = card((await client.getBatch("P1151123-0001")).cards, "1151123000001", "dispatched");
    expect(dispatched.mailNumber).toMatch(/^\d{20}$/);
    expect(dispatched.dispatchedAt).toBe(new Date(START.getTime() + 32 * MINUTE).toISOString());
    expect(letters).toEqual([{ mailNumber: dispatched.mailNumber, orderNumber: "1151123000001", dispatchedAt: new Date(dispatched.dispatchedAt) }]);

    at(60);
    await client.getBatch("P1151123-0001");
    expect(letters).toHaveLength(1);
    expect(vendor.printCount("1151123000001")).toBe(1);
    expect(vendor.printCount("1151123000002")).toBe(1);
  });

  it("answers a repeated submission with the batch as it stands and prints nothing again", async () => {
    const { vendor, client, at } = setUp();
    const submission = batch("P1151123-0002", { "1151123000011": "林志豪" });
    await client.submitBatch(submission);
    at(10);
    const before = card((await client.getBatch("P1151123-0002")).cards, "1151123000011", "personalised");
    at(11);
    const again = await client.submitBatch(submission); // a worker retrying after a crash
    expect(card(again.cards, "1151123000011", "personalised").cardNumber).toBe(before.cardNumber);
    expect(again.receivedAt).toBe(START.toISOString());
    expect(vendor.submissionCount("P1151123-0002")).toBe(2);
    expect(vendor.printCount("1151123000011")).toBe(1);
  });

  it("refuses the same batch number with other cards: 409 BATCH_CONFLICT, not transient, without the vendor's words", async () => {
    const { vendor, client } = setUp();
    await client.submitBatch(batch("P1151123-0003", { "1151123000021": "張淑芬" }));
    const error = await vendorError(client.submitBatch(batch("P1151123-0003", { "1151123000021": "張淑芬", "1151123000022": "李建宏" })));
    expect(error).toMatchObject({ code: "BATCH_CONFLICT", transient: false, httpStatus: 409 });
    expect(error.message).toBe("print vendor: BATCH_CONFLICT (HTTP 409)");
    const renamed = await vendorError(client.submitBatch(batch("P1151123-0003", { "1151123000021": "張淑芳" })));
    expect(renamed.code).toBe("BATCH_CONFLICT");
    expect(vendor.submissionCount("P1151123-0003")).toBe(1);
  });

  it("rejects a name the card printer's font lacks (outside the BMP, or 造字 in the Private Use Area) without printing it", async () => {
    const { vendor, client, at } = setUp();
    const names = { "1151123000031": "王𪜶明", "1151123000032": "林\uE000華", "1151123000033": "黃怡君" };
    const status = await client.submitBatch(batch("P1151123-0004", names));
    for (const orderNumber of ["1151123000031", "1151123000032"]) {
      const rejected = card(status.cards, orderNumber, "rejected");
      expect(rejected.reasonCode).toBe("NAME_NOT_PRINTABLE");
      expect(rejected.reason).not.toMatch(/王|林|𪜶|\uE000/u);
    }
    card(status.cards, "1151123000033", "queued");
    at(10);
    const later = (await client.getBatch("P1151123-0004")).cards;
    card(later, "1151123000031", "rejected");
    card(later, "1151123000033", "personalised");
    expect(vendor.printCount("1151123000031")).toBe(0);
    expect(vendor.printCount("1151123000032")).toBe(0);
  });

  it("rejects a card whose chip fails at personalisation (CHIP_FAILURE), printed once and never again", async () => {
    const { vendor, client, at } = setUp({ failChip: (orderNumber) => orderNumber === "1151123000041" });
    await client.submitBatch(batch("P1151123-0005", { "1151123000041": "吳家豪", "1151123000042": "劉雅婷" }));
    at(9);
    card((await client.getBatch("P1151123-0005")).cards, "1151123000041", "printing");
    at(10);
    const cards = (await client.getBatch("P1151123-0005")).cards;
    expect(card(cards, "1151123000041", "rejected").reasonCode).toBe("CHIP_FAILURE");
    card(cards, "1151123000042", "personalised");
    at(100);
    card((await client.getBatch("P1151123-0005")).cards, "1151123000041", "rejected");
    expect(vendor.printCount("1151123000041")).toBe(1);
  });

  it("rejects an order already in another batch (DUPLICATE_ORDER): a card is never made twice", async () => {
    const { vendor, client, at } = setUp();
    await client.submitBatch(batch("P1151123-0006", { "1151123000051": "王小明" }));
    const second = await client.submitBatch(batch("P1151123-0007", { "1151123000051": "王小明", "1151123000052": "陳美玲" }));
    expect(card(second.cards, "1151123000051", "rejected").reasonCode).toBe("DUPLICATE_ORDER");
    card(second.cards, "1151123000052", "queued");
    const third = await client.submitBatch(batch("P1151123-0008", { "1151123000051": "王小明" }));
    expect(card(third.cards, "1151123000051", "rejected").reasonCode).toBe("DUPLICATE_ORDER");
    at(10);
    card((await client.getBatch("P1151123-0006")).cards, "1151123000051", "personalised");
    expect(vendor.printCount("1151123000051")).toBe(1);
  });

  it("checks the certificates it is given: the card number, readable X.509, each for its own chip key; idempotent once written", async () => {
    const { client, at } = setUp();
    await client.submitBatch(batch("P1151123-0009", { "1151123000061": "陳美玲" }));
    const early = await vendorError(client.deliverCertificates("P1151123-0009", "1151123000061", { cardNumber: "TP90000000000001", signingCertificate: "AAAA", encryptionCertificate: "AAAA" }));
    expect(early).toMatchObject({ code: "CARD_NOT_PERSONALISED", transient: false, httpStatus: 409 });
    at(10);
    const personalised = card((await client.getBatch("P1151123-0009")).cards, "1151123000061", "personalised");
    const ca = await loadTestCa();
    const good = await testCertificatesFor(ca, personalised);
    const deliver = (delivery: typeof good) => vendorError(client.deliverCertificates("P1151123-0009", "1151123000061", delivery));

    expect(await deliver({ ...good, cardNumber: "TP90000000000001" })).toMatchObject({ code: "CARD_NUMBER_MISMATCH", httpStatus: 422, transient: false });
    const swapped = { ...good, signingCertificate: good.encryptionCertificate, encryptionCertificate: good.signingCertificate };
    expect((await deliver(swapped)).code).toBe("SIGNING_KEY_MISMATCH");
    expect((await deliver({ ...good, encryptionCertificate: good.signingCertificate })).code).toBe("ENCRYPTION_KEY_MISMATCH");
    expect((await deliver({ ...good, signingCertificate: Buffer.from("not a certificate").toString("base64") })).code).toBe("SIGNING_CERTIFICATE_UNREADABLE");
    card((await client.getBatch("P1151123-0009")).cards, "1151123000061", "personalised");

    await client.deliverCertificates("P1151123-0009", "1151123000061", good);
    await client.deliverCertificates("P1151123-0009", "1151123000061", good); // a retry after a lost reply
    const reissued = await testCertificatesFor(ca, personalised);
    expect(await deliver(reissued)).toMatchObject({ code: "CERTIFICATES_ALREADY_WRITTEN", httpStatus: 409 });
    expect((await vendorError(client.deliverCertificates("P1151123-0009", "1151123000069", good))).code).toBe("CARD_NOT_FOUND");
    expect((await vendorError(client.getBatch("P1151123-0999"))).code).toBe("BATCH_NOT_FOUND");
  });
});

describe("the vendor client's failures", () => {
  const submission = batch("P1151123-0100", { "1151123000101": "王小明" });
  const batchUrl = `${BASE_URL}/v1/batches/P1151123-0100`;
  const client = () => createVendorClient({ baseUrl: BASE_URL, secret: SECRET, timeoutMs: 200 });
  /** A reply signed as the vendor signs it, for the request it answers. */
  const signed = (status: number, body: string, method = "PUT", path = "/api/v1/batches/P1151123-0100", signedStatus = status) =>
    new HttpResponse(body, {
      status,
      headers: {
        "Content-Type": "application/json",
        [VENDOR_SIGNATURE_HEADER]: signVendorReply({ secret: SECRET, timestampSeconds: Math.floor(Date.now() / 1000), status: signedStatus, method, path, body }),
      },
    });

  it("treats 5xx, 429, a network error and a timeout as transient: the same request can be sent again", async () => {
    server.use(http.put(batchUrl, () => new HttpResponse("Bad Gateway", { status: 502 })));
    expect(await vendorError(client().submitBatch(submission))).toMatchObject({ code: "VENDOR_UNAVAILABLE", transient: true, httpStatus: 502 });
    server.use(http.put(batchUrl, () => signed(503, JSON.stringify({ error: { code: "MAINTENANCE", message: "王小明's batch waits" } }))));
    const maintenance = await vendorError(client().submitBatch(submission));
    expect(maintenance).toMatchObject({ code: "MAINTENANCE", transient: true, httpStatus: 503 });
    expect(maintenance.message).not.toContain("王小明");
    server.use(http.put(batchUrl, () => new HttpResponse(null, { status: 500 })));
    expect(await vendorError(client().submitBatch(submission))).toMatchObject({ transient: true, httpStatus: 500 });
    server.use(http.put(batchUrl, () => new HttpResponse(null, { status: 429 })));
    expect(await vendorError(client().submitBatch(submission))).toMatchObject({ code: "RATE_LIMITED", transient: true });
    server.use(http.put(batchUrl, () => HttpResponse.error()));
    expect(await vendorError(client().submitBatch(submission))).toMatchObject({ code: "NETWORK_ERROR", transient: true });
    server.use(http.put(batchUrl, async () => {
      await delay("infinite");
      return new HttpResponse(null);
    }));
    const started = Date.now();
    expect(await vendorError(client().submitBatch(submission))).toMatchObject({ code: "TIMEOUT", transient: true });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("refuses an unsigned reply, one signed with another secret, and one signed for another request (REPLY_SIGNATURE_INVALID)", async () => {
    const vendor = createDemoVendor({ secret: SECRET }); // on the real clock, as client() is
    server.use(...vendorHandlers(vendor, BASE_URL));
    await client().submitBatch(submission);
    const ok = JSON.stringify(await client().getBatch("P1151123-0100"));

    server.use(http.get(batchUrl, () => HttpResponse.json(JSON.parse(ok))));
    expect(await vendorError(client().getBatch("P1151123-0100"))).toMatchObject({ code: "REPLY_SIGNATURE_INVALID", transient: false });
    // The vendor's genuine reply to the PUT, replayed as the answer to a GET.
    server.use(http.get(batchUrl, () => signed(200, ok, "PUT")));
    expect((await vendorError(client().getBatch("P1151123-0100"))).code).toBe("REPLY_SIGNATURE_INVALID");
    // Signed as a 201, sent as a 200.
    server.use(http.get(batchUrl, () => signed(200, ok, "GET", undefined, 201)));
    expect((await vendorError(client().getBatch("P1151123-0100"))).code).toBe("REPLY_SIGNATURE_INVALID");
    const other = createVendorClient({ baseUrl: BASE_URL, secret: "another-secret-0123456789abcdef", timeoutMs: 200 });
    server.use(...vendorHandlers(vendor, BASE_URL));
    // The demo refuses the request (401), signing its refusal with its own secret, which this client cannot verify.
    expect((await vendorError(other.getBatch("P1151123-0100"))).code).toBe("REPLY_SIGNATURE_INVALID");
    server.use(http.get(batchUrl, () => signed(200, ok, "GET")));
    expect((await client().getBatch("P1151123-0100")).batchNumber).toBe("P1151123-0100");
  });

  it("reads a reply only up to its byte cap: an endless or oversized body is REPLY_TOO_LARGE, not buffered", async () => {
    const endless = endlessBody();
    server.use(http.get(batchUrl, () => new HttpResponse(endless.body, { status: 200, headers: { "Content-Type": "application/json" } })));
    const slow = createVendorClient({ baseUrl: BASE_URL, secret: SECRET, timeoutMs: 10_000 });
    expect(await vendorError(slow.getBatch("P1151123-0100"))).toMatchObject({ code: "REPLY_TOO_LARGE", transient: false });
    expect(endless.produced()).toBeLessThan(MAX_VENDOR_REPLY_BYTES * 2);
    server.use(http.get(batchUrl, () => new HttpResponse("{}", { headers: { "Content-Length": String(MAX_VENDOR_REPLY_BYTES + 1) } })));
    expect(await vendorError(slow.getBatch("P1151123-0100"))).toMatchObject({ code: "REPLY_TOO_LARGE" });
  });

  it("refuses a signed 2xx that is not the protocol's shape, or about another batch (REPLY_MALFORMED)", async () => {
    const path = "/api/v1/batches/P1151123-0100";
    for (const body of ["not json", "{}", JSON.stringify({ batchNumber: "P1151123-0100", receivedAt: "yesterday", cards: [] }), JSON.stringify({ batchNumber: "P1151123-0101", receivedAt: START.toISOString(), cards: [] })]) {
      server.use(http.get(batchUrl, () => signed(200, body, "GET", path)));
      expect(await vendorError(client().getBatch("P1151123-0100"))).toMatchObject({ code: "REPLY_MALFORMED", transient: false });
    }
  });

  it("names a refusal by the vendor's code only; a missing or odd code becomes HTTP_<status>", async () => {
    server.use(http.put(batchUrl, () => signed(400, JSON.stringify({ error: { code: "BODY_INVALID", message: "holderName 王小明 too long" } }))));
    const invalid = await vendorError(client().submitBatch(submission));
    expect(invalid).toMatchObject({ code: "BODY_INVALID", transient: false, httpStatus: 400 });
    expect(`${invalid.message} ${String(invalid.cause ?? "")}`).not.toContain("王小明");
    server.use(http.put(batchUrl, () => signed(403, JSON.stringify({ error: { code: "王小明", message: "" } }))));
    expect((await vendorError(client().submitBatch(submission))).code).toBe("HTTP_403");
    server.use(http.put(batchUrl, () => signed(404, "<html>not found</html>")));
    expect((await vendorError(client().submitBatch(submission))).code).toBe("HTTP_404");
  });

  it("is not configured without PRINT_VENDOR_URL and PRINT_VENDOR_SECRET", () => {
    expect(process.env.PRINT_VENDOR_URL).toBeUndefined();
    expect(vendorClientFromEnv()).toBeNull();
  });
});

// Keeps the PrintVendor type honest: the client is what the fulfilment domain is given.
export type _ClientIsPrintVendor = ReturnType<typeof createVendorClient> extends PrintVendor ? true : never;
