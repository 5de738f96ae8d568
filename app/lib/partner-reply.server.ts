// Replies from partners (the printing vendor, the post office, the CA's OCSP responder and CRL) are read with a byte cap: a broken or hostile
// partner must not make a worker buffer an endless body. The stream is cancelled at the first byte too many.
export class ReplyTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`the partner's reply is larger than ${maxBytes} bytes`);
    this.name = "ReplyTooLargeError";
  }
}

/** The reply's body as UTF-8 text, at most maxBytes; a larger Content-Length is refused before reading. */
export async function readCappedText(response: Response, maxBytes: number): Promise<string> {
  return Buffer.from(await readCappedBytes(response, maxBytes)).toString("utf8");
}

/** The reply's body, at most maxBytes; a larger Content-Length is refused before reading (ReplyTooLargeError). */
export async function readCappedBytes(response: Response, maxBytes: number): Promise<Uint8Array<ArrayBuffer>> {
  const declared = Number(response.headers.get("Content-Length") ?? 0);
  if (declared > maxBytes) {
    void response.body?.cancel().catch(() => {});
    throw new ReplyTooLargeError(maxBytes);
  }
  if (!response.body) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      // Not awaited: a cancel can wait on the other side; the connection is dropped either way.
      void reader.cancel().catch(() => {});
      throw new ReplyTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  return new Uint8Array(Buffer.concat(chunks));
}
