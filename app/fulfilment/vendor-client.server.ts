// The HTTP client of the card-printing vendor (docs/print-vendor-interface.md): signs each request, checks each
// reply's signature before reading it, validates it with the protocol's schemas, and turns every failure into a
// VendorError whose code alone says what happened. Vendor messages and holder names never reach an error or a
// log from here: the vendor's words may quote what it was sent.
import type { ZodType } from "zod";
import { env } from "~/lib/env.server";
import { readCappedText, ReplyTooLargeError } from "~/lib/partner-reply.server";
import {
  VendorError,
  batchStatusSchema,
  certificateDeliveryReplySchema,
  vendorErrorSchema,
  type BatchStatus,
  type BatchSubmission,
  type CertificateDelivery,
  type PrintVendor,
} from "./vendor-protocol";
import { VENDOR_SIGNATURE_HEADER, signVendorRequest, verifyVendorReply } from "./vendor-signature.server";

export const DEFAULT_VENDOR_TIMEOUT_MS = 15_000;
/** A batch status lists at most PRINT_BATCH_MAX_SIZE (5,000) cards of a few hundred bytes each. */
export const MAX_VENDOR_REPLY_BYTES = 4 * 1024 * 1024;

const CODE = /^[A-Z][A-Z0-9_]{1,63}$/;

export function createVendorClient(options: {
  baseUrl: string;
  secret: string;
  /** For the whole call, reply body included. */
  timeoutMs?: number;
  now?: () => Date;
}): PrintVendor {
  const { secret, timeoutMs = DEFAULT_VENDOR_TIMEOUT_MS, now = () => new Date() } = options;
  const base = options.baseUrl.replace(/\/+$/, "");

  async function call<T>(method: "GET" | "PUT", path: string, payload: unknown, schema: ZodType<T>): Promise<T> {
    const url = new URL(base + path);
    const signedPath = url.pathname + url.search;
    const body = payload === undefined ? "" : JSON.stringify(payload);
    const headers = new Headers({ Accept: "application/json" });
    if (payload !== undefined) headers.set("Content-Type", "application/json; charset=utf-8");
    headers.set(
      VENDOR_SIGNATURE_HEADER,
      signVendorRequest({ secret, timestampSeconds: Math.floor(now().getTime() / 1000), method, path: signedPath, body }),
    );

    const signal = AbortSignal.timeout(timeoutMs);
    let status: number;
    let text: string;
    let signature: string | null;
    try {
      const response = await fetch(url, { method, headers, body: payload === undefined ? undefined : body, signal });
      status = response.status;
      signature = response.headers.get(VENDOR_SIGNATURE_HEADER);
      text = await readCappedText(response, MAX_VENDOR_REPLY_BYTES);
    } catch (error) {
      if (error instanceof ReplyTooLargeError) throw new VendorError("REPLY_TOO_LARGE", false);
      // The same request may be sent again: the batch number makes a submission idempotent at the vendor.
      throw new VendorError(signal.aborted ? "TIMEOUT" : "NETWORK_ERROR", true, undefined, { cause: error });
    }

    // A proxy or load balancer in front of the vendor answers these unsigned; either way, try again later.
    if (status >= 500 || status === 429) {
      throw new VendorError(status === 429 ? "RATE_LIMITED" : (errorCode(text) ?? "VENDOR_UNAVAILABLE"), true, status);
    }
    try {
      verifyVendorReply({ secret, header: signature, status, method, path: signedPath, body: text, now: now() });
    } catch (error) {
      throw new VendorError("REPLY_SIGNATURE_INVALID", false, status, { cause: error });
    }
    if (status < 200 || status > 299) {
      throw new VendorError(errorCode(text) ?? `HTTP_${status}`, false, status);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new VendorError("REPLY_MALFORMED", false, status);
    }
    const parsed = schema.safeParse(json);
    // The issues are not kept as the cause: they could quote a value from the reply.
    if (!parsed.success) throw new VendorError("REPLY_MALFORMED", false, status);
    return parsed.data;
  }

  const batchPath = (batchNumber: string) => `/v1/batches/${encodeURIComponent(batchNumber)}`;

  /** A reply about another batch than the one asked for is as unusable as an unreadable one. */
  function sameBatch(batchNumber: string, status: BatchStatus): BatchStatus {
    if (status.batchNumber !== batchNumber) throw new VendorError("REPLY_MALFORMED", false);
    return status;
  }

  return {
    async submitBatch(batch: BatchSubmission) {
      return sameBatch(batch.batchNumber, await call("PUT", batchPath(batch.batchNumber), batch, batchStatusSchema));
    },
    async getBatch(batchNumber: string) {
      return sameBatch(batchNumber, await call("GET", batchPath(batchNumber), undefined, batchStatusSchema));
    },
    async deliverCertificates(batchNumber: string, orderNumber: string, delivery: CertificateDelivery) {
      const path = `${batchPath(batchNumber)}/cards/${encodeURIComponent(orderNumber)}/certificates`;
      const reply = await call("PUT", path, delivery, certificateDeliveryReplySchema);
      if (reply.orderNumber !== orderNumber) throw new VendorError("REPLY_MALFORMED", false);
    },
  };
}

/** The client for PRINT_VENDOR_URL with PRINT_VENDOR_SECRET; null while either is unset (batches then wait). */
export function vendorClientFromEnv(): PrintVendor | null {
  const { PRINT_VENDOR_URL, PRINT_VENDOR_SECRET } = env();
  if (!PRINT_VENDOR_URL || !PRINT_VENDOR_SECRET) return null;
  return createVendorClient({ baseUrl: PRINT_VENDOR_URL, secret: PRINT_VENDOR_SECRET });
}

/** The vendor's error code when the body is a vendorErrorSchema reply with a well-formed code; its message is dropped. */
function errorCode(text: string): string | null {
  try {
    const parsed = vendorErrorSchema.safeParse(JSON.parse(text));
    return parsed.success && CODE.test(parsed.data.error.code) ? parsed.data.error.code : null;
  } catch {
    return null;
  }
}
