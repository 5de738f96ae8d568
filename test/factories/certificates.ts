// Certificates shaped like MOICA's, for tests and demo data: CN = name, serialNumber = last 4 ID digits,
// issued by a throwaway CA whose DN mirrors 內政部憑證管理中心. (The card-login issue adds a persistent test
// CA with a GRCA-like root; this factory only needs well-formed certificates.)
import { randomBytes } from "node:crypto";
import { x509 } from "../../app/lib/x509.server";

const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256", publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

export interface TestIssuer {
  certificate: x509.X509Certificate;
  keys: CryptoKeyPair;
}

export async function createTestIssuer(): Promise<TestIssuer> {
  const keys = (await crypto.subtle.generateKey(RSA, true, ["sign", "verify"])) as CryptoKeyPair;
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(8).toString("hex"),
    name: "C=TW, O=行政院, OU=內政部憑證管理中心 (測試)",
    notBefore: new Date("2010-01-01T00:00:00Z"),
    notAfter: new Date("2040-01-01T00:00:00Z"),
    keys,
    signingAlgorithm: RSA,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true)],
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
  const keys = opts.subjectKeys ?? ((await crypto.subtle.generateKey(RSA, true, ["sign", "verify"])) as CryptoKeyPair);
  const usages =
    opts.usage === "SIGNING"
      ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation
      : x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.dataEncipherment;
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomBytes(16).toString("hex").replace(/^[89a-f]/, "1"),
    subject: [{ C: ["TW"] }, { CN: [opts.name] }, { "2.5.4.5": [opts.idLast4] }],
    issuer: opts.issuer.certificate.subjectName,
    notBefore: opts.notBefore,
    notAfter: opts.notAfter,
    publicKey: keys.publicKey,
    signingKey: opts.issuer.keys.privateKey,
    signingAlgorithm: RSA,
    extensions: [new x509.KeyUsagesExtension(usages, true)],
  });
  return { der: new Uint8Array(certificate.rawData), keys };
}
