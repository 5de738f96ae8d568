// The page's two calls to its resource routes (/activate/card, /activate/confirm), JSON both ways. A refusal
// arrives as { error: { code, message: { "zh-TW", en } } } (app/lib/http.server.ts errorResponse).
import type { ActivationPreview, ActivationReceipt } from "~/activation/activation.server";
import type { Locale } from "~/lib/i18n";
import { activationText } from "./activation-text";

type Bilingual = Record<Locale, string>;

/** A refusal by the server (its code and bilingual message), or "NETWORK"/"UNEXPECTED" when there was no readable answer. */
export class ActivationApiError extends Error {
  constructor(
    readonly code: string,
    readonly bilingual: Bilingual | null,
    readonly status: number,
  ) {
    super(`activation request failed: ${code} (${status})`);
    this.name = "ActivationApiError";
  }

  messageIn(locale: Locale): string {
    if (this.bilingual) return this.bilingual[locale];
    return activationText(locale, this.code === "NETWORK" ? "error.network" : "error.unexpected");
  }
}

function isBilingual(value: unknown): value is Bilingual {
  return !!value && typeof value === "object" && typeof (value as Bilingual)["zh-TW"] === "string" && typeof (value as Bilingual).en === "string";
}

async function postJson<T>(path: string, body: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    throw new ActivationApiError("NETWORK", null, 0);
  }
  const answer: unknown = await response.json().catch(() => null);
  if (response.ok && answer && typeof answer === "object") return answer as T;
  const error = (answer as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  throw new ActivationApiError(
    typeof error?.code === "string" ? error.code : "UNEXPECTED",
    isBilingual(error?.message) ? error.message : null,
    response.status,
  );
}

export interface CardReadingBody {
  cardNumber: string;
  certificates: string[];
}

export function requestActivationPreview(reading: CardReadingBody): Promise<ActivationPreview> {
  return postJson("/activate/card", reading);
}

export function requestActivation(reading: CardReadingBody, userCode: string): Promise<ActivationReceipt> {
  return postJson("/activate/confirm", { ...reading, userCode, accepted: true });
}
