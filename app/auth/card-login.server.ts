// Card login: the holder's card signed our one-time challenge (this site's origin and a nonce) through HiCOS.
// Everything is checked before any session exists — nonce and the browser it was issued to, signature, chain,
// the CA's status, the card number — and then whether this card may log in at all (an expired card only inside
// the reissue window, only for the reissue flow).
import { z } from "zod";
import { recordAuditEvent } from "~/audit/audit.server";
import { reissueWindowSettings } from "~/eligibility/eligibility.server";
import { mayLogIn, type LoginDecision } from "~/eligibility/rules";
import { AppError } from "~/lib/errors.server";
import { countAttempt, retryAfterSeconds, type Limit } from "~/lib/rate-limit.server";
import { x509 } from "~/lib/x509.server";
import { certificateStatusSource, CertificateStatusUnavailable, type CertificateStatusSource } from "./certificate-status.server";
import { consumeChallenge, loginOrigin, loginTbs } from "./challenge.server";
import { SignatureRejected, verifyPkcs1, verifyPkcs7 } from "./signature.server";
import { ChainRejected, trustStore, verifyChain, type TrustStore } from "./trust.server";
import { LOGIN_ERRORS, type LoginErrorCode } from "./login-errors";

const base64 = (max: number) => z.string().min(4).max(max).regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: "not base64" });

/** The fields HiCOS returns, plus the nonce the page was given (issue 13: outside clients rely on these names). */
export const cardLoginSchema = z.object({
  nonce: z.string().max(64),
  signatureType: z.enum(["PKCS1", "PKCS7"]),
  signature: base64(16_384),
  certb64: base64(8_192),
  cardSN: z.string().trim().max(32),
});

export type CardLoginInput = z.infer<typeof cardLoginSchema>;

/**
 * Failed logins: per source address and per card, so neither a busy NAT nor one card's owner locks out others.
 * Issue 13: the card's counter counts only failures the card itself signed for (see verifyCardLogin).
 */
export const LOGIN_FAILURE_LIMITS = {
  ip: { name: "login-failure:ip", max: 30, windowSeconds: 15 * 60 },
  card: { name: "login-failure:card", max: 5, windowSeconds: 15 * 60 },
} satisfies Record<string, Limit>;

const REFUSALS: Record<Extract<LoginDecision, { allowed: false }>["reason"], LoginErrorCode> = {
  REVOKED: "CERTIFICATE_REVOKED",
  SUSPENDED: "CERTIFICATE_SUSPENDED",
  AWAITING_ACTIVATION: "CARD_NOT_ACTIVATED",
  NOT_YET_VALID: "CERTIFICATE_NOT_YET_VALID",
  EXTEND_INSTEAD: "EXTEND_INSTEAD",
  WINDOW_CLOSED: "CARD_EXPIRED_BEYOND_WINDOW",
};

export interface CardLoginSuccess {
  holderId: string;
  cardId: string;
  certificateId: string;
  scope: "full" | "reissue-only";
}

/** A refused login; knows the card when the refusal came after the CA recognised it (for the audit trail). */
class LoginFailure extends AppError {
  constructor(code: LoginErrorCode, readonly cardId?: string, cause?: unknown) {
    const { status, message } = LOGIN_ERRORS[code];
    super(code, message, status, { cause });
  }
}

function fail(code: LoginErrorCode, { cause, cardId }: { cause?: unknown; cardId?: string } = {}): never {
  throw new LoginFailure(code, cardId, cause);
}

function decodeBase64(value: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(Buffer.from(value, "base64"));
}

