// Challenge → verify with cards issued by the test CA (as `npm run ca -- issue-card` does), signed the way the
// card does through HiCOS, and every kind of bad input the login must refuse without changing anything.
import { randomBytes } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { issueCard, type IssuedCard } from "~/cards/issue-card.server";
import { TEST_ISSUING_DN } from "~/cards/test-ca.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";
import { x509 } from "~/lib/x509.server";
import { nationalIdWithCheckDigit } from "../../test/factories/national-ids";
import { cardSigningKey, signAsCard, signedCardLogin, type ChallengeAnswer, type SignedCardLogin } from "../../test/factories/card-login";
import { verifyCardLogin, LOGIN_FAILURE_LIMITS } from "./card-login.server";
import { issueChallenge, loginOrigin } from "./challenge.server";

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

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64");

/** A challenge in a fresh browser, its tbs signed by the card through HiCOS (PKCS1 or PKCS7): what the page posts. */
function signed(
  c: IssuedCard,
  o: { type?: "PKCS1" | "PKCS7"; tbs?: (challenge: ChallengeAnswer) => string; usage?: "signing" | "encryption" } = {},
): Promise<SignedCardLogin> {
  return signedCardLogin(cardSigningKey(c.file, o.usage), { signatureType: o.type, tbs: o.tbs });
}

/** The same login with some body fields changed (the browser and its pre-login cookie stay). */
const withBody = (l: SignedCardLogin, changes: Record<string, unknown>) => ({ ...l, body: { ...l.body, ...changes } });

let ip = 0;
const nextIp = () => `198.51.100.${++ip}`;
type Attempt = { body: unknown; preLoginToken?: string };
const login = async ({ body, preLoginToken }: Attempt, address = nextIp()) => verifyCardLogin({ body, preLoginToken, ip: address });
const refused = async (attempt: Attempt, code: string, status: number) => {
  await expect(login(attempt)).rejects.toMatchObject({ code, status });
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
  it("accepts a PKCS#1 signature over the challenge's tbs and names holder, card and scope", async () => {
    const result = await login(await signed(inWindow));
    expect(result).toEqual({ holderId: expect.any(String), cardId: inWindow.cardId, certificateId: expect.any(String), scope: "full" });
    const audit = await prisma.auditEvent.findFirstOrThrow({ where: { action: "auth.card_login", subjectId: inWindow.cardId } });
    expect(JSON.stringify({ ...audit, id: String(audit.id) })).not.toMatch(/王小明|TP\d{14}|A1\d{8}/);
  });

  it("accepts a PKCS#7 SignedData as HiCOS returns it", async () => {
    expect(await login(await signed(inWindow, { type: "PKCS7" }))).toMatchObject({ scope: "full" });
  });

  it("lets an expired card in the year after its 8-year end log in for the reissue flow only", async () => {
    const expired = await card({ issuedAt: yearsAgo(8, 90) });
    expect(expired.certificates[0]!.status).toBe("EXPIRED");
    expect(await login(await signed(expired))).toMatchObject({ scope: "reissue-only" });
  });
});

describe("card login: the signature binds this site and this browser (issue 13)", () => {
  const tbsFor = (origin: string) => (challenge: ChallengeAnswer) => `moica-reissue-login:v1\norigin=${origin}\nnonce=${challenge.nonce}`;

  it("signs exactly the tbs the challenge gave, which is the versioned text with this site's origin", async () => {
    const own = await signed(inWindow, { tbs: tbsFor(loginOrigin()) });
    expect(own.challenge.tbs).toBe(tbsFor(loginOrigin())(own.challenge));
    expect(await login(own)).toMatchObject({ cardId: inWindow.cardId });
  });

  it("refuses a signature over another origin's tbs for the same nonce (relayed from another site)", async () => {
    for (const type of ["PKCS1", "PKCS7"] as const) {
      await refused(await signed(inWindow, { type, tbs: tbsFor("https://moica-reissue.example") }), "SIGNATURE_INVALID", 400);
    }
  });

  it("refuses a signature over the bare nonce (the old protocol)", async () => {
    for (const type of ["PKCS1", "PKCS7"] as const) {
      await refused(await signed(inWindow, { type, tbs: (challenge) => challenge.nonce }), "SIGNATURE_INVALID", 400);
    }
  });

  it("refuses a login without the pre-login cookie, or with another browser's, and the nonce is spent", async () => {
    const noCookie = await signed(inWindow);
    await expect(login({ body: noCookie.body })).rejects.toMatchObject({ code: "CHALLENGE_OTHER_BROWSER", status: 403 });

    const victim = await signed(inWindow);
    const attackersBrowser = await issueChallenge(); // the attacker's own pre-login cookie, from their own challenge
    await expect(login({ body: victim.body, preLoginToken: attackersBrowser.preLoginToken }))
      .rejects.toMatchObject({ code: "CHALLENGE_OTHER_BROWSER", status: 403, userMessage: { "zh-TW": expect.stringContaining("瀏覽器") } });
    // The relay burned the challenge: even the right browser must start again.
    await refused(victim, "CHALLENGE_INVALID", 400);
  });
});

