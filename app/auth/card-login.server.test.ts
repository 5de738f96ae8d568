// Challenge → verify with cards issued by the test CA (as `npm run ca -- issue-card` does), signed the way the
// card does through HiCOS, and every kind of bad input the login must refuse without changing anything.
import { createPrivateKey, randomBytes } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { issueCard, type IssuedCard } from "~/cards/issue-card.server";
import { TEST_ISSUING_DN } from "~/cards/test-ca.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";
import { x509 } from "~/lib/x509.server";
import { nationalIdWithCheckDigit } from "../../test/factories/national-ids";
import { signPkcs1, signPkcs7 } from "../../scripts/card-simulator/signing";
import { verifyCardLogin, LOGIN_FAILURE_LIMITS } from "./card-login.server";
import { issueChallenge } from "./challenge.server";

const DAY = 24 * 3600 * 1000;
const now = new Date();
const yearsAgo = (years: number, plusDays = 0) => {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return new Date(d.getTime() - plusDays * DAY);
};

let seq = 0;
async function card(o: { issuedAt: Date; extended?: boolean; status?: "valid" | "revoked" | "suspended" }): Promise<IssuedCard> {
  seq++;
  return issueCard({
    nationalId: nationalIdWithCheckDigit(`A1${String(20000000 + seq).slice(1)}`),
    name: "王小明",
    issuedAt: o.issuedAt,
    extended: o.extended ?? true,
    status: o.status ?? "valid",
  });
}

const der = (pem: string) => new Uint8Array(x509.PemConverter.decodeFirst(pem));
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/** What the page posts after HiCOS signed `tbs` with the card (PKCS1 or PKCS7). */
function signed(c: IssuedCard, nonce: string, o: { type?: "PKCS1" | "PKCS7"; tbs?: string; usage?: "signing" | "encryption" } = {}) {
  const part = c.file[o.usage ?? "signing"];
  const key = createPrivateKey(part.keyPem);
  const data = new TextEncoder().encode(o.tbs ?? nonce);
  const type = o.type ?? "PKCS1";
  const signature =
    type === "PKCS1"
      ? signPkcs1({ key, data, hash: "SHA256" })
      : signPkcs7({ key, certificateDer: der(part.certPem), data, hash: "SHA256" });
  return { nonce, signatureType: type, signature: b64(signature), certb64: b64(der(part.certPem)), cardSN: c.file.cardNumber };
}

let ip = 0;
const nextIp = () => `198.51.100.${++ip}`;
const login = async (body: unknown, address = nextIp()) => verifyCardLogin({ body, ip: address });
const refused = async (body: unknown, code: string, status: number) => {
  await expect(login(body)).rejects.toMatchObject({ code, status });
};

// Each test starts with no failures counted: the limits have tests of their own at the end.
beforeEach(async () => {
  const keys = await redis().keys(`${env().QUEUE_PREFIX}:ratelimit:*`);
  if (keys.length) await redis().del(...keys);
});

let inWindow: IssuedCard;
beforeAll(async () => {
  inWindow = await card({ issuedAt: yearsAgo(8, -30) }); // 8-year end in 30 days
});

describe("card login: the happy paths", () => {
  it("accepts a PKCS#1 signature over the nonce and names holder, card and scope", async () => {
    const { nonce } = await issueChallenge();
    const result = await login(signed(inWindow, nonce));
    expect(result).toEqual({ holderId: expect.any(String), cardId: inWindow.cardId, certificateId: expect.any(String), scope: "full" });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "auth.card_login", subjectId: inWindow.cardId } });
    expect(JSON.stringify({ ...audit, id: String(audit.id) })).not.toMatch(/王小明|TP\d{14}|A1\d{8}/);
  });

  it("accepts a PKCS#7 SignedData as HiCOS returns it", async () => {
    const { nonce } = await issueChallenge();
    expect(await login(signed(inWindow, nonce, { type: "PKCS7" }))).toMatchObject({ scope: "full" });
  });

  it("lets an expired card in the year after its 8-year end log in for the reissue flow only", async () => {
    const expired = await card({ issuedAt: yearsAgo(8, 90) });
    expect(expired.certificates[0]!.status).toBe("EXPIRED");
    const { nonce } = await issueChallenge();
    expect(await login(signed(expired, nonce))).toMatchObject({ scope: "reissue-only" });
  });
});

