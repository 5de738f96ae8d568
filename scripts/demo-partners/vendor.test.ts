import { sign, verify } from "node:crypto";
import { mkdtemp, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { readCardFile } from "~/cards/card-file";
import { loadTestCa } from "~/cards/test-ca.server";
import { batchStatusSchema, type BatchStatus, type VendorCard } from "~/fulfilment/vendor-protocol";
import { VENDOR_SIGNATURE_HEADER, signVendorRequest, verifyVendorReply } from "~/fulfilment/vendor-signature.server";
import { x509 } from "~/lib/x509.server";
import { testCertificatesFor } from "../../test/msw/vendor";
import { CardStore } from "../card-simulator/cards";
import { createDemoVendor, isPrintableOnCard, type DemoVendor, type DemoVendorOptions } from "./vendor";

const SECRET = "demo-vendor-test-secret-0123456789";
const BASE = "http://127.0.0.1:4010";
const START = new Date("2025-11-23T02:00:00Z");
const MINUTE = 60_000;

let dir: string;
beforeEach(async () => void (dir = await mkdtemp(path.join(tmpdir(), "demo-vendor-"))));
afterEach(() => rm(dir, { recursive: true, force: true }));

const clock = { now: START };
const at = (minutes: number) => (clock.now = new Date(START.getTime() + minutes * MINUTE));
function vendorWith(options: Partial<DemoVendorOptions> = {}): DemoVendor {
  at(0);
  return createDemoVendor({ secret: SECRET, now: () => clock.now, personaliseAfterMs: 10 * MINUTE, dispatchAfterMs: 20 * MINUTE, log: () => {}, ...options });
}

/** Sends a request signed as the service signs it; checks the reply's signature as the service would. */
async function send(vendor: DemoVendor, method: "GET" | "PUT" | "POST", pathname: string, payload?: unknown, sign = true) {
  const body = payload === undefined ? "" : typeof payload === "string" ? payload : JSON.stringify(payload);
  const headers = new Headers({ "Content-Type": "application/json" });
  const timestampSeconds = Math.floor(clock.now.getTime() / 1000);
  if (sign) headers.set(VENDOR_SIGNATURE_HEADER, signVendorRequest({ secret: SECRET, timestampSeconds, method, path: pathname, body }));
  const response = await vendor.handle(new Request(BASE + pathname, { method, headers, body: method === "GET" ? undefined : body }));
  const text = await response.text();
  verifyVendorReply({ secret: SECRET, header: response.headers.get(VENDOR_SIGNATURE_HEADER), status: response.status, method, path: pathname, body: text, now: clock.now });
  return { status: response.status, json: JSON.parse(text) as { error?: { code: string; message: string } } & Record<string, unknown> };
}

const submission = (batchNumber: string, names: Record<string, string>) => ({
  batchNumber,
  cards: Object.entries(names).map(([orderNumber, holderName]) => ({ orderNumber, holderName, validFrom: "2025-11-23", validUntil: "2030-11-23" })),
});
const submit = (vendor: DemoVendor, batchNumber: string, names: Record<string, string>) =>
  send(vendor, "PUT", `/v1/batches/${batchNumber}`, submission(batchNumber, names));
const poll = async (vendor: DemoVendor, batchNumber: string): Promise<BatchStatus> =>
  batchStatusSchema.parse((await send(vendor, "GET", `/v1/batches/${batchNumber}`)).json);
const personalisedCard = (status: BatchStatus, orderNumber: string) => {
  const card = status.cards.find((c) => c.orderNumber === orderNumber);
  expect(card?.state).toBe("personalised");
  return card as Extract<VendorCard, { state: "personalised" }>;
};

describe("the demo vendor's door", () => {
  it("refuses an unsigned, wrongly signed or stale request with a signed 401, and changes nothing", async () => {
    const vendor = vendorWith();
    const unsigned = await send(vendor, "PUT", "/v1/batches/P1151123-0001", submission("P1151123-0001", { "1151123000001": "王小明" }), false);
    expect(unsigned).toMatchObject({ status: 401, json: { error: { code: "SIGNATURE_INVALID" } } });
    const body = JSON.stringify(submission("P1151123-0001", { "1151123000001": "王小明" }));
    const forged = signVendorRequest({ secret: "someone-else-0123456789abcdef", timestampSeconds: Math.floor(START.getTime() / 1000), method: "PUT", path: "/v1/batches/P1151123-0001", body });
    const response = await vendor.handle(new Request(`${BASE}/v1/batches/P1151123-0001`, { method: "PUT", body, headers: { [VENDOR_SIGNATURE_HEADER]: forged } }));
    expect(response.status).toBe(401);
    const stale = signVendorRequest({ secret: SECRET, timestampSeconds: Math.floor(START.getTime() / 1000) - 301, method: "PUT", path: "/v1/batches/P1151123-0001", body });
    expect((await vendor.handle(new Request(`${BASE}/v1/batches/P1151123-0001`, { method: "PUT", body, headers: { [VENDOR_SIGNATURE_HEADER]: stale } }))).status).toBe(401);
    expect(vendor.submissionCount("P1151123-0001")).toBe(0);
    expect((await send(vendor, "GET", "/v1/batches/P1151123-0001")).status).toBe(404);
  });

  it("validates bodies (400, naming fields, never values), methods and paths", async () => {
    const vendor = vendorWith();
    const tooLong = await send(vendor, "PUT", "/v1/batches/P1151123-0001", submission("P1151123-0001", { "1151123000001": "王".repeat(65) }));
    expect(tooLong).toMatchObject({ status: 400, json: { error: { code: "BODY_INVALID", message: "Invalid fields: cards.0.holderName" } } });
    expect((await send(vendor, "PUT", "/v1/batches/P1151123-0001", "{not json")).json.error?.code).toBe("BODY_NOT_JSON");
    expect((await submit(vendor, "P1151123-0002", {})).json.error?.code).toBe("BODY_INVALID");
    const mismatch = await send(vendor, "PUT", "/v1/batches/P1151123-0003", submission("P1151123-0004", { "1151123000001": "王小明" }));
    expect(mismatch).toMatchObject({ status: 400, json: { error: { code: "BATCH_NUMBER_MISMATCH" } } });
    const twice = await send(vendor, "PUT", "/v1/batches/P1151123-0005", {
      batchNumber: "P1151123-0005",
      cards: [submission("x", { "1151123000001": "王小明" }).cards[0], submission("x", { "1151123000001": "陳美玲" }).cards[0]],
    });
    expect(twice.json.error?.code).toBe("DUPLICATE_ORDER_IN_BATCH");
    expect((await send(vendor, "POST", "/v1/batches/P1151123-0001", "{}")).status).toBe(405);
    expect((await send(vendor, "GET", "/v1/batches/P1151123-0001/cards/1151123000001/certificates")).status).toBe(405);
    expect((await send(vendor, "GET", "/v2/anything")).status).toBe(404);
    expect(vendor.printCount("1151123000001")).toBe(0);
  });

  it("knows which names its font can print", () => {
    expect(isPrintableOnCard("王小明")).toBe(true);
    expect(isPrintableOnCard("Chen Mei-Ling")).toBe(true);
    expect(isPrintableOnCard("王𪜶明")).toBe(false); // U+2A736, a surrogate pair
    expect(isPrintableOnCard("林\uE000華")).toBe(false); // Private Use Area: 造字
    expect(isPrintableOnCard("林\uD800華")).toBe(false); // a lone surrogate
    expect(isPrintableOnCard("王\n明")).toBe(false);
  });
});

describe("the demo vendor's cards", () => {
  it("personalises each card once even when polls arrive together", async () => {
    const vendor = vendorWith();
    await submit(vendor, "P1151123-0010", { "1151123000010": "王小明" });
    at(10);
    const [a, b, c] = await Promise.all([poll(vendor, "P1151123-0010"), poll(vendor, "P1151123-0010"), poll(vendor, "P1151123-0010")]);
    const numbers = [a, b, c].map((status) => personalisedCard(status, "1151123000010").cardNumber);
    expect(new Set(numbers).size).toBe(1);
    expect(vendor.printCount("1151123000010")).toBe(1);
  });

  it("personalises a large batch a few cards per request, so a poll stays short", async () => {
    const vendor = vendorWith({ maxPersonalisationsPerRequest: 1 });
    await submit(vendor, "P1151123-0011", { "1151123000011": "王小明", "1151123000012": "陳美玲", "1151123000013": "林志豪" });
    at(10);
    const first = await poll(vendor, "P1151123-0011"); // two passes per request: before and after handling it
    expect(first.cards.map((card) => card.state)).toEqual(["personalised", "personalised", "printing"]);
    expect((await poll(vendor, "P1151123-0011")).cards.every((card) => card.state === "personalised")).toBe(true);
  });

  it("keeps everything in its state file (0600) across a restart: no card lost, none printed again, and the letter still goes out", async () => {
    const stateFile = path.join(dir, "state", "vendor.json");
    const letters: string[] = [];
    const options = { stateFile, onDispatched: (letter: { orderNumber: string }) => void letters.push(letter.orderNumber) };
    const before = vendorWith(options);
    await submit(before, "P1151123-0020", { "1151123000020": "王小明", "1151123000021": "陳美玲" });
    at(10);
    const personalised = personalisedCard(await poll(before, "P1151123-0020"), "1151123000020");
    expect((await stat(stateFile)).mode & 0o777).toBe(0o600);
    expect(await readFile(stateFile, "utf8")).not.toContain("王小明");

    const after = createDemoVendor({ secret: SECRET, now: () => clock.now, personaliseAfterMs: 10 * MINUTE, dispatchAfterMs: 20 * MINUTE, ...options });
    expect(after.printCount("1151123000020")).toBe(1);
    expect(after.submissionCount("P1151123-0020")).toBe(1);
    const again = await submit(after, "P1151123-0020", { "1151123000020": "王小明", "1151123000021": "陳美玲" });
    expect(again.status).toBe(200);
    expect(personalisedCard(batchStatusSchema.parse(again.json), "1151123000020")).toEqual(personalised);
    expect((await submit(after, "P1151123-0020", { "1151123000020": "王小明" })).json.error?.code).toBe("BATCH_CONFLICT");

    const delivery = await testCertificatesFor(await loadTestCa(), personalised);
    expect((await send(after, "PUT", "/v1/batches/P1151123-0020/cards/1151123000020/certificates", delivery)).json).toEqual({ orderNumber: "1151123000020", state: "certificates_written" });
    const third = createDemoVendor({ secret: SECRET, now: () => clock.now, personaliseAfterMs: 10 * MINUTE, dispatchAfterMs: 20 * MINUTE, ...options });
    expect((await send(third, "PUT", "/v1/batches/P1151123-0020/cards/1151123000020/certificates", delivery)).status).toBe(200);
    at(30);
    const dispatched = (await poll(third, "P1151123-0020")).cards[0]!;
    expect(dispatched).toMatchObject({ state: "dispatched", cardNumber: personalised.cardNumber });
    expect(letters).toEqual(["1151123000020"]);
    const fourth = createDemoVendor({ secret: SECRET, now: () => clock.now, ...options });
    await poll(fourth, "P1151123-0020");
    expect(letters).toEqual(["1151123000020"]); // announced once, restarts included
    expect(fourth.printCount("1151123000020")).toBe(1);
    expect(fourth.printCount("1151123000021")).toBe(1);
  });

  it("announces a letter again on the next request when onDispatched failed", async () => {
    let failing = true;
    const letters: string[] = [];
    const vendor = vendorWith({
      dispatchAfterMs: 0,
      onDispatched: ({ mailNumber }) => {
        if (failing) throw new Error("post office down");
        letters.push(mailNumber);
      },
    });
    await submit(vendor, "P1151123-0030", { "1151123000030": "王小明" });
    at(10);
    const personalised = personalisedCard(await poll(vendor, "P1151123-0030"), "1151123000030");
    const delivery = await testCertificatesFor(await loadTestCa(), personalised);
    const written = await send(vendor, "PUT", "/v1/batches/P1151123-0030/cards/1151123000030/certificates", delivery);
    expect(written.json).toEqual({ orderNumber: "1151123000030", state: "dispatched" });
    expect(letters).toEqual([]);
    failing = false;
    const status = await poll(vendor, "P1151123-0030");
    expect(letters).toEqual([(status.cards[0] as { mailNumber: string }).mailNumber]);
    await poll(vendor, "P1151123-0030");
    expect(letters).toHaveLength(1);
  });

  it("writes the finished card where the card simulator finds it: both certificates with their chip keys, default PIN", async () => {
    const cardFilesDir = path.join(dir, "cards");
    const vendor = vendorWith({ cardFilesDir });
    await submit(vendor, "P1151123-0040", { "1151123000040": "王小明" });
    at(10);
    const personalised = personalisedCard(await poll(vendor, "P1151123-0040"), "1151123000040");
    const delivery = await testCertificatesFor(await loadTestCa(), personalised);
    await send(vendor, "PUT", "/v1/batches/P1151123-0040/cards/1151123000040/certificates", delivery);

    const file = await readCardFile(path.join(cardFilesDir, personalised.cardNumber));
    expect(file.cardNumber).toBe(personalised.cardNumber);
    expect(file.pin).toBe("123456");
    expect(new x509.X509Certificate(file.signing.certPem).rawData).toEqual(new x509.X509Certificate(Buffer.from(delivery.signingCertificate, "base64")).rawData);
    expect((await stat(path.join(cardFilesDir, personalised.cardNumber, "card.json"))).mode & 0o777).toBe(0o600);

    const store = new CardStore(cardFilesDir, () => {});
    const card = await store.find(personalised.cardNumber);
    expect(card).toBeDefined();
    // The key on the "card" is the one certified: what it signs verifies with the certificate.
    for (const usage of ["signing", "encryption"] as const) {
      const signature = sign("sha256", Buffer.from("tbs"), card![usage].key);
      const publicKey = await card![usage].certificate.publicKey.export();
      const spki = Buffer.from(await crypto.subtle.exportKey("spki", publicKey));
      expect(verify("sha256", Buffer.from("tbs"), { key: spki, format: "der", type: "spki" }, signature)).toBe(true);
    }
  });

  it("refuses certificates for a rejected card", async () => {
    const vendor = vendorWith();
    await submit(vendor, "P1151123-0050", { "1151123000050": "王𪜶明" });
    const delivery = { cardNumber: "TP90000000000001", signingCertificate: "AAAA", encryptionCertificate: "AAAA" };
    const reply = await send(vendor, "PUT", "/v1/batches/P1151123-0050/cards/1151123000050/certificates", delivery);
    expect(reply).toMatchObject({ status: 409, json: { error: { code: "CARD_REJECTED" } } });
  });
});
