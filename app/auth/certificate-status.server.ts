// Whether a certificate is valid, suspended, revoked or expired. Which card, holder and usage a certificate
// belongs to, and its validity, come from the service's own certificate rows; whether the CA has revoked or
// suspended it comes from the CA — its OCSP responder, its CRL as fallback (revocation.server.ts) — because
// nothing writes a revocation at a household registration office into our rows (issue 13).
import type { CertificateStatus, CertificateUsage } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { AppError } from "~/lib/errors.server";
import type { x509 } from "~/lib/x509.server";
import { createRevocationChecker, RevocationStatusUnavailable, type RevocationChecker } from "./revocation.server";
import { trustStore, type TrustStore } from "./trust.server";

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
 * The recorded certificate with the status the CA gives it: OCSP/CRL good → the row's own status (a new card
 * stays AWAITING_ACTIVATION, an old one EXPIRED), revoked → REVOKED, on hold → SUSPENDED, unknown to the CA →
 * null (as if never issued). Throws CertificateStatusUnavailable when neither OCSP nor CRL answers: fail closed.
 */
export function caCheckedCertificateStatus(o: {
  checker: RevocationChecker;
  trust?: () => Promise<TrustStore>;
}): CertificateStatusSource {
  const trust = o.trust ?? trustStore;
  return {
    async lookUp(certificate) {
      const known = await databaseCertificateStatus.lookUp(certificate);
      if (!known) return null;
      const { anchors, intermediates } = await trust();
      const issuer = [...intermediates, ...anchors].find((ca) => ca.subject === certificate.issuer);
      if (!issuer) return null;
      let status;
      try {
        status = await o.checker.check(certificate, issuer);
      } catch (error) {
        if (error instanceof RevocationStatusUnavailable) throw new CertificateStatusUnavailable({ cause: error });
        throw error;
      }
      if (status === "unknown") return null;
      if (status === "revoked") return { ...known, status: "REVOKED" };
      if (status === "suspended") return { ...known, status: "SUSPENDED" };
      return known;
    },
  };
}

let configured: CertificateStatusSource | undefined;

/**
 * The status source every check uses (login, and the re-check before apply, confirm, pay and activate): the
 * CA's OCSP responder (CARD_OCSP_URL) with its CRL (CARD_CRL_URL) as fallback, answers reused per process for
 * at most CARD_STATUS_CACHE_SECONDS.
 */
export function certificateStatusSource(): CertificateStatusSource {
  configured ??= (() => {
    const { CARD_OCSP_URL, CARD_CRL_URL, CARD_STATUS_CACHE_SECONDS } = env();
    const checker = createRevocationChecker({ ocspUrl: CARD_OCSP_URL, crlUrl: CARD_CRL_URL, cacheSeconds: CARD_STATUS_CACHE_SECONDS });
    return caCheckedCertificateStatus({ checker });
  })();
  return configured;
}

/** Drops the configured source and its cached answers (tests that revoke a card the process has already asked about). */
export function resetCertificateStatusSource(): void {
  configured = undefined;
}
