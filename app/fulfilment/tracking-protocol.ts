// The post office tracking adapter's HTTP JSON API, as both sides read it (docs/post-office-interface.md).
// Chunghwa Post publishes no JSON tracking API: this is the adapter a contract with the post would provide. The
// service validates every reply against these schemas before acting on it; the demo post office answers with them.
//
//   GET  /v1/registered-mail/{mailNumber}          every tracking event of one letter, in any order
//   POST /demo/registered-mail/{mailNumber}/return  demo post office only: the letter comes back to the sender
//
// Requests carry the API key in `X-Api-Key`. 404 with code MAIL_NOT_FOUND means "no events yet" (the letter has not
// been scanned at the counter); any other 404 is a wrong address, not an empty letter.
import { z } from "zod";

export const TRACKING_API_KEY_HEADER = "X-Api-Key";
/** The 404 code that means "not scanned yet", as opposed to a wrong path. */
export const MAIL_NOT_FOUND = "MAIL_NOT_FOUND";

/** Chunghwa Post registered-mail numbers: opaque digits (commonly 20). */
export const MAIL_NUMBER_PATTERN = /^\d{10,32}$/;
export const mailNumberSchema = z.string().regex(MAIL_NUMBER_PATTERN, { error: "a mail number, digits" });

/**
 * accepted   — taken in at a post office counter (交寄)
 * in_transit — scanned at a sorting centre or the delivery office (運送中); may appear more than once
 * delivered  — handed over and signed for (投遞成功 / 已簽收)
 * returned   — not deliverable, on its way back to the sender (退回)
 */
export const wireTrackingStatusSchema = z.enum(["accepted", "in_transit", "delivered", "returned"]);
export type WireTrackingStatus = z.infer<typeof wireTrackingStatusSchema>;

export const wireTrackingEventSchema = z.object({
  status: wireTrackingStatusSchema,
  /** ISO 8601 with an offset (the post answers in +08:00). */
  occurredAt: z.iso.datetime({ offset: true }),
  /** The post office's or sorting centre's name: a place, never a person. */
  office: z.string().max(100).nullable(),
});
export type WireTrackingEvent = z.infer<typeof wireTrackingEventSchema>;

export const trackingReplySchema = z.object({
  mailNumber: mailNumberSchema,
  events: z.array(wireTrackingEventSchema).max(200),
});
export type TrackingReply = z.infer<typeof trackingReplySchema>;

/** Error replies (4xx/5xx): a code the service records, and words it does not. */
export const postErrorSchema = z.object({ error: z.object({ code: z.string().max(64), message: z.string().max(500) }) });
export type PostErrorReply = z.infer<typeof postErrorSchema>;

export function trackingPath(mailNumber: string): string {
  return `/v1/registered-mail/${encodeURIComponent(mailNumber)}`;
}

export function demoReturnPath(mailNumber: string): string {
  return `/demo/registered-mail/${encodeURIComponent(mailNumber)}/return`;
}
