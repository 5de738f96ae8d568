import { z } from "zod";

/**
 * 003: 用戶代碼 — 6 to 10 characters, letters, digits and symbols, case-sensitive, chosen by the holder.
 * Printable ASCII without the space: what a card-reader page and a household-office form can both take.
 */
export const userCodeSchema = z
  .string()
  .regex(/^[\x21-\x7E]{6,10}$/, {
    error: "用戶代碼須為 6 至 10 個英文字母、數字或符號（區分大小寫，不可有空白）/ The user code is 6–10 letters, digits or symbols (case-sensitive, no spaces)",
  });

/** 002: 用戶代碼輸入錯誤 4 次 locks activation of the new card. */
export const ACTIVATION_MAX_WRONG_CODES = 4;
/** Issue 13: locks support may lift for one order until a registrar resets the code (then it counts again). */
export const ACTIVATION_MAX_LOCK_LIFTS = 2;

const certificateBase64 = z
  .string()
  .max(8_192)
  .regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: "not base64" });

/** What the activation page read from the card through HiCOS (pkcs11info?withcert=true): its number and certificates. */
export const cardReadingSchema = z.object({
  cardNumber: z.string().trim().toUpperCase().regex(/^[A-Z]{2}\d{14}$/),
  certificates: z.array(certificateBase64).min(1).max(4),
});

/** The holder's confirmation: the same reading, the user code, and acceptance of the certificates shown. */
export const activationRequestSchema = cardReadingSchema.extend({
  // Checked against userCodeSchema by the domain, so a malformed code gets its own message and costs no attempt.
  userCode: z.string().max(64),
  accepted: z.boolean(),
});

export type CardReading = z.infer<typeof cardReadingSchema>;
export type ActivationRequest = z.infer<typeof activationRequestSchema>;
