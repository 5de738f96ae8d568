// The CA's certificate revocation list (RFC 5280 §5), the fallback when its OCSP responder cannot be reached:
// downloaded with a byte cap and a timeout, its signature checked against the issuing CA, thisUpdate/nextUpdate
// honoured. Suspended certificates are on it with reason certificateHold.
import { x509 } from "~/lib/x509.server";
import { fetchCapped, PartnerReplyFailed } from "./revocation-http.server";

const CLOCK_SKEW_MS = 60_000;
const MAX_AGE_WITHOUT_NEXT_UPDATE_MS = 5 * 60_000;

export type CrlFailureReason = "UNREACHABLE" | "MALFORMED" | "WRONG_ISSUER" | "BAD_SIGNATURE" | "STALE";

export class CrlFailure extends Error {
  constructor(readonly reason: CrlFailureReason, detail: string, options?: { cause?: unknown }) {
    super(`${reason}: ${detail}`, options);
    this.name = "CrlFailure";
  }
}

export interface CrlSnapshot {
  thisUpdate: Date;
  nextUpdate?: Date;
  /** Serial (lower-case hex, no leading zeros) → revocation; reason 6 = certificateHold. */
  revoked: Map<string, { revokedAt: Date; reason?: number }>;
}

export const serialKey = (hex: string) => hex.toLowerCase().replace(/^0+(?=.)/, "");

/** Checks a DER CRL from `issuer`, at `now`. */
export async function readCrl(o: { der: Uint8Array<ArrayBuffer>; issuer: x509.X509Certificate; now: Date }): Promise<CrlSnapshot> {
  let crl: x509.X509Crl;
  try {
    crl = new x509.X509Crl(o.der);
  } catch (error) {
    throw new CrlFailure("MALFORMED", "not a DER certificate revocation list", { cause: error });
  }
  if (crl.issuer !== o.issuer.subject) throw new CrlFailure("WRONG_ISSUER", "the list is not the issuing CA's");
  if (!(await crl.verify({ publicKey: o.issuer.publicKey }).catch(() => false))) {
    throw new CrlFailure("BAD_SIGNATURE", "the list's signature does not verify with the issuing CA's key");
  }
  const now = o.now.getTime();
  if (crl.thisUpdate.getTime() > now + CLOCK_SKEW_MS) throw new CrlFailure("STALE", "thisUpdate lies in the future");
  if (crl.nextUpdate ? crl.nextUpdate.getTime() < now - CLOCK_SKEW_MS : crl.thisUpdate.getTime() < now - MAX_AGE_WITHOUT_NEXT_UPDATE_MS) {
    throw new CrlFailure("STALE", "the list is past its nextUpdate");
  }
  const revoked = new Map<string, { revokedAt: Date; reason?: number }>();
  for (const entry of crl.entries) {
    // removeFromCRL (8) undoes a hold in a delta list: not revoked.
    if (entry.reason === x509.X509CrlReason.removeFromCRL) continue;
    revoked.set(serialKey(entry.serialNumber), { revokedAt: entry.revocationDate, ...(entry.reason === undefined ? {} : { reason: entry.reason }) });
  }
  return { thisUpdate: crl.thisUpdate, ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate } : {}), revoked };
}

/** Downloads and checks the CRL at `url`. CRLs of a large CA run to megabytes: the cap is generous but finite. */
export async function downloadCrl(o: {
  url: string;
  issuer: x509.X509Certificate;
  now: Date;
  timeoutMs?: number;
  maxBytes?: number;
}): Promise<CrlSnapshot> {
  let der: Uint8Array<ArrayBuffer>;
  try {
    der = await fetchCapped(o.url, { headers: { Accept: "application/pkix-crl" } }, {
      timeoutMs: o.timeoutMs ?? 10_000, maxBytes: o.maxBytes ?? 32 * 1024 * 1024,
    });
  } catch (error) {
    if (error instanceof PartnerReplyFailed) throw new CrlFailure("UNREACHABLE", error.message, { cause: error });
    throw error;
  }
  return readCrl({ der, issuer: o.issuer, now: o.now });
}
