// The status the service believes comes from the CA (issue 13): a card revoked or suspended at the test CA —
// its own store, as `npm run ca -- revoke|suspend|resume` changes it — is refused at login within a minute,
// with the CRL when the OCSP responder is down, and nothing at all when neither answers (fail closed).
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { issueCard, type IssuedCard } from "~/cards/issue-card.server";
import { changeCardStatus } from "~/cards/test-ca-status.server";
import { loadTestCa, newKeyPair, issueHolderCertificateForKey, type TestCa } from "~/cards/test-ca.server";
import { loadIssuingCa } from "~/fulfilment/issuing-ca.server";
import { env } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";
import { x509 } from "~/lib/x509.server";
import { startOcspResponder, type RunningOcspResponder } from "../../scripts/ocsp-responder/server";
import { createAwaitingActivationFixture } from "../../test/factories/activation";
import { cardSigningKey, signedCardLogin } from "../../test/factories/card-login";
import { nationalIdWithCheckDigit } from "../../test/factories/national-ids";
import { verifyCardLogin } from "./card-login.server";
import {
  caCheckedCertificateStatus, CertificateStatusUnavailable, certificateStatusSource, resetCertificateStatusSource,
  type CertificateStatusSource,
} from "./certificate-status.server";
import { queryOcsp } from "./ocsp.server";
import { createRevocationChecker } from "./revocation.server";

const CLOSED = "http://127.0.0.1:9"; // the discard port: nothing listens, the connection is refused at once

let ca: TestCa;
let fakeNow = Date.now();
const clock = () => new Date(fakeNow);
let responder: RunningOcspResponder;
beforeAll(async () => {
  ca = await loadTestCa();
  // The responder runs on the same (movable) clock as the client, so "61 s later" is later for both.
  responder = await startOcspResponder({ clock });
});
afterAll(() => responder.close());
beforeEach(async () => {
  fakeNow = Date.now();
  const keys = await redis().keys(`${env().QUEUE_PREFIX}:ratelimit:*`);
  if (keys.length) await redis().del(...keys);
});

let seq = 0;
async function newCard(): Promise<IssuedCard> {
  seq++;
  const issuedAt = new Date();
  issuedAt.setUTCFullYear(issuedAt.getUTCFullYear() - 8);
  issuedAt.setUTCDate(issuedAt.getUTCDate() + 30); // its 8-year end is 30 days away: inside the reissue window
  return issueCard({
    nationalId: nationalIdWithCheckDigit(`C1${String(40000000 + seq + (process.pid % 1000) * 100).slice(-7)}`),
    name: "王小明", issuedAt, extended: true, status: "valid",
  });
}

function source(o: { ocspUrl?: string; crlUrl?: string; cacheSeconds?: number } = {}) {
  const checker = createRevocationChecker({
    ocspUrl: o.ocspUrl ?? responder.url, crlUrl: o.crlUrl ?? responder.crlUrl, cacheSeconds: o.cacheSeconds ?? 60, clock,
  });
  return { checker, statusSource: caCheckedCertificateStatus({ checker }) };
}

let ip = 0;
async function logIn(card: IssuedCard, statusSource: CertificateStatusSource) {
  const login = await signedCardLogin(cardSigningKey(card.file));
  return verifyCardLogin({ body: login.body, preLoginToken: login.preLoginToken, ip: `203.0.113.${++ip}`, statusSource });
}

const signing = (card: IssuedCard) => new x509.X509Certificate(card.file.signing.certPem);
const change = (card: IssuedCard, action: "revoke" | "suspend" | "resume") =>
  changeCardStatus(ca.statusStore, { cardNumber: card.file.cardNumber, action });

describe("login sees the CA's status", () => {
  it("revoked at the CA → CERTIFICATE_REVOKED, though the service's own row still says VALID", async () => {
    const card = await newCard();
    await change(card, "revoke");
    await expect(logIn(card, source().statusSource)).rejects.toMatchObject({ code: "CERTIFICATE_REVOKED", status: 403 });
  });

  it("suspended → CERTIFICATE_SUSPENDED; resumed → accepted again", async () => {
    const card = await newCard();
    await change(card, "suspend");
    await expect(logIn(card, source().statusSource)).rejects.toMatchObject({ code: "CERTIFICATE_SUSPENDED", status: 403 });
    await change(card, "resume");
    await expect(logIn(card, source().statusSource)).resolves.toMatchObject({ cardId: card.cardId, scope: "full" });
  });

  it("a revocation is seen within 60 s by a source that had cached the card as good", async () => {
    const card = await newCard();
    const { statusSource, checker } = source();
    await expect(logIn(card, statusSource)).resolves.toMatchObject({ cardId: card.cardId });
    await change(card, "revoke");
    fakeNow += 60_000;
    await expect(logIn(card, statusSource)).rejects.toMatchObject({ code: "CERTIFICATE_REVOKED" });
    expect(checker.requests.ocsp).toBe(2);
  });

  it("the configured source asks the responder the test set-up runs (CARD_OCSP_URL); a reset forgets its cache", async () => {
    const card = await newCard();
    expect(await certificateStatusSource().lookUp(signing(card))).toMatchObject({ status: "VALID" });
    await change(card, "suspend");
    expect(await certificateStatusSource().lookUp(signing(card))).toMatchObject({ status: "VALID" }); // cached ≤ 60 s
    resetCertificateStatusSource();
    await expect(logIn(card, certificateStatusSource())).rejects.toMatchObject({ code: "CERTIFICATE_SUSPENDED" });
  });

  it("a certificate the CA does not know is refused as unknown, whatever the service's rows say", async () => {
    const card = await newCard();
    await rm(path.join(ca.statusStore, "status", `${signing(card).serialNumber.toLowerCase()}.json`));
    await expect(logIn(card, source().statusSource)).rejects.toMatchObject({ code: "CERTIFICATE_UNKNOWN" });
  });
});