describe("card login: refusals that change nothing", () => {
  it("refuses forged, truncated and other-nonce signatures", async () => {
    const forged = signed(inWindow, (await issueChallenge()).nonce);
    await refused({ ...forged, signature: b64(randomBytes(256)) }, "SIGNATURE_INVALID", 400);
    const truncated = signed(inWindow, (await issueChallenge()).nonce);
    await refused({ ...truncated, signature: truncated.signature.slice(0, 40) }, "SIGNATURE_INVALID", 400);
    const other = (await issueChallenge()).nonce;
    await refused(signed(inWindow, (await issueChallenge()).nonce, { tbs: other }), "SIGNATURE_INVALID", 400);
    const pkcs7OtherContent = signed(inWindow, (await issueChallenge()).nonce, { type: "PKCS7", tbs: "something else" });
    await refused(pkcs7OtherContent, "SIGNATURE_INVALID", 400);
  });

  it("refuses a reused, an expired and an unknown nonce", async () => {
    const { nonce } = await issueChallenge();
    await login(signed(inWindow, nonce));
    await refused(signed(inWindow, nonce), "CHALLENGE_INVALID", 400);
    const stale = await issueChallenge({ now: new Date(Date.now() - 121_000) });
    await refused(signed(inWindow, stale.nonce), "CHALLENGE_INVALID", 400);
    await refused(signed(inWindow, randomBytes(32).toString("base64url")), "CHALLENGE_INVALID", 400);
  });

  it("refuses a certificate from another CA (even one named like MOICA), self-signed, or tampered", async () => {
    const alg = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
    const keys = (await crypto.subtle.generateKey(alg, true, ["sign", "verify"])) as CryptoKeyPair;
    const impostor = await x509.X509CertificateGenerator.create({
      serialNumber: "01", subject: "C=TW, CN=王小明, 2.5.4.5=6789", issuer: TEST_ISSUING_DN,
      notBefore: yearsAgo(1), notAfter: new Date(now.getTime() + 365 * DAY), publicKey: keys.publicKey, signingKey: keys.privateKey, signingAlgorithm: alg,
    });
    const selfSigned = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: "02", name: "C=TW, CN=王小明", notBefore: yearsAgo(1), notAfter: new Date(now.getTime() + 365 * DAY), keys, signingAlgorithm: alg,
    });
    for (const certificate of [impostor, selfSigned]) {
      const { nonce } = await issueChallenge();
      const signature = new Uint8Array(await crypto.subtle.sign(alg, keys.privateKey, new TextEncoder().encode(nonce)));
      await refused(
        { nonce, signatureType: "PKCS1", signature: b64(signature), certb64: b64(new Uint8Array(certificate.rawData)), cardSN: inWindow.file.cardNumber },
        "CERTIFICATE_UNTRUSTED", 400,
      );
    }
    // One changed byte in the to-be-signed part: still parses, no longer verifies against the CA.
    const body = signed(inWindow, (await issueChallenge()).nonce);
    const bytes = Buffer.from(body.certb64, "base64");
    const at = bytes.indexOf(Buffer.from("王小明"));
    bytes[at + 2] = bytes[at + 2]! ^ 0x01;
    await refused({ ...body, certb64: bytes.toString("base64") }, "CERTIFICATE_UNTRUSTED", 400);
  });

  it("refuses revoked and suspended cards with the in-person advice, and an 8-year end past the window", async () => {
    const revoked = await card({ issuedAt: yearsAgo(8, -20), status: "revoked" });
    await expect(login(signed(revoked, (await issueChallenge()).nonce))).rejects.toMatchObject({
      code: "CERTIFICATE_REVOKED", status: 403, userMessage: { "zh-TW": expect.stringContaining("戶政事務所") },
    });
    const suspended = await card({ issuedAt: yearsAgo(8, -20), status: "suspended" });
    await refused(signed(suspended, (await issueChallenge()).nonce), "CERTIFICATE_SUSPENDED", 403);
    const longGone = await card({ issuedAt: yearsAgo(10) });
    await refused(signed(longGone, (await issueChallenge()).nonce), "CARD_EXPIRED_BEYOND_WINDOW", 403);
  });

  it("refuses a card number that is not this certificate's, and the encryption certificate", async () => {
    const other = await card({ issuedAt: yearsAgo(3) });
    await refused({ ...signed(inWindow, (await issueChallenge()).nonce), cardSN: other.file.cardNumber }, "CARD_MISMATCH", 400);
    await refused(signed(inWindow, (await issueChallenge()).nonce, { usage: "encryption" }), "NOT_SIGNING_CERTIFICATE", 400);
  });

  it("refuses malformed requests: missing fields, bad base64, bad DER", async () => {
    await refused({}, "REQUEST_MALFORMED", 400);
    await refused({ ...signed(inWindow, "x"), signatureType: "RSA" }, "REQUEST_MALFORMED", 400);
    await refused({ ...signed(inWindow, (await issueChallenge()).nonce), signature: "%%%not-base64%%%" }, "REQUEST_MALFORMED", 400);
    await refused({ ...signed(inWindow, (await issueChallenge()).nonce), certb64: b64(randomBytes(300)) }, "CERTIFICATE_MALFORMED", 400);
    await refused({ ...signed(inWindow, (await issueChallenge()).nonce), signature: "A".repeat(20_000) }, "REQUEST_MALFORMED", 400);
  });

  it("records failures without personal data, and creates no session-worthy result", async () => {
    const before = await prisma.auditEvent.count({ where: { action: "auth.card_login_failed" } });
    const body = signed(inWindow, (await issueChallenge()).nonce);
    await refused({ ...body, signature: b64(randomBytes(256)) }, "SIGNATURE_INVALID", 400);
    const events = await prisma.auditEvent.findMany({ where: { action: "auth.card_login_failed" }, orderBy: { id: "desc" } });
    expect(events.length).toBe(before + 1);
    expect(events[0]).toMatchObject({ actorType: "CITIZEN", actorId: null, details: { code: "SIGNATURE_INVALID", signatureType: "PKCS1" } });
    expect(JSON.stringify(events.map((e) => ({ ...e, id: String(e.id) })))).not.toMatch(/王小明|TP\d{14}|198\.51\.100/);
  });
});

describe("card login: rate limits", () => {
  it("stops a card after repeated failures, even from new addresses, and says when to retry", async () => {
    const target = await card({ issuedAt: yearsAgo(8, -10) });
    for (let i = 0; i < LOGIN_FAILURE_LIMITS.card.max; i++) {
      await refused({ ...signed(target, (await issueChallenge()).nonce), signature: b64(randomBytes(256)) }, "SIGNATURE_INVALID", 400);
    }
    const good = signed(target, (await issueChallenge()).nonce);
    await expect(login(good)).rejects.toMatchObject({ code: "TOO_MANY_ATTEMPTS", status: 429, retryAfterSeconds: expect.any(Number) });
  });

  it("stops an address after repeated failures across cards", async () => {
    const address = "203.0.113.99";
    for (let i = 0; i < LOGIN_FAILURE_LIMITS.ip.max; i++) {
      await expect(login({ nonce: "x" }, address)).rejects.toMatchObject({ code: "REQUEST_MALFORMED" });
    }
    await expect(login(signed(inWindow, (await issueChallenge()).nonce), address)).rejects.toMatchObject({ code: "TOO_MANY_ATTEMPTS" });
  });
});
