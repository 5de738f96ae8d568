import { createHash } from "node:crypto";
import type { CertificateStatus, CertificateUsage } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { x509 } from "~/lib/x509.server";
import { nationalIdLast4 } from "./national-id";
import { nationalIdHash } from "./national-id.server";
import { cardNumberSchema, nationalIdSchema } from "./schema";

/** OID of the subject's serialNumber attribute, where MOICA puts the last 4 ID digits. */
const SUBJECT_SERIAL_NUMBER = "2.5.4.5";

export interface CertificateFacts {
  serialNumber: string;
  issuerDn: string;
  subjectDn: string;
  commonName: string | null;
  subjectIdLast4: string | null;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 (hex) of the SubjectPublicKeyInfo DER. */
  publicKeySha256: string;
}

/** What the service keeps of a certificate, read from its DER encoding (throws on malformed DER). */
export function describeCertificate(der: Uint8Array): CertificateFacts {
  const certificate = new x509.X509Certificate(Uint8Array.from(der));
  return {
    serialNumber: certificate.serialNumber.toLowerCase(),
    issuerDn: certificate.issuer,
    subjectDn: certificate.subject,
    commonName: certificate.subjectName.getField("CN")[0] ?? null,
    subjectIdLast4: certificate.subjectName.getField(SUBJECT_SERIAL_NUMBER)[0] ?? null,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    publicKeySha256: createHash("sha256").update(new Uint8Array(certificate.publicKey.rawData)).digest("hex"),
  };
}

export interface CardCertificateInput {
  der: Uint8Array;
  usage: CertificateUsage;
  status: CertificateStatus;
  extended?: boolean;
}

/**
 * Records a card, its holder (found by the keyed ID hash, created when new) and its certificates in one
 * transaction. The certificates must name the holder: CN = name, serialNumber = last 4 ID digits.
 */
export async function recordCard({
  holder,
  cardNumber,
  certificates,
}: {
  holder: { nationalId: string; name: string };
  cardNumber: string;
  certificates: CardCertificateInput[];
}) {
  const nationalId = nationalIdSchema.parse(holder.nationalId);
  const number = cardNumberSchema.parse(cardNumber);
  const described = certificates.map((c) => ({ input: c, facts: describeCertificate(c.der) }));
  for (const { facts } of described) {
    if (facts.subjectIdLast4 !== nationalIdLast4(nationalId) || facts.commonName !== holder.name) {
      throw new Error(`certificate ${facts.serialNumber} does not name this holder`);
    }
  }
  return prisma.$transaction(async (tx) => {
    const hash = nationalIdHash(nationalId);
    const holderRow = await tx.holder.upsert({
      where: { nationalIdHash: hash },
      update: { name: holder.name },
      create: { nationalIdHash: hash, nationalIdLast4: nationalIdLast4(nationalId), name: holder.name },
    });
    const card = await tx.card.create({
      data: {
        cardNumber: number,
        holderId: holderRow.id,
        certificates: {
          create: described.map(({ input, facts }) => ({
            serialNumber: facts.serialNumber,
            issuerDn: facts.issuerDn,
            subjectDn: facts.subjectDn,
            usage: input.usage,
            notBefore: facts.notBefore,
            notAfter: facts.notAfter,
            extended: input.extended ?? false,
            status: input.status,
            der: Uint8Array.from(input.der),
            publicKeySha256: facts.publicKeySha256,
          })),
        },
      },
      include: { certificates: true },
    });
    await recordAuditEvent(
      { actor: { type: "SYSTEM" }, action: "card.recorded", subject: { type: "card", id: card.id } },
      tx,
    );
    return { holder: holderRow, card };
  });
}

/** Valid certificates past their end become expired (004: 已過期). Run hourly by the maintenance queue. */
export async function expireLapsedCertificates({ now = new Date() }: { now?: Date } = {}): Promise<number> {
  return prisma.$transaction(async (tx) => {
    const { count } = await tx.certificate.updateMany({
      where: { status: "VALID", notAfter: { lte: now } },
      data: { status: "EXPIRED", statusChangedAt: now },
    });
    if (count > 0) {
      await recordAuditEvent(
        { actor: { type: "SYSTEM" }, action: "certificate.expired_lapsed", details: { count } },
        tx,
      );
    }
    return count;
  });
}