describe("caching", () => {
  it("a second look-up makes no request until the answer's nextUpdate (30 s at the test CA), then asks again", async () => {
    const card = await newCard();
    const { statusSource, checker } = source();
    await statusSource.lookUp(signing(card));
    fakeNow += 29_000;
    await statusSource.lookUp(signing(card));
    expect(checker.requests).toEqual({ ocsp: 1, crl: 0 });
    fakeNow += 2_000;
    await statusSource.lookUp(signing(card));
    expect(checker.requests).toEqual({ ocsp: 2, crl: 0 });
  });

  it("never longer than CARD_STATUS_CACHE_SECONDS, even when nextUpdate is further away", async () => {
    const card = await newCard();
    const { statusSource, checker } = source({ cacheSeconds: 5 });
    await statusSource.lookUp(signing(card));
    fakeNow += 6_000;
    await statusSource.lookUp(signing(card));
    expect(checker.requests.ocsp).toBe(2);
  });
});

describe("when the CA does not answer", () => {
  it("the responder is down → the CRL is used (and says revoked)", async () => {
    const [card, suspended, good] = [await newCard(), await newCard(), await newCard()];
    await change(card, "revoke");
    await change(suspended, "suspend");
    const { statusSource, checker } = source({ ocspUrl: `${CLOSED}/ocsp` });
    expect(await statusSource.lookUp(signing(card))).toMatchObject({ status: "REVOKED" });
    expect(checker.requests).toEqual({ ocsp: 1, crl: 1 });
    expect(await statusSource.lookUp(signing(suspended))).toMatchObject({ status: "SUSPENDED" });
    expect(await statusSource.lookUp(signing(good))).toMatchObject({ status: "VALID" });
    // The CRL is kept until its nextUpdate; the dead responder is not tried again at once (no timeout per login).
    expect(checker.requests).toEqual({ ocsp: 1, crl: 1 });
  });

  it("neither OCSP nor CRL answers → CertificateStatusUnavailable (503), never a login", async () => {
    const card = await newCard();
    const { statusSource } = source({ ocspUrl: `${CLOSED}/ocsp`, crlUrl: `${CLOSED}/crl` });
    await expect(statusSource.lookUp(signing(card))).rejects.toThrow(CertificateStatusUnavailable);
    await expect(logIn(card, statusSource)).rejects.toMatchObject({ code: "CERTIFICATE_STATUS_UNAVAILABLE", status: 503 });
  });
});

describe("what the CA answers good keeps the row's own status", () => {
  it("a reissued card stays AWAITING_ACTIVATION", async () => {
    const fixture = await createAwaitingActivationFixture();
    const certificate = new x509.X509Certificate(fixture.cardFile.signing.certPem);
    expect(await source().statusSource.lookUp(certificate)).toMatchObject({ status: "AWAITING_ACTIVATION" });
  });

  it("the service's issuing CA (the test CA outside production) records every certificate it issues", async () => {
    const issuing = await loadIssuingCa();
    const keys = await newKeyPair();
    const certificate = await issueHolderCertificateForKey(issuing, {
      name: "黃怡君", idLast4: "5678", usage: "SIGNING", notBefore: new Date("2026-01-01"), notAfter: new Date("2031-01-01"),
      publicKey: keys.publicKey, cardNumber: "TP90000000000013",
    });
    expect((await queryOcsp({ url: responder.url, certificate, issuer: ca.issuing, now: clock() })).status).toBe("good");
  });
});

describe("beside msw", () => {
  it("a test file that answers outside services with msw (unhandled = error) still reaches the local responder", async () => {
    const { createMswServer } = await import("../../test/msw/server");
    const msw = createMswServer();
    msw.listen({ onUnhandledRequest: "error" });
    try {
      const card = await newCard();
      expect(await source().statusSource.lookUp(signing(card))).toMatchObject({ status: "VALID" });
    } finally {
      msw.close();
    }
  });
});
