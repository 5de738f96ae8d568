// Reading what the CA's OCSP responder and CRL server send back: never more than a byte cap, never longer than
// a timeout, so a slow or hostile endpoint cannot hold a login or fill memory.
import { readCappedBytes, ReplyTooLargeError } from "~/lib/partner-reply.server";

/** The endpoint did not answer usably (network, timeout, HTTP status, too large). */
export class PartnerReplyFailed extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PartnerReplyFailed";
  }
}

export async function fetchCapped(
  url: string,
  init: RequestInit,
  { timeoutMs, maxBytes }: { timeoutMs: number; maxBytes: number },
): Promise<Uint8Array<ArrayBuffer>> {
  const where = new URL(url).host;
  const signal = AbortSignal.timeout(timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal, redirect: "error" });
  } catch (error) {
    throw new PartnerReplyFailed(`${where} did not answer (${(error as Error).name})`, { cause: error });
  }
  if (!response.ok || !response.body) {
    await response.body?.cancel().catch(() => {});
    throw new PartnerReplyFailed(`${where} answered HTTP ${response.status}`);
  }
  try {
    return await readCappedBytes(response, maxBytes);
  } catch (error) {
    if (error instanceof ReplyTooLargeError) throw new PartnerReplyFailed(`${where} sent more than ${maxBytes} bytes`);
    throw new PartnerReplyFailed(`${where} broke off its answer (${(error as Error).name})`, { cause: error });
  }
}
