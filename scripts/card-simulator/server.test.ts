// The simulator as the popup and the tests talk to it: real HTTP on a free port, card files in a temp folder.
import { createHash } from "node:crypto";
import { mkdtemp, readFile, rm, writeFile, mkdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { ContentInfo, SignedData, id_contentType, id_data, id_messageDigest, id_signedData, id_signingTime } from "@peculiar/asn1-cms";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { Certificate } from "@peculiar/asn1-x509";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { HICOS_LAST_ERROR, HICOS_RET_CODE } from "../../app/auth/hicos.client";
import { x509 } from "../../app/lib/x509.server";
import { freePort } from "../../test/support/free-port";
import { startCardSimulator, type CardSimulator } from "./server";
import { writeTestCard, type TestCard } from "./testing";

const RSA_SHA256 = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const FIRST = "TP03120111000002";
const SECOND = "TP03120111000010";
const FIRST_PIN = "24681357";

let cardsDir: string;
let cards: { first: TestCard; second: TestCard };
let simulator: CardSimulator;
let logLines: string[];

beforeAll(async () => {
  cardsDir = await mkdtemp(path.join(tmpdir(), "card-simulator-"));
  // Folder names sort the other way round: the default card is chosen by card number, not by folder.
  const [second, first] = await Promise.all([
    writeTestCard({ cardsDir, cardNumber: SECOND, folder: "a-second", name: "陳美玲" }),
    writeTestCard({ cardsDir, cardNumber: FIRST, folder: "b-first", pin: FIRST_PIN }),
  ]);
  cards = { first: first!, second: second! };
});
afterAll(() => rm(cardsDir, { recursive: true, force: true }));

async function start(): Promise<CardSimulator> {
  logLines = [];
  simulator = await startCardSimulator({ cardsDir, port: await freePort(), log: (line) => logLines.push(line) });
  return simulator;
}
beforeEach(start);
afterEach(async () => {
  await simulator.close();
  await Promise.all(Object.values(cards).map((card) => rm(path.join(card.dir, "state.json"), { force: true })));
});

// What hicos.client.ts does before handing the request to the popup, which posts it on as a form field.
const hicosEscape = (json: string) => json.replace(/%/g, "%25").replace(/\+/g, "%2B").replace(/&/g, "%26");

async function postSign(request: unknown): Promise<Record<string, unknown>> {
  const text = typeof request === "string" ? request : JSON.stringify(request);
  const response = await fetch(`${simulator.url}/sign`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: `tbsPackage=${hicosEscape(text)}`,
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

const signRequest = (overrides: Record<string, unknown> = {}) => ({
  func: "MakeSignature", tbs: "nonce+/=&%41 一次性", tbsEncoding: "NONE", hashAlgorithm: "SHA256",
  signatureType: "PKCS1", pin: FIRST_PIN, withCardSN: "true", nonce: "", ...overrides,
});

async function control(action: string, body: unknown = {}): Promise<Response> {
  return fetch(`${simulator.url}/control/${action}`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
}

async function rsaVerify(certificateDer: Uint8Array, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  const key = await new x509.X509Certificate(Uint8Array.from(certificateDer)).publicKey.export(RSA_SHA256, ["verify"]);
  return crypto.subtle.verify(RSA_SHA256, key, Uint8Array.from(signature), Uint8Array.from(data));
}

const bytes = (base64: unknown) => new Uint8Array(Buffer.from(String(base64), "base64"));
const utf8 = (text: string) => new TextEncoder().encode(text);

describe("pkcs11info", () => {
  it("lists the first card by card number, with both certificates, and sends no CORS headers", async () => {
    const response = await fetch(`${simulator.url}/pkcs11info?withcert=true`, { headers: { Origin: "https://example.org" } });
    expect([...response.headers.keys()].filter((h) => h.startsWith("access-control"))).toEqual([]);
    const info = (await response.json()) as any;
    expect(info).toMatchObject({ func: "pkcs11info", ret_code: 0, last_error: 0 });
    expect(info.slots).toHaveLength(1);
    const token = info.slots[0].token;
    expect(token.serialNumber).toBe(FIRST);
    expect(token.certs.map((c: any) => c.usage)).toEqual(["digitalSignature", "keyEncipherment|dataEncipherment"]);
    const signing = new x509.X509Certificate(Uint8Array.from(cards.first.signingCertDer));
    expect(token.certs[0]).toMatchObject({
      sn: signing.serialNumber.toLowerCase(),
      subjectDN: "C=TW,CN=王小明,serialNumber=1234",
      subjectID: "1234",
      certb64: Buffer.from(cards.first.signingCertDer).toString("base64"),
      notAfter: "2028-01-01T00:00:00.000Z",
    });
    expect(token.certs[1].certb64).toBe(Buffer.from(cards.first.encryptionCertDer).toString("base64"));
  });

  it("leaves the certificates out without withcert", async () => {
    const info = (await (await fetch(`${simulator.url}/pkcs11info`)).json()) as any;
    expect(info.slots[0].token.serialNumber).toBe(FIRST);
    expect(info.slots[0].token.certs).toBeUndefined();
  });

  it("picks up cards added while it runs, and skips a broken card file", async () => {
    await mkdir(path.join(cardsDir, "broken"), { recursive: true });
    await writeFile(path.join(cardsDir, "broken", "card.json"), "{ not json");
    const added = await writeTestCard({ cardsDir, cardNumber: "TP00000000000001", folder: "z-added" });
    try {
      const info = (await (await fetch(`${simulator.url}/pkcs11info`)).json()) as any;
      expect(info.slots[0].token.serialNumber).toBe("TP00000000000001");
      expect(logLines.some((line) => line.includes("skipping") && line.includes("broken"))).toBe(true);
    } finally {
      await Promise.all([rm(added.dir, { recursive: true }), rm(path.join(cardsDir, "broken"), { recursive: true })]);
    }
  });
});

describe("MakeSignature", () => {
  it("makes a PKCS#1 signature over the exact tbs bytes that the certificate's key verifies", async () => {
    const request = signRequest();
    const reply = await postSign(request);
    expect(reply).toMatchObject({ func: "sign", ret_code: 0, last_error: 0, cardSN: FIRST });
    expect(bytes(reply.certb64)).toEqual(cards.first.signingCertDer);
    expect(await rsaVerify(cards.first.signingCertDer, bytes(reply.signature), utf8(request.tbs))).toBe(true);
  });

  it("signs whatever tbs it is given, byte for byte: the login's lines with the site's origin and nonce (issue 13)", async () => {
    const tbs = "moica-reissue-login:v1\norigin=https://reissue.moica.nat.gov.tw\nnonce=Zx_-0123456789abcdefghijklmnopqrstuvwxyzABCDE";
    for (const signatureType of ["PKCS1", "PKCS7"]) {
      const reply = await postSign(signRequest({ tbs, signatureType }));
      expect(reply.ret_code).toBe(0);
      if (signatureType === "PKCS1") expect(await rsaVerify(cards.first.signingCertDer, bytes(reply.signature), utf8(tbs))).toBe(true);
      else {
        const signed = AsnConvert.parse(AsnConvert.parse(bytes(reply.signature), ContentInfo).content, SignedData);
        expect(Buffer.from(signed.encapContentInfo.eContent!.single!.buffer).toString("utf8")).toBe(tbs);
      }
    }
  });

  it("signs the decoded bytes when tbsEncoding is base64, and leaves cardSN out unless asked", async () => {
    const data = Uint8Array.from([0, 1, 2, 250, 251, 252, 253, 254, 255]);
    const reply = await postSign(signRequest({ tbs: Buffer.from(data).toString("base64"), tbsEncoding: "base64", withCardSN: "" }));
    expect(reply.ret_code).toBe(0);
    expect(reply).not.toHaveProperty("cardSN");
    expect(await rsaVerify(cards.first.signingCertDer, bytes(reply.signature), data)).toBe(true);
  });

  it("makes a PKCS#7 SignedData: content attached, certificate included, signed attributes verified", async () => {
    const request = signRequest({ signatureType: "PKCS7" });
    const reply = await postSign(request);
    expect(reply.ret_code).toBe(0);
    const info = AsnConvert.parse(bytes(reply.signature), ContentInfo);
    expect(info.contentType).toBe(id_signedData);
    const signed = AsnConvert.parse(info.content, SignedData);
    expect(new Uint8Array(signed.encapContentInfo.eContent!.single!.buffer)).toEqual(utf8(request.tbs));
    expect(signed.certificates!.map((c) => new Uint8Array(AsnConvert.serialize(c.certificate!)))).toEqual([cards.first.signingCertDer]);

    const signer = signed.signerInfos[0]!;
    const certificate = AsnConvert.parse(cards.first.signingCertDer, Certificate);
    expect(new Uint8Array(signer.sid.issuerAndSerialNumber!.serialNumber)).toEqual(new Uint8Array(certificate.tbsCertificate.serialNumber));
    const attribute = (type: string) => signer.signedAttrs!.find((a) => a.attrType === type)!.attrValues[0]!;
    expect(new Uint8Array(AsnConvert.parse(attribute(id_messageDigest), OctetString).buffer)).toEqual(
      new Uint8Array(createHash("sha256").update(request.tbs).digest()),
    );
    expect(Buffer.from(attribute(id_contentType)).toString("hex")).toBe("06092a864886f70d010701"); // id-data
    expect(signed.encapContentInfo.eContentType).toBe(id_data);
    expect(attribute(id_signingTime)).toBeDefined();

    // RFC 5652 §5.4: the signature covers the attributes' DER as a SET OF (0x31), not as the [0] they sit under.
    // asn1-schema 2.11 leaves signedAttrsRaw empty for this SET OF, so re-encode the parsed attributes (their
    // values are kept as raw bytes) and check that the message really carries exactly those bytes under [0].
    const body = Buffer.concat(signer.signedAttrs!.map((a) => new Uint8Array(AsnConvert.serialize(a))));
    const length = body.length < 0x80 ? [body.length] : [0x81, body.length];
    expect(body.length).toBeLessThan(0x100);
    expect(Buffer.from(bytes(reply.signature)).includes(Buffer.concat([Uint8Array.of(0xa0, ...length), body]))).toBe(true);
    const signedAttributes = Buffer.concat([Uint8Array.of(0x31, ...length), body]);
    expect(await rsaVerify(cards.first.signingCertDer, new Uint8Array(signer.signature.buffer), signedAttributes)).toBe(true);
  });

  it("accepts a bare JSON body too", async () => {
    const response = await fetch(`${simulator.url}/sign`, { method: "POST", body: JSON.stringify(signRequest()) });
    expect(((await response.json()) as any).ret_code).toBe(0);
  });
});

describe("PIN", () => {
  const wrong = () => postSign(signRequest({ pin: "975310" }));

  it("locks the card on the third wrong PIN; the right PIN is refused after that, even after a restart", async () => {
    expect(await wrong()).toMatchObject({ ret_code: HICOS_RET_CODE.cardLoginFailed, last_error: HICOS_LAST_ERROR.pinIncorrectTwoLeft | 0 });
    expect(await wrong()).toMatchObject({ ret_code: HICOS_RET_CODE.cardLoginFailed, last_error: HICOS_LAST_ERROR.pinIncorrectOneLeft | 0 });
    expect(await wrong()).toMatchObject({ ret_code: HICOS_RET_CODE.cardLoginFailed, last_error: HICOS_LAST_ERROR.pinLocked });
    expect(await postSign(signRequest())).toMatchObject({ ret_code: HICOS_RET_CODE.cardLoginFailed, last_error: HICOS_LAST_ERROR.pinLocked });

    await simulator.close();
    await start();
    expect(await postSign(signRequest())).toMatchObject({ last_error: HICOS_LAST_ERROR.pinLocked });
    expect(JSON.parse(await readFile(path.join(cards.first.dir, "state.json"), "utf8"))).toMatchObject({ locked: true });

    // The other card is unaffected; the unlock control (training stand-in for MOICA's PIN unlock) resets the card.
    expect((await control("insert", { cardNumber: SECOND })).status).toBe(200);
    expect((await postSign(signRequest({ pin: cards.second.pin }))).ret_code).toBe(0);
    expect((await control("insert", { cardNumber: FIRST })).status).toBe(200);
    expect((await control("unlock", { cardNumber: FIRST })).status).toBe(200);
    expect((await postSign(signRequest())).ret_code).toBe(0);
  });

  it("resets the counter on a right PIN before the third wrong one", async () => {
    await wrong();
    await wrong();
    expect((await postSign(signRequest())).ret_code).toBe(0);
    expect(await wrong()).toMatchObject({ last_error: HICOS_LAST_ERROR.pinIncorrectTwoLeft | 0 });
    expect(await wrong()).toMatchObject({ last_error: HICOS_LAST_ERROR.pinIncorrectOneLeft | 0 });
    expect((await postSign(signRequest())).ret_code).toBe(0);
  });

  it("refuses a PIN of the wrong length without spending an attempt", async () => {
    for (const pin of ["12345", "123456789", "1", "2", "3"]) {
      expect(await postSign(signRequest({ pin }))).toMatchObject({ ret_code: HICOS_RET_CODE.cardLoginFailed, last_error: HICOS_LAST_ERROR.pinLength });
    }
    expect((await postSign(signRequest())).ret_code).toBe(0);
  });

  it("keeps PINs and signatures out of the log", async () => {
    const reply = await postSign(signRequest());
    await wrong();
    const log = logLines.join("\n");
    expect(log).toContain("MakeSignature PKCS1 card=TP03120111000002 ret_code=0x0");
    for (const secret of [FIRST_PIN, "975310", String(reply.signature).slice(0, 20)]) expect(log).not.toContain(secret);
  });
});

describe("card insertion", () => {
  it("inserts and removes cards through the control API", async () => {
    expect((await control("insert", { cardNumber: SECOND })).status).toBe(200);
    let info = (await (await fetch(`${simulator.url}/pkcs11info?withcert=true`)).json()) as any;
    expect(info.slots[0].token.serialNumber).toBe(SECOND);

    expect(await (await control("remove")).json()).toEqual({ inserted: null });
    info = (await (await fetch(`${simulator.url}/pkcs11info?withcert=true`)).json()) as any;
    expect(info).toMatchObject({ ret_code: 0, slots: [{ slotDescription: expect.any(String) }] });
    expect(info.slots[0].token).toBeUndefined();
    expect(await postSign(signRequest())).toMatchObject({ func: "sign", ret_code: HICOS_RET_CODE.noCard });

    expect((await control("insert", { cardNumber: "TP99999999999999" })).status).toBe(404);
    const state = (await (await fetch(`${simulator.url}/control/state`)).json()) as any;
    expect(state.inserted).toBeNull();
    expect(state.cards.map((c: any) => c.cardNumber)).toEqual([FIRST, SECOND]);
  });

  it("takes control requests as JSON only, so a cross-site form cannot insert or unlock", async () => {
    const response = await fetch(`${simulator.url}/control/remove`, { method: "POST", body: "x=1" });
    expect(response.status).toBe(415);
    expect(((await (await fetch(`${simulator.url}/pkcs11info`)).json()) as any).slots[0].token.serialNumber).toBe(FIRST);
  });

  it("serves the reader page and the popup page", async () => {
    const reader = await (await fetch(`${simulator.url}/`)).text();
    expect(reader).toContain(FIRST);
    expect(reader).toContain("陳美玲");
    const popup = await fetch(`${simulator.url}/popupForm`);
    expect(popup.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await popup.text()).toContain('func: "getTbs"');
  });
});

describe("malformed requests", () => {
  it.each([
    ["not JSON", "{func:", HICOS_RET_CODE.malformedJson],
    ["a JSON array", "[1]", HICOS_RET_CODE.malformedJson],
    ["an unknown func", { func: "FormatCard" }, HICOS_RET_CODE.unsupportedFunction],
    ["no tbs", { ...signRequest(), tbs: "" }, HICOS_RET_CODE.noTbs],
    ["no PIN", { ...signRequest(), pin: undefined }, HICOS_RET_CODE.noPin],
    ["a number for a string", { ...signRequest(), tbs: { nested: 1 } }, HICOS_RET_CODE.badParameter],
    ["an unknown encoding", { ...signRequest(), tbsEncoding: "hex" }, HICOS_RET_CODE.badParameter],
    ["an unknown hash", { ...signRequest(), hashAlgorithm: "MD5" }, HICOS_RET_CODE.badParameter],
    ["an unknown signature type", { ...signRequest(), signatureType: "CMS" }, HICOS_RET_CODE.badSignatureType],
    ["bad base64", { ...signRequest(), tbsEncoding: "base64", tbs: "%%%" }, HICOS_RET_CODE.base64Decode],
  ])("answers %s with its ret_code", async (_what, request, code) => {
    expect(await postSign(request)).toMatchObject({ ret_code: code });
  });

  it("answers an oversized request and keeps serving", async () => {
    const reply = await postSign(signRequest({ tbs: "x".repeat(2 * 1024 * 1024) }));
    expect(reply.ret_code).toBe(HICOS_RET_CODE.requestTooLarge);
    expect((await postSign(signRequest())).ret_code).toBe(0);
    expect((await fetch(`${simulator.url}/nowhere`)).status).toBe(404);
  });
});
