// Reading what the CA's OCSP responder and CRL server send back: never more than a byte cap, never longer than
// a timeout, so a slow or hostile endpoint cannot hold a login or fill memory.

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
  const declared = Number(response.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await response.body.cancel().catch(() => {});
    throw new PartnerReplyFailed(`${where} sent more than ${maxBytes} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => {});
        throw new PartnerReplyFailed(`${where} sent more than ${maxBytes} bytes`);
      }
      chunks.push(value);
    }
  } catch (error) {
    if (error instanceof PartnerReplyFailed) throw error;
    throw new PartnerReplyFailed(`${where} broke off its answer (${(error as Error).name})`, { cause: error });
  }
  return new Uint8Array(Buffer.concat(chunks));
}
