// Issue 13: a card revoked (廢止) or suspended (停用) at the CA after login must not go on changing anything. Every
// request that changes something (apply, confirm, pay, activate) asks the CA again through the configured status
// source — one look-up per certificate, which the real source caches — instead of trusting what login saw.
import { recordAuditEvent } from "~/audit/audit.server";
import { unusableStatus } from "~/eligibility/rules";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { x509 } from "~/lib/x509.server";
import { certificateStatusSource, type CertificateStatusSource } from "./certificate-status.server";
import { LOGIN_ERRORS } from "./login-errors";

export type WithdrawnReason = "CERTIFICATE_REVOKED" | "CERTIFICATE_SUSPENDED" | "CERTIFICATE_UNKNOWN";

/** The session's card may no longer be used: the session must end and the holder read why (LOGIN_ERRORS[reason]). */
export class CardNoLongerValid extends AppError {
  constructor(readonly reason: WithdrawnReason) {
    const { status, message } = LOGIN_ERRORS[reason];
    super(reason, message, status);
    this.name = "CardNoLongerValid";
  }
}

/**
 * Why the CA no longer accepts one of these certificates (revoked, suspended, or not issued by it at all), or null
 * when it accepts them all. Throws CertificateStatusUnavailable when the CA cannot answer: the caller fails closed.
 */
export async function withdrawnAtCa({ certificates, statusSource = certificateStatusSource() }: {
  certificates: Uint8Array[];
  statusSource?: CertificateStatusSource;
}): Promise<{ reason: WithdrawnReason } | null> {
  const answers = await Promise.all(
    certificates.map((der) => statusSource.lookUp(new x509.X509Certificate(Uint8Array.from(der)))),
  );
  for (const known of answers) {
    if (!known) return { reason: "CERTIFICATE_UNKNOWN" };
    const unusable = unusableStatus(known);
    if (unusable) return { reason: unusable === "REVOKED" ? "CERTIFICATE_REVOKED" : "CERTIFICATE_SUSPENDED" };
  }
  return null;
}

/**
 * Before a logged-in holder changes anything: the certificate the session was started with is still neither revoked
 * nor suspended at the CA. Throws CardNoLongerValid (audited) or CertificateStatusUnavailable; returns nothing.
 */
export async function assertCardStillValid({ session, statusSource = certificateStatusSource() }: {
  session: { holderId: string; cardId: string; certificateId: string };
  statusSource?: CertificateStatusSource;
}): Promise<void> {
  const certificate = await prisma.certificate.findUnique({ where: { id: session.certificateId }, select: { der: true, cardId: true } });
  const withdrawn =
    certificate && certificate.cardId === session.cardId
      ? await withdrawnAtCa({ certificates: [certificate.der], statusSource })
      : { reason: "CERTIFICATE_UNKNOWN" as const };
  if (!withdrawn) return;
  await recordAuditEvent({
    actor: { type: "CITIZEN", id: session.holderId },
    action: "auth.session_ended",
    subject: { type: "card", id: session.cardId },
    details: { code: withdrawn.reason },
  });
  throw new CardNoLongerValid(withdrawn.reason);
}
