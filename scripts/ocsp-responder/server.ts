// The local test CA's OCSP responder and CRL endpoint — development and tests only; production asks MOICA's.
//   POST /ocsp            RFC 6960 A.1, body application/ocsp-request
//   GET  /ocsp/<base64>   the same request, URL-encoded base64 in the path
//   GET  /crl             the CA's CRL (DER), signed by the issuing CA
// Answers come from the test CA's status store (app/cards/test-ca-status.server.ts), never from the service's
// database, and are signed by a delegated responder certificate (identity.ts). nextUpdate is short (30 s by
// default) so a `npm run ca -- revoke` is seen by the service within a minute.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  BasicOCSPResponse, CertStatus, KeyHash, OCSPRequest, OCSPResponse, OCSPResponseStatus, ResponderID, ResponseBytes,
  ResponseData, RevokedInfo, SingleResponse, id_pkix_ocsp_basic,
} from "@peculiar/asn1-ocsp";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, Certificate, CRLReason, CRLReasons } from "@peculiar/asn1-x509";
import { issuerHashes, nonceExtension, nonceOf } from "../../app/auth/ocsp.server";
import {
  listRevokedCertificates, readCertificateStatus, type RevocationReason, type TestCaStatusEntry,
} from "../../app/cards/test-ca-status.server";
import { loadTestCa, RSA_SHA256, type TestCa } from "../../app/cards/test-ca.server";
import { x509 } from "../../app/lib/x509.server";
import { loadResponderIdentity, type ResponderIdentity } from "./identity";

const SHA256_WITH_RSA = "1.2.840.113549.1.1.11";
const MAX_REQUEST_BYTES = 16 * 1024;
const MAX_CERTIFICATES_PER_REQUEST = 10;

export interface RunningOcspResponder {
  /** The OCSP URL (CARD_OCSP_URL) and the CRL URL (CARD_CRL_URL). */
  url: string;
  crlUrl: string;
  port: number;
  close(): Promise<void>;
}

export interface OcspResponderOptions {
  /** The test CA (default: loadTestCa() from CARD_TEST_CA_DIR), loaded at the first request. */
  ca?: () => Promise<TestCa>;
  /** Who signs the answers (default: the delegated responder stored beside the CA). Tests pass impostors. */
  identity?: (ca: TestCa) => Promise<ResponderIdentity>;
  port?: number;
  host?: string;
  nextUpdateSeconds?: number;
  clock?: () => Date;
}

const wholeSeconds = (date: Date) => new Date(Math.floor(date.getTime() / 1000) * 1000);
const sha1 = (data: ArrayBuffer) => createHash("sha1").update(Buffer.from(data)).digest();

function statusResponse(status: OCSPResponseStatus): Uint8Array {
  return new Uint8Array(AsnConvert.serialize(new OCSPResponse({ responseStatus: status })));
}

function certStatusOf(entry: TestCaStatusEntry | null): CertStatus {
  if (!entry) return new CertStatus({ unknown: null });
  if (entry.status === "good") return new CertStatus({ good: null });
  const reason = entry.status === "suspended" ? CRLReasons.certificateHold : CRLReasons[(entry.reason ?? "unspecified") as RevocationReason];
  return new CertStatus({
    revoked: new RevokedInfo({ revocationTime: wholeSeconds(new Date(entry.revokedAt ?? entry.issuedAt)), revocationReason: new CRLReason(reason) }),
  });
}

/** The DER OCSPResponse to one DER OCSPRequest. */
export async function answerOcspRequest(
  der: Uint8Array,
  o: { ca: TestCa; identity: ResponderIdentity; now: Date; nextUpdateSeconds: number },
): Promise<Uint8Array> {
  let request: OCSPRequest;
  try {
    request = AsnConvert.parse(der, OCSPRequest);
  } catch {
    return statusResponse(OCSPResponseStatus.malformedRequest);
  }
  const asked = request.tbsRequest.requestList;
  if (asked.length === 0 || asked.length > MAX_CERTIFICATES_PER_REQUEST) return statusResponse(OCSPResponseStatus.malformedRequest);

  const thisUpdate = wholeSeconds(o.now);
  const nextUpdate = new Date(thisUpdate.getTime() + o.nextUpdateSeconds * 1000);
  const responses = await Promise.all(
    asked.map(async ({ reqCert }) => {
      const hashes = issuerHashes(o.ca.issuing, reqCert.hashAlgorithm.algorithm);
      const ours =
        hashes !== null &&
        hashes.nameHash.equals(Buffer.from(reqCert.issuerNameHash.buffer)) &&
        hashes.keyHash.equals(Buffer.from(reqCert.issuerKeyHash.buffer));
      const serial = Buffer.from(reqCert.serialNumber).toString("hex");
      const entry = ours ? await readCertificateStatus(o.ca.statusStore, serial).catch(() => null) : null;
      return new SingleResponse({ certID: reqCert, certStatus: certStatusOf(entry), thisUpdate, nextUpdate });
    }),
  );
  const nonce = nonceOf(request.tbsRequest.requestExtensions);
  const tbsResponseData = new ResponseData({
    responderID: new ResponderID({ byKey: new KeyHash(sha1(AsnConvert.parse(o.identity.certificate.rawData, Certificate).tbsCertificate.subjectPublicKeyInfo.subjectPublicKey)) }),
    producedAt: thisUpdate,
    responses,
    ...(nonce ? { responseExtensions: [nonceExtension(nonce)] } : {}),
  });
  const signature = await crypto.subtle.sign(RSA_SHA256, o.identity.key, AsnConvert.serialize(tbsResponseData));
  const basic = new BasicOCSPResponse({
    tbsResponseData,
    signatureAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256_WITH_RSA, parameters: null }),
    signature,
    certs: [AsnConvert.parse(o.identity.certificate.rawData, Certificate)],
  });
  return new Uint8Array(AsnConvert.serialize(new OCSPResponse({
    responseStatus: OCSPResponseStatus.successful,
    responseBytes: new ResponseBytes({ responseType: id_pkix_ocsp_basic, response: new OctetString(AsnConvert.serialize(basic)) }),
  })));
}

