// A new card's certificates, from the vendor's `personalised` reply: the chip made two key pairs and signed a
// PKCS#10 request with each (vendor-protocol.ts). The service's CA certifies those keys in the holder's name as
// MOICA names a holder, and records the card with both certificates AWAITING_ACTIVATION — 002 開卡: they become
// valid only when the holder activates the card with the user code.
import { createHash, createPublicKey } from "node:crypto";
import { Prisma } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { describeCertificate } from "~/cards/certificates.server";
import { cardNumberSchema } from "~/cards/schema";
import { issueHolderCertificateForKey, RSA_SHA256, type CertificateUsage } from "~/cards/test-ca.server";
import { x509 } from "~/lib/x509.server";
import type { IssuingCa } from "./issuing-ca.server";

export type ReplacementCardErrorCode =
  | "CSR_MALFORMED"
  | "CSR_SIGNATURE_INVALID"
  | "KEY_NOT_ALLOWED"
  | "SAME_KEY_TWICE"
  | "KEY_ALREADY_CERTIFIED"
  | "CARD_NUMBER_TAKEN"
  | "VALIDITY_OUTSIDE_CA"
  | "HOLDER_MISMATCH";

/** Why a vendor reply cannot become a card. Codes and words only: never a name, ID number or key material. */
export class ReplacementCardError extends Error {
  constructor(
    readonly code: ReplacementCardErrorCode,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}`, options);
    this.name = "ReplacementCardError";
  }
}

/** MOICA's cards hold RSA 2048 keys; smaller is breakable, above 4096 no chip makes and verifying gets costly. */
const RSA_MODULUS_BITS = { min: 2048, max: 4096 } as const;
const ALLOWED_CSR_HASHES = new Set(["SHA-256", "SHA-384", "SHA-512"]);
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The public key of one chip-made PKCS#10 request, once its self-signature verifies (the proof that the chip
 * holds the private key). RSA only, 2048–4096 bits: MOICA's encryption certificate is for key transport
 * (keyEncipherment), which EC keys cannot do. The request's subject and attributes are ignored — the service
 * names the holder from its own records. `spkiSha256` is over the key's canonical SubjectPublicKeyInfo.
 */
export async function readCardKeyRequest(csrBase64: string): Promise<{ publicKey: CryptoKey; spkiSha256: string }> {
  let csr: x509.Pkcs10CertificateRequest;
  try {
    if (!BASE64.test(csrBase64) || csrBase64.length % 4 !== 0) throw new Error("not base64");
    csr = new x509.Pkcs10CertificateRequest(Uint8Array.from(Buffer.from(csrBase64, "base64")));
  } catch (error) {
    throw new ReplacementCardError("CSR_MALFORMED", "not a DER PKCS#10 request in base64", { cause: error });
  }

  let key: ReturnType<typeof createPublicKey>;
  try {
    key = createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: "der", type: "spki" });
  } catch (error) {
    throw new ReplacementCardError("CSR_MALFORMED", "the request's public key cannot be read", { cause: error });
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== "rsa" || bits < RSA_MODULUS_BITS.min || bits > RSA_MODULUS_BITS.max) {
    throw new ReplacementCardError(
      "KEY_NOT_ALLOWED",
      `an RSA key of ${RSA_MODULUS_BITS.min}–${RSA_MODULUS_BITS.max} bits is required, not ${key.asymmetricKeyType ?? "unknown"} ${bits}`,
    );
  }

  const hash = (csr.signatureAlgorithm as { hash?: { name?: string } }).hash?.name ?? "";
  let verified = false;
  try {
    verified = ALLOWED_CSR_HASHES.has(hash) && (await csr.verify());
  } catch {
    verified = false; // a signature algorithm WebCrypto cannot check proves nothing either
  }
  if (!verified) {
    throw new ReplacementCardError("CSR_SIGNATURE_INVALID", "the request's signature does not verify with its own key (SHA-256 or stronger)");
  }

  const spki = key.export({ format: "der", type: "spki" });
  const publicKey = await crypto.subtle.importKey("spki", spki, RSA_SHA256, true, ["verify"]);
  return { publicKey, spkiSha256: createHash("sha256").update(spki).digest("hex") };
}

/**
 * The new card's two certificates (004: 憑證序號 0 signing, 1 encryption), DER. Pure crypto: both requests must
 * verify and hold different keys; the validity is the one printed on the card (002: the card bears its
 * validity dates) and must lie inside the issuing CA's.
 */
export async function issueReplacementCertificates(input: {
  ca: IssuingCa;
  holder: { name: string; idLast4: string };
  validFrom: Date;
  validUntil: Date;
  signingCsr: string;
  encryptionCsr: string;
  /** The vendor's number for the new card: the CA keeps it beside the certificates (revocation is by card). */
  cardNumber?: string;
}): Promise<{ signing: Uint8Array; encryption: Uint8Array }> {
  const signingKey = await readCardKeyRequest(input.signingCsr);
  const encryptionKey = await readCardKeyRequest(input.encryptionCsr);
  if (Buffer.from(await rsaModulus(signingKey.publicKey)).equals(Buffer.from(await rsaModulus(encryptionKey.publicKey)))) {
    throw new ReplacementCardError("SAME_KEY_TWICE", "the signing and the encryption request carry the same key");
  }

  if (!(input.validFrom < input.validUntil)) throw new Error("validFrom must come before validUntil");
  const { issuing } = input.ca;
  if (input.validFrom < issuing.notBefore || input.validUntil > issuing.notAfter) {
    throw new ReplacementCardError(
      "VALIDITY_OUTSIDE_CA",
      `the card's validity must lie within the issuing CA's (${issuing.notBefore.toISOString()} – ${issuing.notAfter.toISOString()})`,
    );
  }

  const issue = async (usage: CertificateUsage, publicKey: CryptoKey) => {
    const certificate = await issueHolderCertificateForKey(input.ca, {
      name: input.holder.name,
      idLast4: input.holder.idLast4,
      usage,
      notBefore: input.validFrom,
      notAfter: input.validUntil,
      publicKey,
      cardNumber: input.cardNumber,
    });
    return new Uint8Array(certificate.rawData);
  };
  return { signing: await issue("SIGNING", signingKey.publicKey), encryption: await issue("ENCRYPTION", encryptionKey.publicKey) };
}

const USAGE_FLAGS: Record<CertificateUsage, number> = {
  SIGNING: x509.KeyUsageFlags.digitalSignature,
  ENCRYPTION: x509.KeyUsageFlags.keyEncipherment,
};

/**
 * Records the new card inside the caller's transaction: the Card (the order's holder), its two certificates
 * AWAITING_ACTIVATION, the order's newCardId, and the audit events. Every refusal is found by reading before
 * anything is written, so a ReplacementCardError leaves the caller's transaction usable (nothing to undo). The
 * one exception is a card number inserted by a concurrent transaction between the check and the insert: that
 * surfaces as CARD_NUMBER_TAKEN too, but PostgreSQL has then aborted the transaction — the caller must let it
 * roll back (rethrowing out of prisma.$transaction does) and record the refusal in a new one.
 */
export async function recordReplacementCard(
  tx: Prisma.TransactionClient,
  input: { orderId: string; holderId: string; cardNumber: string; signing: Uint8Array; encryption: Uint8Array },
): Promise<{ cardId: string; certificates: Array<{ usage: "SIGNING" | "ENCRYPTION"; serialNumber: string }> }> {
  const order = await tx.reissueOrder.findUniqueOrThrow({ where: { id: input.orderId }, include: { holder: true } });
  if (order.holderId !== input.holderId) throw new Error(`order ${order.id} belongs to another holder`);
  if (order.newCardId) throw new Error(`order ${order.id} already has its new card ${order.newCardId}`);
  if (order.status !== "PAID" && order.status !== "IN_PRODUCTION") {
    throw new Error(`order ${order.id} is ${order.status}: only a paid order in production gets a new card`);
  }
  const cardNumber = cardNumberSchema.parse(input.cardNumber);

  const certificates = (["SIGNING", "ENCRYPTION"] as const).map((usage) => {
    const der = usage === "SIGNING" ? input.signing : input.encryption;
    const certificate = new x509.X509Certificate(Uint8Array.from(der));
    const keyUsage = certificate.getExtension(x509.KeyUsagesExtension)?.usages ?? 0;
    if ((keyUsage & USAGE_FLAGS[usage]) === 0) throw new Error(`the ${usage.toLowerCase()} certificate has another key usage`);
    return { usage, der, certificate, facts: describeCertificate(der) };
  });
  for (const { facts } of certificates) {
    // As recordCard demands of every card: CN = the holder's name, serialNumber (2.5.4.5) = the ID's last 4.
    if (facts.commonName !== order.holder.name || facts.subjectIdLast4 !== order.holder.nationalIdLast4) {
      throw new ReplacementCardError("HOLDER_MISMATCH", `certificate ${facts.serialNumber} does not name the order's holder`);
    }
  }

  if (await tx.card.findUnique({ where: { cardNumber }, select: { id: true } })) {
    throw new ReplacementCardError("CARD_NUMBER_TAKEN", "the vendor's card number is already recorded");
  }
  for (const { usage, facts } of certificates) {
    const holder = await tx.certificate.findUnique({ where: { publicKeySha256: facts.publicKeySha256 }, select: { id: true } });
    if (holder) {
      throw new ReplacementCardError("KEY_ALREADY_CERTIFIED", `the ${usage.toLowerCase()} key is already certified (certificate ${holder.id})`);
    }
  }

  let card;
  try {
    card = await tx.card.create({
      data: {
        cardNumber,
        holderId: order.holderId,
        certificates: {
          create: certificates.map(({ usage, der, facts }) => ({
            serialNumber: facts.serialNumber,
            issuerDn: facts.issuerDn,
            subjectDn: facts.subjectDn,
            usage,
            notBefore: facts.notBefore,
            notAfter: facts.notAfter,
            extended: false,
            status: "AWAITING_ACTIVATION" as const,
            der: Uint8Array.from(der),
            publicKeySha256: facts.publicKeySha256,
          })),
        },
      },
      include: { certificates: true },
    });
  } catch (error) {
    if (isUniqueViolation(error, /card_number|cardNumber/)) {
      throw new ReplacementCardError("CARD_NUMBER_TAKEN", "the vendor's card number was recorded concurrently", { cause: error });
    }
    throw error;
  }
  await tx.reissueOrder.update({ where: { id: order.id }, data: { newCardId: card.id } });

  const serialOf = (usage: CertificateUsage) => certificates.find((c) => c.usage === usage)!.facts.serialNumber;
  await recordAuditEvent(
    {
      actor: { type: "SYSTEM" },
      action: "order.certificates_issued",
      subject: { type: "order", id: order.id },
      details: { cardId: card.id, signingSerial: serialOf("SIGNING"), encryptionSerial: serialOf("ENCRYPTION") },
    },
    tx,
  );
  await recordAuditEvent({ actor: { type: "SYSTEM" }, action: "card.recorded", subject: { type: "card", id: card.id } }, tx);

  return { cardId: card.id, certificates: certificates.map(({ usage, facts }) => ({ usage, serialNumber: facts.serialNumber })) };
}

/** The RSA modulus, big-endian without a leading zero: the key itself, however its SubjectPublicKeyInfo is encoded. */
async function rsaModulus(publicKey: CryptoKey): Promise<Uint8Array> {
  const { n } = await crypto.subtle.exportKey("jwk", publicKey);
  if (!n) throw new Error("not an RSA public key");
  return Uint8Array.from(Buffer.from(n, "base64url"));
}

/**
 * The id of any recorded certificate carrying this RSA modulus, or null. The schema keeps no key hash, but every
 * certificate's DER holds its modulus verbatim, and 256 random bytes occur nowhere else by chance — so a byte
 * search over all certificates is exact. It reads every row (a sequential scan): fine for the cards this
 * service records; at MOICA's scale a key-hash column with an index should replace it. All certificates, not
 * only this holder's: a chip that repeats a key across cards is exactly the fault this is here to catch.
 */
function isUniqueViolation(error: unknown, target: RegExp): boolean {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError &&
    error.code === "P2002" &&
    target.test(JSON.stringify(error.meta ?? {}))
  );
}
