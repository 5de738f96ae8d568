// Whether a certificate is valid, suspended, revoked or expired. Behind an interface: here the service's own
// database (the CA's records); in production an OCSP client for MOICA's responder can implement the same.
import type { CertificateStatus, CertificateUsage } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import type { x509 } from "~/lib/x509.server";

export interface KnownCertificate {
  certificateId: string;
  cardId: string;
  cardNumber: string;
  holderId: string;
  usage: CertificateUsage;
  status: CertificateStatus;
  notBefore: Date;
  notAfter: Date;
  extended: boolean;
}

export interface CertificateStatusSource {
  /** The certificate as the CA knows it, or null when the CA never issued it. */
  lookUp(certificate: x509.X509Certificate): Promise<KnownCertificate | null>;
}

export const databaseCertificateStatus: CertificateStatusSource = {
  async lookUp(certificate) {
    const row = await prisma.certificate.findUnique({
      where: { issuerDn_serialNumber: { issuerDn: certificate.issuer, serialNumber: certificate.serialNumber.toLowerCase() } },
      include: { card: { select: { cardNumber: true, holderId: true } } },
    });
    // Same issuer and serial but other bytes: not the certificate the CA issued.
    if (!row || !Buffer.from(row.der).equals(Buffer.from(certificate.rawData))) return null;
    return {
      certificateId: row.id, cardId: row.cardId, cardNumber: row.card.cardNumber, holderId: row.card.holderId,
      usage: row.usage, status: row.status, notBefore: row.notBefore, notAfter: row.notAfter, extended: row.extended,
    };
  },
};

/**
 * Neither the CA's OCSP responder nor its CRL gave a usable answer: the status is unknown, so nothing that needs it
 * may proceed (fail closed). A 503: the holder is told to try again later, never logged in.
 */
export class CertificateStatusUnavailable extends AppError {
  constructor(options?: { cause?: unknown }) {
    super(
      "CERTIFICATE_STATUS_UNAVAILABLE",
      {
        "zh-TW": "暫時無法向憑證管理中心確認憑證狀態，請稍後再試。",
        en: "The certificate authority cannot confirm the card's status right now. Please try again later.",
      },
      503,
      { ...options, retryAfterSeconds: 60 },
    );
    this.name = "CertificateStatusUnavailable";
  }
}

/**
 * The status source every check uses (login, and the re-check before apply, confirm, pay and activate).
 * Issue 13 replaces the database-only source with the CA's OCSP responder (CRL as fallback).
 */
export function certificateStatusSource(): CertificateStatusSource {
  return databaseCertificateStatus;
}
