// Both directions of the card-printing vendor's API are signed (docs/print-vendor-interface.md), with the
// shared PRINT_VENDOR_SECRET, as `X-Vendor-Signature: t=<unix s>,v1=<hex HMAC-SHA256>`:
//   request: "<t>.<METHOD> <path?query>.<raw body>"
//   reply:   "<t>.<status> <METHOD> <path?query>.<raw body of the reply>"
// The reply's string names the request it answers, so a reply captured for one call cannot be passed off as the
// answer to another (e.g. an old "queued" batch for a later GET, or a 200 for a call that failed).
// Pure functions without env or I/O: the service, the demo vendor (scripts/demo-partners/vendor.ts) and tests share them.
import { createHmac, timingSafeEqual } from "node:crypto";

export const VENDOR_SIGNATURE_HEADER = "X-Vendor-Signature";
/** A signed message older (or further in the future) than this is refused: a captured one cannot be replayed later. */
export const VENDOR_SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type VendorSignatureProblem = "missing" | "malformed" | "stale" | "mismatch";

/** Why a signature was refused. The message names the problem only, never the body or the secret. */
export class VendorSignatureError extends Error {
  constructor(readonly problem: VendorSignatureProblem) {
    super(
      {
        missing: `missing ${VENDOR_SIGNATURE_HEADER} header`,
        malformed: "expected t=<unix seconds>,v1=<hex>",
        stale: "timestamp outside the 5-minute tolerance",
        mismatch: "signature does not match",
      }[problem],
    );
    this.name = "VendorSignatureError";
  }
}

/** One secret, or several while one is rotated: signing with several sends one v1 for each. */
type Secrets = string | readonly string[];

interface RequestParts {
  method: string;
  /** The URL's path and query exactly as sent, e.g. `/v1/batches/P1151123-0001` (the URL's pathname + search). */
  path: string;
  /** The raw body; "" for none (GET). */
  body: string;
}

interface ReplyParts extends RequestParts {
  /** The reply's HTTP status. `method` and `path` are those of the request it answers; `body` is the reply's. */
  status: number;
}

const requestPayload = (t: number | string, o: RequestParts) => `${t}.${o.method.toUpperCase()} ${o.path}.${o.body}`;
const replyPayload = (t: number | string, o: ReplyParts) => `${t}.${o.status} ${o.method.toUpperCase()} ${o.path}.${o.body}`;

const hmac = (secret: string, payload: string) => createHmac("sha256", secret).update(payload, "utf8").digest("hex");
const secretList = (secrets: Secrets): readonly string[] => (typeof secrets === "string" ? [secrets] : secrets);

function header(secrets: Secrets, timestampSeconds: number, payload: string): string {
  if (!Number.isInteger(timestampSeconds) || timestampSeconds < 0) throw new Error("timestampSeconds: whole unix seconds");
  const list = secretList(secrets);
  if (list.length === 0 || list.some((secret) => !secret)) throw new Error("a vendor signature needs a secret");
  return [`t=${timestampSeconds}`, ...list.map((secret) => `v1=${hmac(secret, payload)}`)].join(",");
}

/** The header value the service sends with a request. */
export function signVendorRequest(o: RequestParts & { secret: Secrets; timestampSeconds: number }): string {
  return header(o.secret, o.timestampSeconds, requestPayload(o.timestampSeconds, o));
}

/** The header value the vendor sends with its reply to a request. */
export function signVendorReply(o: ReplyParts & { secret: Secrets; timestampSeconds: number }): string {
  return header(o.secret, o.timestampSeconds, replyPayload(o.timestampSeconds, o));
}

/**
 * Throws a VendorSignatureError unless `header` carries a fresh HMAC of this exact request. Any of the header's
 * v1 values may match any of the secrets (key rotation on either side).
 */
export function verifyVendorRequest(o: RequestParts & { secret: Secrets; header: string | null; now?: Date }): void {
  verify(o.header, o.secret, o.now ?? new Date(), (t) => requestPayload(t, o));
}

/** Throws a VendorSignatureError unless `header` carries a fresh HMAC of this reply to this request. */
export function verifyVendorReply(o: ReplyParts & { secret: Secrets; header: string | null; now?: Date }): void {
  verify(o.header, o.secret, o.now ?? new Date(), (t) => replyPayload(t, o));
}

function verify(value: string | null, secrets: Secrets, now: Date, payload: (t: string) => string): void {
  if (!value) throw new VendorSignatureError("missing");
  let timestamp: string | undefined;
  const candidates: string[] = [];
  for (const part of value.split(",")) {
    const [key, v] = part.trim().split("=", 2);
    if (key === "t") timestamp = v;
    else if (key === "v1" && v) candidates.push(v.toLowerCase());
  }
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || candidates.length === 0) throw new VendorSignatureError("malformed");
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > VENDOR_SIGNATURE_TOLERANCE_SECONDS) {
    throw new VendorSignatureError("stale");
  }
  const signed = payload(timestamp);
  const expected = secretList(secrets).map((secret) => Buffer.from(hmac(secret, signed), "utf8"));
  const ok = candidates.some((candidate) => {
    const given = Buffer.from(candidate, "utf8");
    // Every comparison runs, so the time taken does not tell which secret or value came close.
    return expected.reduce((match, wanted) => (given.length === wanted.length && timingSafeEqual(given, wanted)) || match, false);
  });
  if (!ok) throw new VendorSignatureError("mismatch");
}
