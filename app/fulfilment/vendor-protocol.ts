// The card-printing vendor's HTTP JSON API, as both sides read it (docs/print-vendor-interface.md). The service
// validates every reply against these schemas before acting on it; the demo vendor validates every request.
//
//   PUT  /v1/batches/{batchNumber}                                      submit a batch (idempotent per number)
//   GET  /v1/batches/{batchNumber}                                      the state of each card in it
//   PUT  /v1/batches/{batchNumber}/cards/{orderNumber}/certificates     the certificates to write onto the card
//
// Requests and replies are signed (`X-Vendor-Signature`, see vendor-signature.server.ts).
import { z } from "zod";

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: "a date, YYYY-MM-DD" });
const base64 = z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: "base64" }).max(16_384);

export const BATCH_NUMBER_PATTERN = /^P\d{6,7}-\d{4}$/;
export const batchNumberSchema = z.string().regex(BATCH_NUMBER_PATTERN, { error: "a batch number, e.g. P1151123-0001" });
/** The order number without hyphens, as stored (1151123482153). */
export const vendorOrderNumberSchema = z.string().regex(/^\d{12,13}$/, { error: "an order number, 12–13 digits" });
export const vendorCardNumberSchema = z.string().regex(/^[A-Z]{2}\d{14}$/, { error: "a card number, 2 letters + 14 digits" });

/** One card to make: 002 — the card bears the holder's name and its validity dates. */
export const submittedCardSchema = z.object({
  orderNumber: vendorOrderNumberSchema,
  holderName: z.string().min(1).max(64),
  validFrom: isoDate,
  validUntil: isoDate,
});

export const batchSubmissionSchema = z.object({
  batchNumber: batchNumberSchema,
  cards: z.array(submittedCardSchema).min(1).max(5_000),
});
export type BatchSubmission = z.infer<typeof batchSubmissionSchema>;

/**
 * A card's state at the vendor. `personalised`: the chip generated its two key pairs and signed a PKCS#10 request
 * with each (proof that the private key is on the card); the vendor waits for the certificates.
 */
export const vendorCardSchema = z.discriminatedUnion("state", [
  z.object({ state: z.enum(["queued", "printing"]), orderNumber: vendorOrderNumberSchema }),
  z.object({
    state: z.literal("personalised"),
    orderNumber: vendorOrderNumberSchema,
    cardNumber: vendorCardNumberSchema,
    /** PKCS#10 certification requests, DER in base64. Only the public key and the signature are used. */
    signingCsr: base64,
    encryptionCsr: base64,
  }),
  z.object({ state: z.literal("certificates_written"), orderNumber: vendorOrderNumberSchema, cardNumber: vendorCardNumberSchema }),
  z.object({
    state: z.literal("dispatched"),
    orderNumber: vendorOrderNumberSchema,
    cardNumber: vendorCardNumberSchema,
    /** Chunghwa Post's registered-mail number (opaque digits). */
    mailNumber: z.string().regex(/^\d{10,32}$/, { error: "a mail number, digits" }),
    dispatchedAt: z.iso.datetime({ offset: true }),
  }),
  z.object({
    state: z.literal("rejected"),
    orderNumber: vendorOrderNumberSchema,
    /** e.g. NAME_NOT_PRINTABLE, CHIP_FAILURE, DUPLICATE_ORDER. */
    reasonCode: z.string().regex(/^[A-Z][A-Z0-9_]{1,63}$/),
    /** The vendor's words; may not be shown to citizens, and never holds the name itself. */
    reason: z.string().max(500),
  }),
]);
export type VendorCard = z.infer<typeof vendorCardSchema>;

/** The reply to a submission and to GET: every card of the batch. */
export const batchStatusSchema = z.object({
  batchNumber: batchNumberSchema,
  receivedAt: z.iso.datetime({ offset: true }),
  cards: z.array(vendorCardSchema),
});
export type BatchStatus = z.infer<typeof batchStatusSchema>;

export const certificateDeliverySchema = z.object({
  cardNumber: vendorCardNumberSchema,
  /** DER in base64. */
  signingCertificate: base64,
  encryptionCertificate: base64,
});
export type CertificateDelivery = z.infer<typeof certificateDeliverySchema>;

export const certificateDeliveryReplySchema = z.object({
  orderNumber: vendorOrderNumberSchema,
  state: z.enum(["certificates_written", "dispatched"]),
});

/** Error replies (4xx/5xx): a code the service records, and words it does not. */
export const vendorErrorSchema = z.object({ error: z.object({ code: z.string().max(64), message: z.string().max(500) }) });

/** What the fulfilment domain needs from a vendor; createVendorClient() is the HTTP one. */
export interface PrintVendor {
  /** PUT the batch. The same number and body again returns the batch as it stands and prints nothing twice. */
  submitBatch(batch: BatchSubmission): Promise<BatchStatus>;
  getBatch(batchNumber: string): Promise<BatchStatus>;
  deliverCertificates(batchNumber: string, orderNumber: string, delivery: CertificateDelivery): Promise<void>;
}

/**
 * A vendor call that failed. `transient` (network, timeout, 5xx, 429): retry later with the same request.
 * Otherwise the vendor refused it (4xx) or replied with something unreadable: support must look.
 */
export class VendorError extends Error {
  constructor(
    readonly code: string,
    readonly transient: boolean,
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(`print vendor: ${code}${httpStatus ? ` (HTTP ${httpStatus})` : ""}`, options);
    this.name = "VendorError";
  }
}
