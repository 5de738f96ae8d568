// A local certificate authority shaped like the real one, for development and tests only: a GRCA-like root →
// a MOICA-like issuing CA (內政部憑證管理中心) → the two certificates of a card. Production never uses it: it
// trusts the anchors configured in CARD_TRUST_ANCHORS / CARD_INTERMEDIATES. The keys are generated on first
// use into CARD_TEST_CA_DIR (git-ignored) and reused, so cards issued yesterday still chain today.
// issueHolderCertificateForKey alone is shared with the service's issuing CA (app/fulfilment/issuing-ca.server.ts),
// so test cards and reissued cards are named by one piece of code. Every certificate the test CA signs is
// recorded in its status store (test-ca-status.server.ts), which the local OCSP responder answers from.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { env } from "~/lib/env.server";
import { x509 } from "~/lib/x509.server";
import { recordIssuedCertificate } from "./test-ca-status.server";
import { cardCertificateValidity } from "./validity";

export const RSA_SHA256 = {
  name: "RSASSA-PKCS1-v1_5",
  hash: "SHA-256",
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};

// "(測試)" keeps a test certificate from ever being mistaken for a real one on a screen or in a log.
export const TEST_ROOT_DN = "C=TW, O=行政院, OU=政府憑證總管理中心 (測試)";
export const TEST_ISSUING_DN = "C=TW, O=行政院, OU=內政部憑證管理中心 (測試)";

// Wide enough for every demo card (8-year cards issued a decade ago, new 5-year cards); the issuing CA ends
// before the root, as a real one does.
const ROOT_VALIDITY = { notBefore: new Date("2000-01-01T00:00:00Z"), notAfter: new Date("2060-01-01T00:00:00Z") };
const ISSUING_VALIDITY = { notBefore: new Date("2000-01-01T00:00:00Z"), notAfter: new Date("2055-01-01T00:00:00Z") };

const FILES = { root: "root.pem", rootKey: "root-key.pem", issuing: "issuing.pem", issuingKey: "issuing-key.pem" } as const;

export interface TestCa {
  root: x509.X509Certificate;
  issuing: x509.X509Certificate;
  issuingKey: CryptoKey;
  /** Absolute path of the folder the CA lives in. */
  dir: string;
  /** Where the CA records what it issued and each certificate's status (the same folder). */
  statusStore: string;
}

/** An issuing CA; with a status store (the test CA) every certificate it signs is recorded there. */
export type HolderCertificateIssuer = Pick<TestCa, "issuing" | "issuingKey"> & { statusStore?: string };

export type CertificateUsage = "SIGNING" | "ENCRYPTION";

export interface IssuedCertificate {
  certificate: x509.X509Certificate;
  /** The key pair that "lives on the card". */
  keys: CryptoKeyPair;
}

export interface CardCertificates {
  signing: IssuedCertificate;
  encryption: IssuedCertificate;
}

/**
 * The test CA in `dir` (default CARD_TEST_CA_DIR), created there on first use. Safe when several processes
 * start at once: each builds a complete CA in a temporary folder beside `dir` and renames it into place; a
 * rename that finds `dir` already filled lost the race, and the winner's CA is loaded instead.
 */
export async function loadTestCa(dir: string = env().CARD_TEST_CA_DIR): Promise<TestCa> {
  if (env().NODE_ENV === "production") {
    throw new Error("the test CA is for development and tests; production trusts CARD_TRUST_ANCHORS");
  }
  const target = path.resolve(dir);
  const existing = await readTestCa(target);
  if (existing) return existing;

  await mkdir(path.dirname(target), { recursive: true });
  const building = await mkdtemp(`${target}.tmp-`); // mode 0700: it will hold private keys
  try {
    await writeNewTestCa(building);
    try {
      await rename(building, target);
    } catch (error) {
      if (!hasCode(error, "ENOTEMPTY", "EEXIST")) throw error;
    }
  } finally {
    await rm(building, { recursive: true, force: true });
  }
  const ca = await readTestCa(target);
  if (!ca) throw new Error(`test CA folder ${target} vanished while it was being created`);
  return ca;
}

/** What a relying party in development or tests trusts: the test root as anchor, the issuing CA between. */
export function testCaTrust(ca: TestCa): { anchors: x509.X509Certificate[]; intermediates: x509.X509Certificate[] } {
  return { anchors: [ca.root], intermediates: [ca.issuing] };
}

export { cardCertificateValidity };

/** The card's two certificates (004: 憑證序號 0 signing, 1 encryption), each with its own key pair. */
export async function issueCardCertificates(
  ca: TestCa,
  o: { name: string; idLast4: string; issuedAt: Date; extended: boolean; cardNumber?: string },
): Promise<CardCertificates> {
  const validity = cardCertificateValidity(o);
  const issue = (usage: CertificateUsage) =>
    issueHolderCertificate(ca, { name: o.name, idLast4: o.idLast4, usage, cardNumber: o.cardNumber, ...validity });
  const [signing, encryption] = await Promise.all([issue("SIGNING"), issue("ENCRYPTION")]);
  return { signing, encryption };
}

/**
 * One certificate naming a holder as MOICA does: only the name (CN) and the last 4 ID digits (serialNumber,
 * 2.5.4.5). Any validity inside the issuing CA's; `keys` defaults to a new RSA 2048 pair.
 */
export async function issueHolderCertificate(
  issuer: HolderCertificateIssuer,
  o: { name: string; idLast4: string; usage: CertificateUsage; notBefore: Date; notAfter: Date; keys?: CryptoKeyPair; cardNumber?: string },
): Promise<IssuedCertificate> {
  const keys = o.keys ?? (await newKeyPair());
  const certificate = await issueHolderCertificateForKey(issuer, { ...o, publicKey: keys.publicKey });
  return { certificate, keys };
}

