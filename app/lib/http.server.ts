// Request plumbing shared by JSON endpoints: a body size cap, same-origin checks for state-changing requests,
// and one shape for errors ({ error: { code, message: { "zh-TW", en } } }).
import { AppError } from "./errors.server";
import { logger } from "./logger.server";

export const DEFAULT_MAX_BODY_BYTES = 32 * 1024;

export const TOO_LARGE = new AppError("BODY_TOO_LARGE", { "zh-TW": "送出的資料過大。", en: "The request is too large." }, 413);
const NOT_JSON = new AppError("BODY_NOT_JSON", { "zh-TW": "送出的資料格式不正確。", en: "The request is not valid JSON." }, 400);

/** The exact bytes of the body, at most maxBytes (whatever Content-Length claims): what signatures are checked over. */
export async function readRawBody(request: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(request.headers.get("Content-Length") ?? 0);
  if (declared > maxBytes) throw TOO_LARGE;
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const chunk = reader ? await reader.read() : { done: true as const, value: undefined };
    if (chunk.done) break;
    size += chunk.value.byteLength;
    if (size > maxBytes) {
      await reader?.cancel();
      throw TOO_LARGE;
    }
    chunks.push(chunk.value);
  }
  return Buffer.concat(chunks);
}

/** Reads at most maxBytes of the body and parses it as JSON. */
export async function readJsonBody(request: Request, maxBytes = DEFAULT_MAX_BODY_BYTES): Promise<unknown> {
  if (!request.body) throw NOT_JSON;
  const body = await readRawBody(request, maxBytes);
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw NOT_JSON;
  }
}

/**
 * State-changing requests must come from our own pages. Browsers send Origin on POST; a request that names
 * another origin is refused (the SameSite=Lax cookie is the other half of the CSRF defence).
 */
export function assertSameOrigin(request: Request): void {
  const origin = request.headers.get("Origin");
  if (origin && origin !== new URL(request.url).origin) throw CROSS_ORIGIN;
}

export const CROSS_ORIGIN = new AppError("CROSS_ORIGIN", { "zh-TW": "請從本服務的網頁操作。", en: "Please use this service's own pages." }, 403);

export function errorResponse(error: unknown, headers?: HeadersInit): Response {
  if (error instanceof AppError) {
    const init: ResponseInit = { status: error.status, headers: new Headers(headers) };
    if (error.retryAfterSeconds) (init.headers as Headers).set("Retry-After", String(error.retryAfterSeconds));
    return Response.json({ error: { code: error.code, message: error.userMessage } }, init);
  }
  logger().error({ err: error instanceof Error ? error.message : String(error) }, "unexpected error");
  return Response.json(
    { error: { code: "INTERNAL", message: { "zh-TW": "系統暫時無法處理，請稍後再試。", en: "Something went wrong on our side. Please try again later." } } },
    { status: 500 },
  );
}
