// An OCSP client (RFC 6960) for the CA's responder. The ASN.1 is @peculiar/asn1-ocsp's; what is checked here is
// what makes an answer trustworthy: signed by the issuing CA or by a responder certificate that CA issued for
// id-kp-OCSPSigning, about exactly the certificate asked for, and fresh (our nonce when the responder echoes it,
// thisUpdate/nextUpdate always). Requests are unsigned, as RFC 6960 §4.1.2 allows.
import { createHash, createPublicKey, randomBytes, verify } from "node:crypto";
import {
  BasicOCSPResponse, CertID, id_kp_OCSPSigning, id_pkix_ocsp_basic, id_pkix_ocsp_nonce, Nonce, OCSPRequest,
  OCSPResponse, OCSPResponseStatus, Request, TBSRequest,
} from "@peculiar/asn1-ocsp";
import { AsnConvert, OctetString } from "@peculiar/asn1-schema";
import { AlgorithmIdentifier, Certificate, Extension } from "@peculiar/asn1-x509";
import { x509 } from "~/lib/x509.server";
import { fetchCapped, PartnerReplyFailed } from "./revocation-http.server";

export const SHA1_OID = "1.3.14.3.2.26";
export const SHA256_OID = "2.16.840.1.101.3.4.2.1";
const HASH_BY_OID: Record<string, string> = { [SHA1_OID]: "sha1", [SHA256_OID]: "sha256" };

/** Signature algorithms an answer may use; SHA-1 signatures are refused (RFC 9155 territory). */
const SIGNATURE_HASH_BY_OID: Record<string, string> = {
  "1.2.840.113549.1.1.11": "sha256", "1.2.840.113549.1.1.12": "sha384", "1.2.840.113549.1.1.13": "sha512",
  "1.2.840.10045.4.3.2": "sha256", "1.2.840.10045.4.3.3": "sha384", "1.2.840.10045.4.3.4": "sha512",
};

/** Clocks differ; a response "from the future" by less than this is still taken. */
const CLOCK_SKEW_MS = 60_000;
/** A response without nextUpdate is taken only this fresh (and never cached). */
const MAX_AGE_WITHOUT_NEXT_UPDATE_MS = 5 * 60_000;

export type OcspFailureReason =
  | "UNREACHABLE" | "MALFORMED" | "NOT_SUCCESSFUL" | "UNTRUSTED_SIGNER" | "BAD_SIGNATURE" | "CERT_ID_MISMATCH"
  | "NONCE_MISMATCH" | "STALE";

/** The responder gave no answer this client may believe; the caller falls back to the CRL. */
export class OcspFailure extends Error {
  constructor(readonly reason: OcspFailureReason, detail: string, options?: { cause?: unknown }) {
    super(`${reason}: ${detail}`, options);
    this.name = "OcspFailure";
  }
}

export type OcspCertStatus =
  | { status: "good" }
  | { status: "revoked"; revokedAt: Date; /** RFC 5280 CRLReason number; 6 = certificateHold (suspended). */ reason?: number }
  | { status: "unknown" };

export type OcspAnswer = OcspCertStatus & { thisUpdate: Date; nextUpdate?: Date };

const parseCertificate = (certificate: x509.X509Certificate) => AsnConvert.parse(certificate.rawData, Certificate);
const hash = (algorithm: string, data: ArrayBuffer) => createHash(algorithm).update(Buffer.from(data)).digest();

/** The issuer's name hash and key hash under a hash algorithm (RFC 6960 §4.1.1): how a CertID names its CA. */
export function issuerHashes(issuer: x509.X509Certificate, hashOid: string): { nameHash: Buffer; keyHash: Buffer } | null {
  const algorithm = HASH_BY_OID[hashOid];
  if (!algorithm) return null;
  const tbs = parseCertificate(issuer).tbsCertificate;
  return {
    nameHash: hash(algorithm, AsnConvert.serialize(tbs.subject)),
    keyHash: hash(algorithm, tbs.subjectPublicKeyInfo.subjectPublicKey),
  };
}

/** The CertID of `certificate` issued by `issuer` (SHA-1, what responders index on and RFC 6960 expects). */
export function ocspCertId(certificate: x509.X509Certificate, issuer: x509.X509Certificate, hashOid = SHA1_OID): CertID {
  const hashes = issuerHashes(issuer, hashOid)!;
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: hashOid, parameters: null }),
    issuerNameHash: new OctetString(hashes.nameHash),
    issuerKeyHash: new OctetString(hashes.keyHash),
    serialNumber: parseCertificate(certificate).tbsCertificate.serialNumber,
  });
}

