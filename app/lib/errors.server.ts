// One error type for what the user (or an operator) should read: a stable code, a bilingual message,
// and the HTTP status a route should answer with. Anything else is a bug and becomes a generic 500.
export interface Bilingual {
  "zh-TW": string;
  en: string;
}

export class AppError extends Error {
  /** For 429 answers: when the client may try again. */
  readonly retryAfterSeconds?: number;

  constructor(
    readonly code: string,
    readonly userMessage: Bilingual,
    readonly status = 400,
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(`${code}: ${userMessage.en}`, options);
    this.retryAfterSeconds = options?.retryAfterSeconds;
    this.name = "AppError";
  }
}
