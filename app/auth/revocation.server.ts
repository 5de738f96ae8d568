// Whether the CA has revoked or suspended a certificate: its OCSP responder first, its CRL when the responder
// cannot be reached or gives an answer not to be believed, nothing when neither answers (the caller fails closed).
// Answers are kept in this process until the response's nextUpdate, never longer than `cacheSeconds` (≤ 5 min;
// 60 s by default, so a revocation is seen within a minute). In-process rather than in Redis: every process
// verifies the CA's signature itself, and a lost cache costs one request to the responder, not a wrong answer.
import { logger } from "~/lib/logger.server";
import type { x509 } from "~/lib/x509.server";
import { CrlFailure, downloadCrl, serialKey, type CrlSnapshot } from "./crl.server";
import { OcspFailure, queryOcsp, type OcspAnswer } from "./ocsp.server";

export type RevocationStatus = "good" | "suspended" | "revoked" | "unknown";

/** Neither the responder nor the CRL gave a usable answer. */
export class RevocationStatusUnavailable extends Error {
  constructor(options: { cause: unknown }) {
    super("neither the OCSP responder nor the CRL answered usably", options);
    this.name = "RevocationStatusUnavailable";
  }
}

const CERTIFICATE_HOLD = 6;
const MAX_CACHED = 10_000;
/** After a failed OCSP request the CRL is used straight away for this long (a dead responder costs no timeouts). */
const OCSP_BACKOFF_MS = 30_000;

export interface RevocationChecker {
  check(certificate: x509.X509Certificate, issuer: x509.X509Certificate): Promise<RevocationStatus>;
  /** How many requests went to each endpoint (for tests and logs). */
  readonly requests: { ocsp: number; crl: number };
}

export function createRevocationChecker(o: {
  ocspUrl: string;
  crlUrl: string;
  /** Upper bound on how long an answer is reused, in seconds (0 = never). */
  cacheSeconds: number;
  clock?: () => Date;
  timeouts?: { ocspMs?: number; crlMs?: number };
}): RevocationChecker {
  const clock = o.clock ?? (() => new Date());
  const answers = new Map<string, { status: RevocationStatus; expiresAt: number }>();
  let crl: { snapshot: CrlSnapshot; expiresAt: number; issuer: string } | undefined;
  let ocspBackoffUntil = 0;
  const requests = { ocsp: 0, crl: 0 };

  const expiry = (now: Date, nextUpdate: Date | undefined) =>
    nextUpdate ? Math.min(nextUpdate.getTime(), now.getTime() + o.cacheSeconds * 1000) : now.getTime();

  const remember = (key: string, status: RevocationStatus, expiresAt: number) => {
    if (expiresAt <= clock().getTime()) return;
    if (answers.size >= MAX_CACHED) answers.delete(answers.keys().next().value!);
    answers.set(key, { status, expiresAt });
  };

  async function fromCrl(certificate: x509.X509Certificate, issuer: x509.X509Certificate, now: Date): Promise<RevocationStatus> {
    if (!crl || crl.expiresAt <= now.getTime() || crl.issuer !== issuer.subject) {
      requests.crl++;
      const snapshot = await downloadCrl({ url: o.crlUrl, issuer, now, timeoutMs: o.timeouts?.crlMs });
      crl = { snapshot, expiresAt: expiry(now, snapshot.nextUpdate), issuer: issuer.subject };
    }
    const entry = crl.snapshot.revoked.get(serialKey(certificate.serialNumber));
    if (!entry) return "good";
    return entry.reason === CERTIFICATE_HOLD ? "suspended" : "revoked";
  }

  return {
    requests,
    async check(certificate, issuer) {
      const now = clock();
      const key = `${issuer.subject}\n${serialKey(certificate.serialNumber)}`;
      const cached = answers.get(key);
      if (cached && cached.expiresAt > now.getTime()) return cached.status;
      answers.delete(key);

      let ocspProblem: unknown;
      if (now.getTime() >= ocspBackoffUntil) {
        try {
          requests.ocsp++;
          const answer = await queryOcsp({ url: o.ocspUrl, certificate, issuer, now, timeoutMs: o.timeouts?.ocspMs });
          const status = statusOf(answer);
          remember(key, status, expiry(now, answer.nextUpdate));
          return status;
        } catch (error) {
          if (!(error instanceof OcspFailure)) throw error;
          ocspProblem = error;
          ocspBackoffUntil = now.getTime() + OCSP_BACKOFF_MS;
          logger().warn({ reason: error.reason }, "certificate status: the OCSP responder gave no usable answer; using the CRL");
        }
      }
      try {
        return await fromCrl(certificate, issuer, now);
      } catch (error) {
        if (!(error instanceof CrlFailure)) throw error;
        logger().error({ ocsp: (ocspProblem as OcspFailure | undefined)?.reason ?? "BACKING_OFF", crl: error.reason }, "certificate status unavailable: neither OCSP nor CRL answered");
        throw new RevocationStatusUnavailable({ cause: error });
      }
    },
  };
}

function statusOf(answer: OcspAnswer): RevocationStatus {
  if (answer.status === "revoked") return answer.reason === CERTIFICATE_HOLD ? "suspended" : "revoked";
  return answer.status;
}
