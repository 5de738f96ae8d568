// The CA that issues a reissued card's certificates. Outside production, unless files are configured: the local
// test CA, so new cards chain to the same root that login trusts in development and tests. Otherwise the PEM
// files CARD_ISSUING_CA_CERT_FILE (certificate) and CARD_ISSUING_CA_KEY_FILE (unencrypted PKCS#8 RSA key).
//
// This is the seam for the real thing: MOICA signs inside an HSM and never hands its key to an application.
// A production deployment would replace `issuingKey` with a signer backed by the HSM (PKCS#11 or the CA
// product's API); a key file is what this service can run and test with.
import { readFile } from "node:fs/promises";
import { importPrivateKeyPem, loadTestCa, RSA_SHA256 } from "~/cards/test-ca.server";
import { env } from "~/lib/env.server";
import { x509 } from "~/lib/x509.server";

export interface IssuingCa {
  issuing: x509.X509Certificate;
  issuingKey: CryptoKey;
  /**
   * The test CA's status store, where each certificate it signs is recorded (else its OCSP responder would call
   * a reissued card "unknown"). None for a configured CA: a real CA records what it issues itself.
   */
  statusStore?: string;
}

let cached: Promise<IssuingCa> | undefined;

/** The issuing CA, loaded once per process (a failed load is not cached, so a fixed file is picked up). */
export function loadIssuingCa(): Promise<IssuingCa> {
  cached ??= chooseIssuingCa().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

async function chooseIssuingCa(): Promise<IssuingCa> {
  const { CARD_ISSUING_CA_CERT_FILE, CARD_ISSUING_CA_KEY_FILE, NODE_ENV } = env();
  if (CARD_ISSUING_CA_CERT_FILE || CARD_ISSUING_CA_KEY_FILE || NODE_ENV === "production") {
    return readIssuingCaFiles({ certFile: CARD_ISSUING_CA_CERT_FILE, keyFile: CARD_ISSUING_CA_KEY_FILE });
  }
  const { issuing, issuingKey, statusStore } = await loadTestCa();
  return { issuing, issuingKey, statusStore };
}

/**
 * Reads and checks the configured CA: a CA certificate allowed to sign certificates, and the private key that
 * belongs to it (proved by signing a probe and verifying it with the certificate). Errors name the variable and
 * the file, never the key.
 */
export async function readIssuingCaFiles({
  certFile,
  keyFile,
  now = new Date(),
}: {
  certFile: string | undefined;
  keyFile: string | undefined;
  now?: Date;
}): Promise<IssuingCa> {
  if (!certFile) throw new Error("CARD_ISSUING_CA_CERT_FILE: required (the issuing CA's certificate, PEM)");
  if (!keyFile) throw new Error("CARD_ISSUING_CA_KEY_FILE: required (the issuing CA's private key, PKCS#8 PEM)");

  const certPem = await readConfigured("CARD_ISSUING_CA_CERT_FILE", certFile);
  let issuing: x509.X509Certificate;
  try {
    issuing = new x509.X509Certificate(x509.PemConverter.decodeFirst(certPem));
  } catch (error) {
    throw new Error(`CARD_ISSUING_CA_CERT_FILE: ${certFile} holds no readable PEM certificate`, { cause: error });
  }
  if (issuing.getExtension(x509.BasicConstraintsExtension)?.ca !== true) {
    throw new Error(`CARD_ISSUING_CA_CERT_FILE: ${certFile} is not a CA certificate (basicConstraints cA is not set)`);
  }
  const keyUsage = issuing.getExtension(x509.KeyUsagesExtension);
  if (!keyUsage || (keyUsage.usages & x509.KeyUsageFlags.keyCertSign) === 0) {
    throw new Error(`CARD_ISSUING_CA_CERT_FILE: ${certFile} may not sign certificates (keyUsage lacks keyCertSign)`);
  }
  if (issuing.notAfter <= now || issuing.notBefore > now) {
    throw new Error(`CARD_ISSUING_CA_CERT_FILE: ${certFile} is not valid now (${issuing.notBefore.toISOString()} – ${issuing.notAfter.toISOString()})`);
  }

  const keyPem = await readConfigured("CARD_ISSUING_CA_KEY_FILE", keyFile);
  let issuingKey: CryptoKey;
  try {
    issuingKey = await importPrivateKeyPem(keyPem);
  } catch {
    // No cause: a parser's message could quote part of the key.
    throw new Error(`CARD_ISSUING_CA_KEY_FILE: ${keyFile} holds no unencrypted PKCS#8 RSA private key (-----BEGIN PRIVATE KEY-----)`);
  }
  if (!(await keyMatchesCertificate(issuingKey, issuing))) {
    throw new Error(`CARD_ISSUING_CA_KEY_FILE: ${keyFile} is not the private key of the certificate in CARD_ISSUING_CA_CERT_FILE`);
  }
  return { issuing, issuingKey };
}

async function readConfigured(variable: string, file: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    const code = (error as { code?: string }).code ?? "unreadable";
    throw new Error(`${variable}: cannot read ${file} (${code})`, { cause: error });
  }
}

async function keyMatchesCertificate(key: CryptoKey, certificate: x509.X509Certificate): Promise<boolean> {
  const probe = crypto.getRandomValues(new Uint8Array(32));
  try {
    const signature = await crypto.subtle.sign(RSA_SHA256, key, probe);
    const publicKey = await certificate.publicKey.export(RSA_SHA256, ["verify"]);
    return await crypto.subtle.verify(RSA_SHA256, publicKey, signature, probe);
  } catch {
    return false; // e.g. an EC certificate beside an RSA key
  }
}