describe("card login: refusals that change nothing", () => {
  it("refuses forged, truncated and other-nonce signatures", async () => {
    await refused(withBody(await signed(inWindow), { signature: b64(randomBytes(256)) }), "SIGNATURE_INVALID", 400);
    const truncated = await signed(inWindow);
    await refused(withBody(truncated, { signature: truncated.body.signature.slice(0, 40) }), "SIGNATURE_INVALID", 400);
    const other = await issueChallenge();
    await refused(await signed(inWindow, { tbs: () => other.tbs }), "SIGNATURE_INVALID", 400);
    await refused(await signed(inWindow, { type: "PKCS7", tbs: () => "something else" }), "SIGNATURE_INVALID", 400);
  });

  it("refuses a reused, an expired and an unknown nonce", async () => {
    const once = await signed(inWindow);
    await login(once);
    await refused(once, "CHALLENGE_INVALID", 400);
    const stale = await issueChallenge({ now: new Date(Date.now() - 121_000) });
    const key = cardSigningKey(inWindow.file);
    const staleBody = { ...(await signed(inWindow)).body, nonce: stale.nonce, signature: signAsCard(key, stale.tbs) };
    await refused({ body: staleBody, preLoginToken: stale.preLoginToken }, "CHALLENGE_INVALID", 400);
    await refused(withBody(await signed(inWindow), { nonce: randomBytes(32).toString("base64url") }), "CHALLENGE_INVALID", 400);
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
      const { nonce, tbs, preLoginToken } = await issueChallenge();
      const signature = new Uint8Array(await crypto.subtle.sign(alg, keys.privateKey, new TextEncoder().encode(tbs)));
      await refused(
        {
          body: { nonce, signatureType: "PKCS1", signature: b64(signature), certb64: b64(new Uint8Array(certificate.rawData)), cardSN: inWindow.file.cardNumber },
          preLoginToken,
        },
        "CERTIFICATE_UNTRUSTED", 400,
      );
    }
    // One changed byte in the to-be-signed part: still parses, no longer verifies against the CA.
    const tampered = await signed(inWindow);
    const bytes = Buffer.from(tampered.body.certb64, "base64");
    const at = bytes.indexOf(Buffer.from("王小明"));
    bytes[at + 2] = bytes[at + 2]! ^ 0x01;
    await refused(withBody(tampered, { certb64: bytes.toString("base64") }), "CERTIFICATE_UNTRUSTED", 400);
  });

  it("refuses revoked and suspended cards with the in-person advice, and an 8-year end past the window", async () => {
    const revoked = await card({ issuedAt: yearsAgo(8, -20), status: "revoked" });
    await expect(login(await signed(revoked))).rejects.toMatchObject({
      code: "CERTIFICATE_REVOKED", status: 403, userMessage: { "zh-TW": expect.stringContaining("戶政事務所") },
    });
    const suspended = await card({ issuedAt: yearsAgo(8, -20), status: "suspended" });
    await refused(await signed(suspended), "CERTIFICATE_SUSPENDED", 403);
    const longGone = await card({ issuedAt: yearsAgo(10) });
    await refused(await signed(longGone), "CARD_EXPIRED_BEYOND_WINDOW", 403);
  });

  it("refuses a card number that is not this certificate's, and the encryption certificate", async () => {
    const other = await card({ issuedAt: yearsAgo(3) });
    await refused(withBody(await signed(inWindow), { cardSN: other.file.cardNumber }), "CARD_MISMATCH", 400);
    await refused(await signed(inWindow, { usage: "encryption" }), "NOT_SIGNING_CERTIFICATE", 400);
  });

  it("refuses malformed requests: missing fields, bad base64, bad DER", async () => {
    await refused({ body: {} }, "REQUEST_MALFORMED", 400);
    await refused(withBody(await signed(inWindow), { signatureType: "RSA" }), "REQUEST_MALFORMED", 400);
    await refused(withBody(await signed(inWindow), { signature: "%%%not-base64%%%" }), "REQUEST_MALFORMED", 400);
    await refused(withBody(await signed(inWindow), { certb64: b64(randomBytes(300)) }), "CERTIFICATE_MALFORMED", 400);
    await refused(withBody(await signed(inWindow), { signature: "A".repeat(20_000) }), "REQUEST_MALFORMED", 400);
  });

  it("records failures without personal data, and creates no session-worthy result", async () => {
    const before = await prisma.auditEvent.count({ where: { action: "auth.card_login_failed" } });
    await refused(withBody(await signed(inWindow), { signature: b64(randomBytes(256)) }), "SIGNATURE_INVALID", 400);
    const events = await prisma.auditEvent.findMany({ where: { action: "auth.card_login_failed" }, orderBy: { id: "desc" } });
    expect(events.length).toBe(before + 1);
    expect(events[0]).toMatchObject({ actorType: "CITIZEN", actorId: null, details: { code: "SIGNATURE_INVALID", signatureType: "PKCS1" } });
    expect(JSON.stringify(events.map((e) => ({ ...e, id: String(e.id) })))).not.toMatch(/王小明|TP\d{14}|198\.51\.100/);
  });
});