export function sameCertId(a: CertID, b: CertID): boolean {
  const bytes = (value: ArrayBuffer | OctetString) => Buffer.from(value instanceof OctetString ? value.buffer : value);
  return (
    a.hashAlgorithm.algorithm === b.hashAlgorithm.algorithm &&
    bytes(a.issuerNameHash).equals(bytes(b.issuerNameHash)) &&
    bytes(a.issuerKeyHash).equals(bytes(b.issuerKeyHash)) &&
    bytes(a.serialNumber).equals(bytes(b.serialNumber))
  );
}

export function nonceExtension(nonce: Uint8Array): Extension {
  return new Extension({ extnID: id_pkix_ocsp_nonce, critical: false, extnValue: new OctetString(AsnConvert.serialize(new Nonce(nonce))) });
}

/** The nonce an extension list carries (RFC 8954: an OCTET STRING inside extnValue), or null. */
export function nonceOf(extensions: Extension[] | undefined): Buffer | null {
  const extension = extensions?.find((e) => e.extnID === id_pkix_ocsp_nonce);
  if (!extension) return null;
  try {
    return Buffer.from(AsnConvert.parse(extension.extnValue.buffer, Nonce).buffer);
  } catch {
    return Buffer.from(extension.extnValue.buffer); // some responders put the bare bytes there
  }
}

export function encodeOcspRequest(certId: CertID, nonce: Uint8Array): Uint8Array<ArrayBuffer> {
  const request = new OCSPRequest({
    tbsRequest: new TBSRequest({ requestList: [new Request({ reqCert: certId })], requestExtensions: [nonceExtension(nonce)] }),
  });
  return new Uint8Array(AsnConvert.serialize(request));
}

/** Verifies `signature` over `data` with the certificate's key, for the algorithms above. */
export function signatureVerifies(o: { certificate: x509.X509Certificate; algorithmOid: string; data: ArrayBuffer; signature: ArrayBuffer }): boolean {
  const algorithm = SIGNATURE_HASH_BY_OID[o.algorithmOid];
  if (!algorithm) return false;
  try {
    const key = createPublicKey({ key: Buffer.from(o.certificate.publicKey.rawData), format: "der", type: "spki" });
    return verify(algorithm, Buffer.from(o.data), key, Buffer.from(o.signature));
  } catch {
    return false;
  }
}

function responderMatches(id: BasicOCSPResponse["tbsResponseData"]["responderID"], candidate: x509.X509Certificate): boolean {
  const tbs = parseCertificate(candidate).tbsCertificate;
  if (id.byName) return Buffer.from(AsnConvert.serialize(id.byName)).equals(Buffer.from(AsnConvert.serialize(tbs.subject)));
  if (id.byKey) return Buffer.from(id.byKey.buffer).equals(hash("sha1", tbs.subjectPublicKeyInfo.subjectPublicKey));
  return false;
}

/** The key that signed the answer: the issuing CA itself, or a delegated responder it issued for OCSP signing. */
async function trustedSigner(basic: BasicOCSPResponse, issuer: x509.X509Certificate, now: Date): Promise<x509.X509Certificate> {
  const responderId = basic.tbsResponseData.responderID;
  if (responderMatches(responderId, issuer)) return issuer;
  for (const asn of basic.certs ?? []) {
    const candidate = new x509.X509Certificate(AsnConvert.serialize(asn));
    if (!responderMatches(responderId, candidate)) continue;
    const eku = candidate.getExtension(x509.ExtendedKeyUsageExtension);
    const delegated =
      candidate.issuer === issuer.subject &&
      (await candidate.verify({ publicKey: issuer.publicKey, signatureOnly: true }).catch(() => false)) &&
      (eku?.usages as string[] | undefined)?.includes(id_kp_OCSPSigning) === true &&
      candidate.notBefore <= now && now <= candidate.notAfter;
    if (delegated) return candidate;
    throw new OcspFailure("UNTRUSTED_SIGNER", "the responder certificate is not the CA's delegated OCSP signer (issuer, signature, id-kp-OCSPSigning, validity)");
  }
  throw new OcspFailure("UNTRUSTED_SIGNER", "the answer is signed by neither the issuing CA nor a responder it delegated");
}