/** The CA's current CRL: every revoked certificate, suspended ones with reason certificateHold. */
export async function currentCrl(o: { ca: TestCa; now: Date; nextUpdateSeconds: number }): Promise<Uint8Array> {
  const thisUpdate = wholeSeconds(o.now);
  const revoked = await listRevokedCertificates(o.ca.statusStore);
  const crl = await x509.X509CrlGenerator.create({
    issuer: o.ca.issuing.subjectName,
    thisUpdate,
    nextUpdate: new Date(thisUpdate.getTime() + o.nextUpdateSeconds * 1000),
    signingKey: o.ca.issuingKey,
    signingAlgorithm: RSA_SHA256,
    extensions: [await x509.AuthorityKeyIdentifierExtension.create(o.ca.issuing.publicKey)],
    entries: revoked.map((entry) => ({
      serialNumber: entry.serial,
      revocationDate: wholeSeconds(new Date(entry.revokedAt ?? entry.issuedAt)),
      reason: entry.status === "suspended" ? x509.X509CrlReason.certificateHold : x509.X509CrlReason[entry.reason ?? "unspecified"],
    })),
  });
  return new Uint8Array(crl.rawData);
}

async function readBody(request: IncomingMessage): Promise<Uint8Array | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return null;
    chunks.push(chunk as Buffer);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

function send(response: ServerResponse, status: number, type: string, body: Uint8Array | string): void {
  response.writeHead(status, { "Content-Type": type, "Cache-Control": "no-store" });
  response.end(body);
}

export async function startOcspResponder(options: OcspResponderOptions = {}): Promise<RunningOcspResponder> {
  const clock = options.clock ?? (() => new Date());
  const nextUpdateSeconds = options.nextUpdateSeconds ?? 30;
  let loaded: Promise<{ ca: TestCa; identity: ResponderIdentity }> | undefined;
  // Loaded at the first request, not at start: a test process that never asks pays nothing.
  const load = () =>
    (loaded ??= (async () => {
      const ca = await (options.ca ?? (() => loadTestCa()))();
      const identity = await (options.identity ?? ((c: TestCa) => loadResponderIdentity(c)))(ca);
      return { ca, identity };
    })().catch((error: unknown) => {
      loaded = undefined;
      throw error;
    }));

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://responder");
      if (request.method === "GET" && url.pathname === "/crl") {
        const { ca } = await load();
        return send(response, 200, "application/pkix-crl", await currentCrl({ ca, now: clock(), nextUpdateSeconds }));
      }
      let der: Uint8Array | null = null;
      if (request.method === "POST" && (url.pathname === "/ocsp" || url.pathname === "/ocsp/")) {
        der = await readBody(request);
        if (!der) return send(response, 413, "text/plain", "too large\n");
      } else if (request.method === "GET" && url.pathname.startsWith("/ocsp/")) {
        der = new Uint8Array(Buffer.from(decodeURIComponent(url.pathname.slice("/ocsp/".length)), "base64"));
      } else {
        return send(response, 404, "text/plain", "POST /ocsp, GET /ocsp/<base64> or GET /crl\n");
      }
      const { ca, identity } = await load();
      return send(response, 200, "application/ocsp-response", await answerOcspRequest(der, { ca, identity, now: clock(), nextUpdateSeconds }));
    })().catch(() => {
      if (!response.headersSent) send(response, 500, "text/plain", "the test CA could not answer\n");
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host ?? "127.0.0.1";
  const base = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  return {
    url: `${base}/ocsp`,
    crlUrl: `${base}/crl`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
