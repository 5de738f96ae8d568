// A partner reply that never ends (no Content-Length): a client that reads it whole hangs, one with a cap stops.
export function endlessBody(chunkBytes = 64 * 1024): { body: ReadableStream<Uint8Array>; produced: () => number } {
  let produced = 0;
  const chunk = new Uint8Array(chunkBytes).fill(0x20);
  return {
    body: new ReadableStream({
      pull(controller) {
        produced += chunk.byteLength;
        controller.enqueue(chunk);
      },
    }),
    produced: () => produced,
  };
}