async function checkCard(
  input: CardLoginInput,
  { now, trust, statusSource, preLoginToken }: { now: Date; trust: TrustStore; statusSource: CertificateStatusSource; preLoginToken: string | undefined },
): Promise<CardLoginSuccess> {
  const challenge = await consumeChallenge(input.nonce, { preLoginToken, now });
  if (challenge === "unknown") fail("CHALLENGE_INVALID");
  if (challenge === "other-browser") fail("CHALLENGE_OTHER_BROWSER");

  let certificate: x509.X509Certificate;
  try {
    certificate = new x509.X509Certificate(decodeBase64(input.certb64));
  } catch (error) {
    fail("CERTIFICATE_MALFORMED", { cause: error });
  }

  // Rebuilt from our own configured origin, never taken from the request: a signature over another site's text fails.
  const data = new TextEncoder().encode(loginTbs({ origin: loginOrigin(), nonce: input.nonce }));
  try {
    const signature = decodeBase64(input.signature);
    if (input.signatureType === "PKCS1") await verifyPkcs1({ certificate, signature, data });
    else await verifyPkcs7({ certificate, signedData: signature, data });
  } catch (error) {
    if (error instanceof SignatureRejected) fail("SIGNATURE_INVALID", { cause: error });
    throw error;
  }

  try {
    await verifyChain(certificate, trust, now);
  } catch (error) {
    if (error instanceof ChainRejected) fail("CERTIFICATE_UNTRUSTED", { cause: error });
    throw error;
  }

  const known = await statusSource.lookUp(certificate);
  if (!known) fail("CERTIFICATE_UNKNOWN");
  if (known.usage !== "SIGNING") fail("NOT_SIGNING_CERTIFICATE");
  if (known.cardNumber !== input.cardSN.toUpperCase()) fail("CARD_MISMATCH");
  const cardId = known.cardId;

  const decision = mayLogIn({
    signingCertificate: { notBefore: known.notBefore, notAfter: known.notAfter, extended: known.extended, status: known.status },
    now,
    window: reissueWindowSettings(),
  });
  if (!decision.allowed) fail(REFUSALS[decision.reason], { cardId });
  return { holderId: known.holderId, cardId, certificateId: known.certificateId, scope: decision.scope };
}

/**
 * Verifies a card login. Throws AppError (4xx, bilingual message) for anything wrong, after counting the failure
 * against the address and the card and writing an audit event that holds no personal data.
 */
export async function verifyCardLogin({
  body, preLoginToken, ip, now = new Date(), statusSource = certificateStatusSource(), trust,
}: {
  body: unknown;
  /** From the browser's pre-login cookie; undefined when it sent none. */
  preLoginToken: string | undefined;
  ip: string;
  now?: Date;
  statusSource?: CertificateStatusSource;
  trust?: TrustStore;
}): Promise<CardLoginSuccess> {
  const parsed = cardLoginSchema.safeParse(body);
  // Malformed requests count against the address too: garbage is the cheapest way to probe.
  const card = parsed.success ? parsed.data.cardSN.toUpperCase() : undefined;

  const wait = Math.max(
    await retryAfterSeconds(LOGIN_FAILURE_LIMITS.ip, ip),
    card ? await retryAfterSeconds(LOGIN_FAILURE_LIMITS.card, card) : 0,
  );
  if (wait > 0) {
    const { status, message } = LOGIN_ERRORS.TOO_MANY_ATTEMPTS;
    throw new AppError("TOO_MANY_ATTEMPTS", message, status, { retryAfterSeconds: wait });
  }

  try {
    if (!parsed.success) fail("REQUEST_MALFORMED");
    const success = await checkCard(parsed.data, { now, trust: trust ?? (await trustStore()), statusSource, preLoginToken });
    await recordAuditEvent({
      actor: { type: "CITIZEN", id: success.holderId },
      action: "auth.card_login",
      subject: { type: "card", id: success.cardId },
      details: { scope: success.scope, signatureType: parsed.data.signatureType },
    });
    return success;
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const cardId = error instanceof LoginFailure ? error.cardId : undefined;
    // The CA not answering is no failed login: counted, an outage would lock every holder out once it ends.
    if (!(error instanceof CertificateStatusUnavailable)) {
      await Promise.all([
        countAttempt(LOGIN_FAILURE_LIMITS.ip, ip),
        // Issue 13: only a refusal of a card that proved itself (its own signature, its certificate known to the CA
        // under this card number) counts against the card: junk naming a number must not lock its holder out.
        card && cardId ? countAttempt(LOGIN_FAILURE_LIMITS.card, card) : undefined,
      ]);
    }
    await recordAuditEvent({
      actor: { type: "CITIZEN" },
      action: "auth.card_login_failed",
      ...(cardId ? { subject: { type: "card", id: cardId } } : {}),
      details: { code: error.code, signatureType: parsed.success ? parsed.data.signatureType : null },
    });
    throw error;
  }
}
