// The OCSP client and CRL reader against the test CA's real local responder (scripts/ocsp-responder/), started
// here on a free port: good, revoked, on hold and unknown answers; and every answer the client must not believe.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { BasicOCSPResponse, OCSPResponse } from "@peculiar/asn1-ocsp";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueCard, type IssuedCard } from "~/cards/issue-card.server";
import { changeCardStatus } from "~/cards/test-ca-status.server";
import { issueHolderCertificate, loadTestCa, type TestCa } from "~/cards/test-ca.server";
import { x509 } from "~/lib/x509.server";
import { issueResponderIdentity } from "../../scripts/ocsp-responder/identity";
import { answerOcspRequest, startOcspResponder, type RunningOcspResponder } from "../../scripts/ocsp-responder/server";
import { createUntrustedIssuer } from "../../test/factories/certificates";
import { nationalIdWithCheckDigit } from "../../test/factories/national-ids";
import { CrlFailure, downloadCrl } from "./crl.server";
import { encodeOcspRequest, ocspCertId, OcspFailure, queryOcsp, readOcspResponse } from "./ocsp.server";

let ca: TestCa;
let responder: RunningOcspResponder;
let seq = 0;
const started: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  ca = await loadTestCa();
  responder = await startOcspResponder();
  started.push(responder);
});
afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
});

async function newCard(status: "valid" | "suspended" | "revoked" = "valid"): Promise<IssuedCard> {
  seq++;
  return issueCard({
    nationalId: nationalIdWithCheckDigit(`B1${String(30000000 + seq + (process.pid % 1000) * 100).slice(-7)}`),
    name: "陳美玲", issuedAt: new Date(Date.now() - 365 * 24 * 3600 * 1000), extended: false, status,
  });
}

const signingCertificate = (card: IssuedCard) => new x509.X509Certificate(card.file.signing.certPem);
const ask = (card: IssuedCard, url = responder.url, now = new Date()) =>
  queryOcsp({ url, certificate: signingCertificate(card), issuer: ca.issuing, now });

describe("the OCSP client against the test CA's responder", () => {
  it("hears good for an issued card, with a nextUpdate no more than 60 s ahead", async () => {
    const answer = await ask(await newCard());
    expect(answer.status).toBe("good");
    expect(answer.nextUpdate!.getTime() - answer.thisUpdate.getTime()).toBeLessThanOrEqual(60_000);
  });

  it("hears revoked (with its reason) after `revoke`, and certificateHold after `suspend`", async () => {
    const revoked = await newCard();
    await changeCardStatus(ca.statusStore, { cardNumber: revoked.file.cardNumber, action: "revoke", reason: "keyCompromise" });
    expect(await ask(revoked)).toMatchObject({ status: "revoked", reason: 1, revokedAt: expect.any(Date) });

    const suspended = await newCard();
    await changeCardStatus(ca.statusStore, { cardNumber: suspended.file.cardNumber, action: "suspend" });
    expect(await ask(suspended)).toMatchObject({ status: "revoked", reason: 6 });
    await changeCardStatus(ca.statusStore, { cardNumber: suspended.file.cardNumber, action: "resume" });
    expect(await ask(suspended)).toMatchObject({ status: "good" });
  });

  it("hears unknown for a certificate the CA never recorded", async () => {
    const { certificate } = await issueHolderCertificate(
      { issuing: ca.issuing, issuingKey: ca.issuingKey }, // no status store: signed, but never recorded
      { name: "林志豪", idLast4: "1234", usage: "SIGNING", notBefore: new Date("2024-01-01"), notAfter: new Date("2029-01-01") },
    );
    expect((await queryOcsp({ url: responder.url, certificate, issuer: ca.issuing, now: new Date() })).status).toBe("unknown");
  });

  it("answers GET requests too (RFC 6960 A.1)", async () => {
    const card = await newCard();
    const certId = ocspCertId(signingCertificate(card), ca.issuing);
    const nonce = new Uint8Array(16).fill(7);
    const der = encodeOcspRequest(certId, nonce);
    const response = await fetch(`${responder.url}/${encodeURIComponent(Buffer.from(der).toString("base64"))}`);
    const answer = await readOcspResponse({ der: new Uint8Array(await response.arrayBuffer()), certId, issuer: ca.issuing, nonce, now: new Date() });
    expect(answer.status).toBe("good");
  });
});

