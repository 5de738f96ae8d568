// The local responder's own certificate: a delegated OCSP signer (RFC 6960 §4.2.2.2) issued by the test issuing
// CA for id-kp-OCSPSigning, as MOICA's responder signs with a certificate of its own rather than the CA key.
// Kept beside the CA (CARD_TEST_CA_DIR/ocsp-responder.pem, certificate and key), made on first use and again
// when it lapses. Created by writing a temporary file and linking it into place, so two processes starting at
// once agree on one.
import { randomBytes } from "node:crypto";
import { link, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { id_kp_OCSPSigning, id_pkix_ocsp_nocheck } from "@peculiar/asn1-ocsp";
import { importPrivateKeyPem, newKeyPair, privateKeyPem, RSA_SHA256, type TestCa } from "../../app/cards/test-ca.server";
import { x509 } from "../../app/lib/x509.server";

export interface ResponderIdentity {
  certificate: x509.X509Certificate;
  key: CryptoKey;
}

const FILE = "ocsp-responder.pem";
const LIFETIME_MS = 2 * 365 * 24 * 3600 * 1000;

/** A responder certificate for `issuer` (the test CA's issuing CA, or for tests any other issuer). */
export async function issueResponderIdentity(issuer: Pick<TestCa, "issuing" | "issuingKey">, now = new Date()): Promise<ResponderIdentity> {
  const keys = await newKeyPair();
  const notAfter = new Date(Math.min(now.getTime() + LIFETIME_MS, issuer.issuing.notAfter.getTime()));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: `40${randomBytes(15).toString("hex")}`,
    subject: `${issuer.issuing.subject}, CN=OCSP 回應者 (測試)`,
    issuer: issuer.issuing.subjectName,
    notBefore: new Date(now.getTime() - 3600_000),
    notAfter,
    publicKey: keys.publicKey,
    signingKey: issuer.issuingKey,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([id_kp_OCSPSigning], false),
      // id-pkix-ocsp-nocheck: a client need not ask about the responder's own certificate (it is short-lived).
      new x509.Extension(id_pkix_ocsp_nocheck, false, new Uint8Array([0x05, 0x00])),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.issuing.publicKey),
    ],
  });
  return { certificate, key: keys.privateKey };
}

/** The responder identity stored beside the test CA, made (or renewed) when missing or lapsed. */
export async function loadResponderIdentity(ca: TestCa, now = new Date()): Promise<ResponderIdentity> {
  const file = path.join(ca.dir, FILE);
  const existing = await readIdentity(file, ca, now);
  if (existing) return existing;
  const fresh = await issueResponderIdentity(ca, now);
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
  await writeFile(temporary, `${fresh.certificate.toString("pem")}\n${await privateKeyPem(fresh.key)}\n`, { mode: 0o600 });
  try {
    await link(temporary, file);
  } catch (error) {
    if ((error as { code?: string }).code !== "EEXIST") throw error;
    // Another process made one first: use it, unless it is the lapsed one this replaces.
    const theirs = await readIdentity(file, ca, now);
    if (theirs) return theirs;
    await rename(temporary, file);
    return fresh;
  } finally {
    await rm(temporary, { force: true });
  }
  return fresh;
}

async function readIdentity(file: string, ca: TestCa, now: Date): Promise<ResponderIdentity | null> {
  let pem: string;
  try {
    pem = await readFile(file, "utf8");
  } catch (error) {
    if ((error as { code?: string }).code === "ENOENT") return null;
    throw error;
  }
  const certificate = new x509.X509Certificate(x509.PemConverter.decodeFirst(pem));
  const usable =
    certificate.notBefore <= now && now < certificate.notAfter &&
    (await certificate.verify({ publicKey: ca.issuing.publicKey, signatureOnly: true }));
  if (!usable) return null;
  const keyPem = pem.match(/-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/)?.[0];
  if (!keyPem) throw new Error(`${file} holds no private key: remove it to make a new responder certificate`);
  return { certificate, key: await importPrivateKeyPem(keyPem) };
}