describe("card login: rate limits", () => {
  it("stops a card after repeated failures the card itself signed, even from new addresses, and says when to retry", async () => {
    const longGone = await card({ issuedAt: yearsAgo(10) });
    for (let i = 0; i < LOGIN_FAILURE_LIMITS.card.max; i++) await refused(await signed(longGone), "CARD_EXPIRED_BEYOND_WINDOW", 403);
    await expect(login(await signed(longGone))).rejects.toMatchObject({ code: "TOO_MANY_ATTEMPTS", status: 429, retryAfterSeconds: expect.any(Number) });
  });

  it("junk naming a card does not lock its holder out, while the sender's address is stopped (issue 13)", async () => {
    const target = await card({ issuedAt: yearsAgo(8, -10) });
    const attackersOwn = await card({ issuedAt: yearsAgo(3) });
    const address = "203.0.113.66";
    // Nothing here proves the target's card: a bad signature, a certificate that is no certificate, an unknown
    // nonce, the attacker's own valid card signing for the target's number.
    const junk = [
      async () => withBody(await signed(target), { signature: b64(randomBytes(256)) }),
      async () => withBody(await signed(target), { certb64: b64(randomBytes(300)) }),
      async () => withBody(await signed(target), { nonce: randomBytes(32).toString("base64url") }),
      async () => withBody(await signed(attackersOwn), { cardSN: target.file.cardNumber }),
    ];
    for (let i = 0; i < LOGIN_FAILURE_LIMITS.ip.max; i++) {
      await expect(login(await junk[i % junk.length]!(), address)).rejects.toMatchObject({ status: 400 });
    }
    expect(LOGIN_FAILURE_LIMITS.ip.max).toBeGreaterThan(2 * LOGIN_FAILURE_LIMITS.card.max);
    await expect(login(await signed(target), address)).rejects.toMatchObject({ code: "TOO_MANY_ATTEMPTS", status: 429 });
    expect(await login(await signed(target))).toMatchObject({ cardId: target.cardId });
  });

  it("stops an address after repeated failures across cards", async () => {
    const address = "203.0.113.99";
    for (let i = 0; i < LOGIN_FAILURE_LIMITS.ip.max; i++) {
      await expect(login({ body: { nonce: "x" } }, address)).rejects.toMatchObject({ code: "REQUEST_MALFORMED" });
    }
    await expect(login(await signed(inWindow), address)).rejects.toMatchObject({ code: "TOO_MANY_ATTEMPTS" });
  });
});