describe("answers the client refuses", () => {
  let card: IssuedCard;
  let certificate: x509.X509Certificate;
  beforeAll(async () => {
    card = await newCard();
    certificate = signingCertificate(card);
  });

  const realAnswer = async (nonce = new Uint8Array(16).fill(1), now = new Date()) => {
    const { loadResponderIdentity } = await import("../../scripts/ocsp-responder/identity");
    const certId = ocspCertId(certificate, ca.issuing);
    const der = await answerOcspRequest(encodeOcspRequest(certId, nonce), {
      ca, identity: await loadResponderIdentity(ca), now, nextUpdateSeconds: 30,
    });
    return { der, certId, nonce };
  };

  it("a response signed by a responder the CA did not delegate (a look-alike CA's)", async () => {
    const impostor = await createUntrustedIssuer();
    const wrong = await startOcspResponder({
      identity: () => issueResponderIdentity({ issuing: impostor.certificate, issuingKey: impostor.keys.privateKey }),
    });
    started.push(wrong);
    await expect(ask(card, wrong.url)).rejects.toThrow(OcspFailure);
    await expect(ask(card, wrong.url)).rejects.toMatchObject({ reason: "UNTRUSTED_SIGNER" });
  });

  it("a response whose signature does not verify (one bit changed)", async () => {
    const { der, certId, nonce } = await realAnswer();
    const response = AsnConvert.parse(der, OCSPResponse);
    const basic = AsnConvert.parse(response.responseBytes!.response.buffer, BasicOCSPResponse);
    const signature = new Uint8Array(basic.signature.slice(0));
    signature[10]! ^= 0x01;
    basic.signature = signature.buffer;
    response.responseBytes!.response = new OctetString(AsnConvert.serialize(basic));
    const tampered = new Uint8Array(AsnConvert.serialize(response));
    await expect(readOcspResponse({ der: tampered, certId, issuer: ca.issuing, nonce, now: new Date() })).rejects.toMatchObject({
      name: "OcspFailure", reason: "BAD_SIGNATURE",
    });
  });

  it("a stale response (past its nextUpdate), from a replay or a stuck responder", async () => {
    const { der, certId, nonce } = await realAnswer();
    const later = new Date(Date.now() + 10 * 60_000);
    await expect(readOcspResponse({ der, certId, issuer: ca.issuing, nonce, now: later })).rejects.toMatchObject({ reason: "STALE" });
    const stuck = await startOcspResponder({ clock: () => new Date(Date.now() - 3600_000) });
    started.push(stuck);
    await expect(ask(card, stuck.url)).rejects.toMatchObject({ name: "OcspFailure", reason: "STALE" });
  });

  it("an answer about another certificate, or to another request's nonce", async () => {
    const { der, nonce } = await realAnswer();
    const other = ocspCertId(signingCertificate(await newCard()), ca.issuing);
    await expect(readOcspResponse({ der, certId: other, issuer: ca.issuing, nonce, now: new Date() })).rejects.toMatchObject({ reason: "CERT_ID_MISMATCH" });
    const { der: replayed, certId } = await realAnswer(new Uint8Array(16).fill(2));
    await expect(readOcspResponse({ der: replayed, certId, issuer: ca.issuing, nonce, now: new Date() })).rejects.toMatchObject({ reason: "NONCE_MISMATCH" });
  });

  it("garbage, an oversized reply, an HTTP error and a closed port", async () => {
    const replies: Record<string, (res: import("node:http").ServerResponse) => void> = {
      "/garbage": (res) => res.end("<html>proxy error</html>"),
      "/huge": (res) => res.end(Buffer.alloc(200 * 1024, 0x30)),
      "/error": (res) => ((res.statusCode = 502), res.end()),
    };
    const server: Server = createServer((req, res) => replies[req.url ?? ""]?.(res) ?? res.end());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    started.push({ close: () => new Promise((resolve) => server.close(() => resolve())) });
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await expect(ask(card, `${base}/garbage`)).rejects.toMatchObject({ reason: "MALFORMED" });
    await expect(ask(card, `${base}/huge`)).rejects.toMatchObject({ reason: "UNREACHABLE", message: expect.stringMatching(/more than 65536 bytes/) });
    await expect(ask(card, `${base}/error`)).rejects.toMatchObject({ reason: "UNREACHABLE", message: expect.stringMatching(/HTTP 502/) });
    await expect(ask(card, "http://127.0.0.1:9/ocsp")).rejects.toMatchObject({ reason: "UNREACHABLE" });
  });
});

describe("the CRL", () => {
  it("lists revoked and suspended (certificateHold) certificates, signed by the issuing CA", async () => {
    const revoked = await newCard("revoked");
    const suspended = await newCard("suspended");
    const good = await newCard();
    const crl = await downloadCrl({ url: responder.crlUrl, issuer: ca.issuing, now: new Date() });
    const entry = (card: IssuedCard) => crl.revoked.get(signingCertificate(card).serialNumber.toLowerCase());
    expect(entry(revoked)).toMatchObject({ revokedAt: expect.any(Date) }); // reason unspecified: left out, as RFC 5280 advises
    expect(entry(revoked)?.reason).not.toBe(6);
    expect(entry(suspended)).toMatchObject({ reason: 6 });
    expect(entry(good)).toBeUndefined();
  });

  it("is refused when signed by another CA, or stale", async () => {
    const impostor = await createUntrustedIssuer();
    await expect(downloadCrl({ url: responder.crlUrl, issuer: impostor.certificate, now: new Date() })).rejects.toMatchObject({ reason: "BAD_SIGNATURE" });
    await expect(downloadCrl({ url: responder.crlUrl, issuer: ca.issuing, now: new Date(Date.now() + 3600_000) })).rejects.toThrow(CrlFailure);
    await expect(downloadCrl({ url: responder.crlUrl, issuer: ca.issuing, now: new Date(Date.now() + 3600_000) })).rejects.toMatchObject({ reason: "STALE" });
  });
});