/**
 * Reads and checks one DER OCSPResponse for `certId`. Throws OcspFailure for anything not to be believed;
 * returns the status with thisUpdate/nextUpdate (the caller caches until nextUpdate, bounded).
 */
export async function readOcspResponse(o: {
  der: Uint8Array;
  certId: CertID;
  issuer: x509.X509Certificate;
  nonce?: Uint8Array;
  now: Date;
}): Promise<OcspAnswer> {
  let basic: BasicOCSPResponse;
  try {
    const response = AsnConvert.parse(o.der, OCSPResponse);
    if (response.responseStatus !== OCSPResponseStatus.successful) {
      throw new OcspFailure("NOT_SUCCESSFUL", `the responder answered ${OCSPResponseStatus[response.responseStatus] ?? response.responseStatus}`);
    }
    if (response.responseBytes?.responseType !== id_pkix_ocsp_basic) throw new OcspFailure("MALFORMED", "not a basic OCSP response");
    basic = AsnConvert.parse(response.responseBytes.response.buffer, BasicOCSPResponse);
  } catch (error) {
    if (error instanceof OcspFailure) throw error;
    throw new OcspFailure("MALFORMED", "not a DER OCSPResponse", { cause: error });
  }

  const signer = await trustedSigner(basic, o.issuer, o.now);
  const signed = basic.tbsResponseDataRaw ?? AsnConvert.serialize(basic.tbsResponseData);
  if (!signatureVerifies({ certificate: signer, algorithmOid: basic.signatureAlgorithm.algorithm, data: signed, signature: basic.signature })) {
    throw new OcspFailure("BAD_SIGNATURE", "the answer's signature does not verify");
  }

  const data = basic.tbsResponseData;
  const single = data.responses.find((r) => sameCertId(r.certID, o.certId));
  if (!single) throw new OcspFailure("CERT_ID_MISMATCH", "the answer is about another certificate");

  const echoed = nonceOf(data.responseExtensions);
  if (o.nonce && echoed && !echoed.equals(Buffer.from(o.nonce))) throw new OcspFailure("NONCE_MISMATCH", "the answer carries another request's nonce");

  const now = o.now.getTime();
  if (single.thisUpdate.getTime() > now + CLOCK_SKEW_MS) throw new OcspFailure("STALE", "thisUpdate lies in the future");
  if (single.nextUpdate ? single.nextUpdate.getTime() < now - CLOCK_SKEW_MS : single.thisUpdate.getTime() < now - MAX_AGE_WITHOUT_NEXT_UPDATE_MS) {
    throw new OcspFailure("STALE", "the answer is past its nextUpdate (or too old)");
  }

  const times = { thisUpdate: single.thisUpdate, ...(single.nextUpdate ? { nextUpdate: single.nextUpdate } : {}) };
  const { certStatus } = single;
  if (certStatus.revoked) {
    const reason = certStatus.revoked.revocationReason?.reason;
    return { status: "revoked", revokedAt: certStatus.revoked.revocationTime, ...(reason === undefined ? {} : { reason }), ...times };
  }
  if (certStatus.good !== undefined) return { status: "good", ...times };
  return { status: "unknown", ...times };
}

/** Asks the responder at `url` (POST, RFC 6960 A.1) about one certificate: the reply read with a byte cap and a timeout. */
export async function queryOcsp(o: {
  url: string;
  certificate: x509.X509Certificate;
  issuer: x509.X509Certificate;
  now: Date;
  timeoutMs?: number;
}): Promise<OcspAnswer> {
  const certId = ocspCertId(o.certificate, o.issuer);
  const nonce = randomBytes(16);
  let der: Uint8Array;
  try {
    der = await fetchCapped(o.url, {
      method: "POST",
      headers: { "Content-Type": "application/ocsp-request", Accept: "application/ocsp-response" },
      body: encodeOcspRequest(certId, nonce),
    }, { timeoutMs: o.timeoutMs ?? 3_000, maxBytes: 64 * 1024 });
  } catch (error) {
    if (error instanceof PartnerReplyFailed) throw new OcspFailure("UNREACHABLE", error.message, { cause: error });
    throw error;
  }
  return readOcspResponse({ der, certId, issuer: o.issuer, nonce, now: o.now });
}
