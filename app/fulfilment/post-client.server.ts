// The HTTP client of the post office tracking adapter (tracking-protocol.ts, docs/post-office-interface.md).
// It only asks and validates; what a reply means for the order is tracking.server.ts's business.
import type { TrackingStatus } from "~/generated/prisma/client";
import { env, type Env } from "~/lib/env.server";
import { readCappedText, ReplyTooLargeError } from "~/lib/partner-reply.server";
import {
  MAIL_NOT_FOUND,
  MAIL_NUMBER_PATTERN,
  TRACKING_API_KEY_HEADER,
  postErrorSchema,
  trackingPath,
  trackingReplySchema,
  type WireTrackingStatus,
} from "./tracking-protocol";

export interface TrackingReport {
  mailNumber: string;
  events: Array<{ status: TrackingStatus; occurredAt: Date; office: string | null }>;
}

/** What the tracking domain needs from the post; createPostTrackingClient() is the HTTP one. */
export interface PostTracking {
  /** Every event the post has for the letter, in no particular order; none yet (not scanned) is an empty list. */
  track(mailNumber: string): Promise<TrackingReport>;
}

/**
 * A tracking call that failed. `transient` (network, timeout, 5xx, 429): ask again later. Otherwise the post
 * refused the request (401, 400, an unknown path) or answered with something unreadable: an operator must look.
 */
export class PostTrackingError extends Error {
  constructor(
    readonly code: string,
    readonly transient: boolean,
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(`post tracking: ${code}${httpStatus ? ` (HTTP ${httpStatus})` : ""}`, options);
    this.name = "PostTrackingError";
  }
}

const STATUS_FROM_WIRE: Record<WireTrackingStatus, TrackingStatus> = {
  accepted: "ACCEPTED",
  in_transit: "IN_TRANSIT",
  delivered: "DELIVERED",
  returned: "RETURNED",
};

const DEFAULT_TIMEOUT_MS = 10_000;
/** A letter has a handful of events; anything near this is not a tracking reply. */
const MAX_REPLY_BYTES = 256 * 1024;
/** An error body is a code and a message. */
const MAX_ERROR_BYTES = 16 * 1024;

async function readReply(response: Response): Promise<unknown> {
  let text: string;
  try {
    text = await readCappedText(response, MAX_REPLY_BYTES);
  } catch (error) {
    if (error instanceof ReplyTooLargeError) throw new PostTrackingError("REPLY_TOO_LARGE", false, response.status);
    throw new PostTrackingError("NETWORK", true, response.status, { cause: error });
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new PostTrackingError("MALFORMED_REPLY", false, response.status, { cause: error });
  }
}

/** The error code the post gave, when its error body is readable. */
async function errorCode(response: Response): Promise<string | null> {
  try {
    const parsed = postErrorSchema.safeParse(JSON.parse(await readCappedText(response, MAX_ERROR_BYTES)));
    return parsed.success ? parsed.data.error.code : null;
  } catch {
    return null;
  }
}

export function createPostTrackingClient({
  baseUrl,
  apiKey,
  timeoutMs = DEFAULT_TIMEOUT_MS,
}: {
  baseUrl: string;
  apiKey: string;
  timeoutMs?: number;
}): PostTracking {
  const root = baseUrl.replace(/\/+$/, "");
  return {
    async track(mailNumber) {
      if (!MAIL_NUMBER_PATTERN.test(mailNumber)) throw new PostTrackingError("INVALID_MAIL_NUMBER", false);
      let response: Response;
      try {
        response = await fetch(`${root}${trackingPath(mailNumber)}`, {
          method: "GET",
          headers: { Accept: "application/json", [TRACKING_API_KEY_HEADER]: apiKey },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        const timedOut = error instanceof DOMException && (error.name === "TimeoutError" || error.name === "AbortError");
        throw new PostTrackingError(timedOut ? "TIMEOUT" : "NETWORK", true, undefined, { cause: error });
      }

      if (response.status === 404) {
        const code = await errorCode(response);
        // Not scanned at the counter yet: no events. A 404 without that code is a wrong URL, which must not
        // look like a letter that never moves.
        if (code === MAIL_NOT_FOUND) return { mailNumber, events: [] };
        throw new PostTrackingError(code ?? "NOT_FOUND", false, 404);
      }
      if (!response.ok) {
        const transient = response.status >= 500 || response.status === 429 || response.status === 408;
        throw new PostTrackingError((await errorCode(response)) ?? `HTTP_${response.status}`, transient, response.status);
      }

      const parsed = trackingReplySchema.safeParse(await readReply(response));
      if (!parsed.success) throw new PostTrackingError("MALFORMED_REPLY", false, response.status, { cause: parsed.error });
      if (parsed.data.mailNumber !== mailNumber) throw new PostTrackingError("MAIL_NUMBER_MISMATCH", false, response.status);
      return {
        mailNumber,
        events: parsed.data.events.map((event) => ({
          status: STATUS_FROM_WIRE[event.status],
          occurredAt: new Date(event.occurredAt),
          office: event.office,
        })),
      };
    },
  };
}

/** The configured adapter, or null when POST_TRACKING_URL / POST_TRACKING_API_KEY are unset (letters wait). */
export function postTrackingFromEnv(
  config: Pick<Env, "POST_TRACKING_URL" | "POST_TRACKING_API_KEY"> = env(),
): PostTracking | null {
  if (!config.POST_TRACKING_URL || !config.POST_TRACKING_API_KEY) return null;
  return createPostTrackingClient({ baseUrl: config.POST_TRACKING_URL, apiKey: config.POST_TRACKING_API_KEY });
}
