// Whether a certificate is valid, suspended, revoked or expired. Behind an interface: here the service's own
// database (the CA's records); in production an OCSP client for MOICA's responder can implement the same.
import type { CertificateStatus, CertificateUsage } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
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
