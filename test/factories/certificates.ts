// Certificates shaped like MOICA's for tests: CN = name, serialNumber = last 4 ID digits, issued by the local
// test CA (app/cards/test-ca.server.ts), so they chain to the test root a development relying party trusts.
// For a whole card (both certificates, recorded, with its card file) use issueCard() instead. What the test CA
// issues is recorded in its status store, so its OCSP responder answers "good" for it, as MOICA's would.
import { randomBytes } from "node:crypto";
import {
  issueHolderCertificate,
  loadTestCa,
  newKeyPair,
  RSA_SHA256,
  TEST_ISSUING_DN,
  type TestCa,
} from "../../app/cards/test-ca.server";
import { x509 } from "../../app/lib/x509.server";

export interface TestIssuer {
  certificate: x509.X509Certificate;
  keys: CryptoKeyPair;
  /** The test CA's status store; none for a look-alike issuer (its certificates are unknown to the responder). */
  statusStore?: string;
}

/** The test CA's issuing CA (內政部憑證管理中心 (測試)), trusted in development and tests. */
export async function createTestIssuer(ca?: TestCa): Promise<TestIssuer> {
  const { issuing, issuingKey, statusStore } = ca ?? (await loadTestCa());
  const publicKey = await issuing.publicKey.export(RSA_SHA256, ["verify"]);
  return { certificate: issuing, keys: { publicKey, privateKey: issuingKey }, statusStore };
}

/** A look-alike issuer nobody trusts: same DN as the test issuing CA, its own key, no root. For refusal tests. */
export async function createUntrustedIssuer(): Promise<TestIssuer> {
  const keys = await newKeyPair();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString("hex").replace(/^[89a-f]/, "1"),
    name: TEST_ISSUING_DN,
    notBefore: new Date("2000-01-01T00:00:00Z"),
    notAfter: new Date("2055-01-01T00:00:00Z"),
    keys,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificate, keys };
}

export async function issueCardCertificate(opts: {
  issuer: TestIssuer;
  name: string;
  idLast4: string;
  usage: "SIGNING" | "ENCRYPTION";
  notBefore: Date;
  notAfter: Date;
  subjectKeys?: CryptoKeyPair;
}): Promise<{ der: Uint8Array; keys: CryptoKeyPair }> {
  const { certificate, keys } = await issueHolderCertificate(
    { issuing: opts.issuer.certificate, issuingKey: opts.issuer.keys.privateKey, statusStore: opts.issuer.statusStore },
    { name: opts.name, idLast4: opts.idLast4, usage: opts.usage, notBefore: opts.notBefore, notAfter: opts.notAfter, keys: opts.subjectKeys },
  );
  return { der: new Uint8Array(certificate.rawData), keys };
}

/**
 * A fresh key pair for a certificate that is only recorded, never used to sign: P-256 is generated in about a
 * millisecond, and every certificate needs its own key (certificate.public_key_sha256 is unique).
 */
export async function recordOnlyKeys(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
}