/**
 * The same certificate for a public key whose private half the service never sees — a new card's chip key
 * (app/fulfilment/replacement-card.server.ts issues with it, from any issuing CA, not only this test one).
 */
export async function issueHolderCertificateForKey(
  issuer: HolderCertificateIssuer,
  o: {
    name: string; idLast4: string; usage: CertificateUsage; notBefore: Date; notAfter: Date; publicKey: CryptoKey;
    /** The card it goes on, when known: `ca revoke --card` finds the card's certificates by it. */
    cardNumber?: string;
  },
): Promise<x509.X509Certificate> {
  // RFC 5280 caps commonName at 64 characters.
  if (!o.name.trim() || o.name.length > 64) throw new Error("the holder's name must be 1–64 characters");
  if (!/^\d{4}$/.test(o.idLast4)) throw new Error("idLast4 must be the last 4 digits of the ID number");
  if (o.notBefore < issuer.issuing.notBefore || o.notAfter > issuer.issuing.notAfter) {
    throw new Error("a certificate cannot outlive (or predate) the CA that issues it");
  }
  const usages =
    o.usage === "SIGNING"
      ? x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.nonRepudiation
      : x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.dataEncipherment;
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: [{ C: ["TW"] }, { CN: [o.name] }, { "2.5.4.5": [o.idLast4] }],
    issuer: issuer.issuing.subjectName,
    notBefore: o.notBefore,
    notAfter: o.notAfter,
    publicKey: o.publicKey,
    signingKey: issuer.issuingKey,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(usages, true),
      await x509.SubjectKeyIdentifierExtension.create(o.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(issuer.issuing.publicKey),
    ],
  });
  // Recorded before anyone can present it: a certificate the CA does not know is "unknown" to its responder.
  if (issuer.statusStore) {
    await recordIssuedCertificate(issuer.statusStore, {
      serial: certificate.serialNumber, usage: o.usage, cardNumber: o.cardNumber,
    });
  }
  return certificate;
}

export async function newKeyPair(): Promise<CryptoKeyPair> {
  return (await crypto.subtle.generateKey(RSA_SHA256, true, ["sign", "verify"])) as CryptoKeyPair;
}

/** PKCS#8 PEM (-----BEGIN PRIVATE KEY-----): what the card file and the CA folder keep. */
export async function privateKeyPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await crypto.subtle.exportKey("pkcs8", key), "PRIVATE KEY");
}

export async function importPrivateKeyPem(pem: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("pkcs8", x509.PemConverter.decodeFirst(pem), RSA_SHA256, true, ["sign"]);
}

async function writeNewTestCa(dir: string): Promise<void> {
  const caExtensions = async (keys: CryptoKeyPair, pathLength: number) => [
    new x509.BasicConstraintsExtension(true, pathLength, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
  ];
  const rootKeys = await newKeyPair();
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: TEST_ROOT_DN,
    ...ROOT_VALIDITY,
    keys: rootKeys,
    signingAlgorithm: RSA_SHA256,
    extensions: await caExtensions(rootKeys, 1), // GRCA → one level of issuing CA (MOICA) → cards
  });
  const issuingKeys = await newKeyPair();
  const issuing = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: TEST_ISSUING_DN,
    issuer: root.subjectName,
    ...ISSUING_VALIDITY,
    publicKey: issuingKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: RSA_SHA256,
    extensions: [
      ...(await caExtensions(issuingKeys, 0)), // issues end-entity certificates only
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  await writeFile(path.join(dir, FILES.root), root.toString("pem") + "\n");
  await writeFile(path.join(dir, FILES.issuing), issuing.toString("pem") + "\n");
  await writeFile(path.join(dir, FILES.rootKey), (await privateKeyPem(rootKeys.privateKey)) + "\n", { mode: 0o600 });
  await writeFile(path.join(dir, FILES.issuingKey), (await privateKeyPem(issuingKeys.privateKey)) + "\n", { mode: 0o600 });
}

/** The CA in `dir`; null when there is none yet (no folder, or an empty one). */
async function readTestCa(dir: string): Promise<TestCa | null> {
  let present: string[];
  try {
    present = await readdir(dir);
  } catch (error) {
    if (hasCode(error, "ENOENT")) return null;
    throw error;
  }
  if (present.length === 0) return null;
  const missing = Object.values(FILES).filter((file) => !present.includes(file));
  if (missing.length > 0) {
    throw new Error(`test CA folder ${dir} lacks ${missing.join(", ")}: remove the folder to create a new test CA`);
  }
  const read = (file: string) => readFile(path.join(dir, file), "utf8");
  const root = new x509.X509Certificate(await read(FILES.root));
  const issuing = new x509.X509Certificate(await read(FILES.issuing));
  if (!(await issuing.verify({ publicKey: root, signatureOnly: true }))) {
    throw new Error(`test CA folder ${dir}: ${FILES.issuing} was not issued by ${FILES.root}; remove the folder`);
  }
  return { root, issuing, issuingKey: await importPrivateKeyPem(await read(FILES.issuingKey)), dir, statusStore: dir };
}

/** A positive 128-bit serial without a leading zero byte (RFC 5280: positive, at most 20 octets). */
function randomSerial(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x40;
  return bytes.toString("hex");
}

function hasCode(error: unknown, ...codes: string[]): boolean {
  return typeof error === "object" && error !== null && codes.includes((error as { code?: string }).code ?? "");
}
