// Client-safe: what the support desk's search box and action forms accept. Field errors are keys of the support
// catalogue (app/i18n/support.*.ts), so each form shows them in the reader's language.
import { z } from "zod";
import { isValidNationalId, normalizeNationalId } from "~/cards/national-id";
import { parseOrderNumber } from "~/orders/order-number";

/** What one search box can hold, and so which index a look-up uses. */
export type SupportQuery =
  | { kind: "mail_number"; mailNumber: string }
  | { kind: "order_number"; orderNumber: string }
  | { kind: "card_number"; cardNumber: string }
  | { kind: "national_id"; nationalId: string };

export type SupportQueryKind = SupportQuery["kind"];

const CARD_NUMBER = /^[A-Z]{2}\d{14}$/;
const NATIONAL_ID_SHAPE = /^[A-Z]\d{9}$/;
// 002: registered-mail numbers are opaque digit strings (commonly 20); shorter ones exist for other services.
const MAIL_NUMBER = /^\d{8,32}$/;

/**
 * Reads what was typed (spaces and dashes as read out on the phone, any case) as one key, or null. An order
 * number passes its check digit first; any other run of digits is a registered-mail number.
 */
export function classifySupportQuery(input: string): SupportQuery | { kind: "invalid_national_id" } | null {
  const compact = input.replace(/[\s-]/g, "").toUpperCase();
  if (CARD_NUMBER.test(compact)) return { kind: "card_number", cardNumber: compact };
  if (NATIONAL_ID_SHAPE.test(compact)) {
    const id = normalizeNationalId(compact);
    return isValidNationalId(id) ? { kind: "national_id", nationalId: id } : { kind: "invalid_national_id" };
  }
  const orderNumber = parseOrderNumber(compact);
  if (orderNumber) return { kind: "order_number", orderNumber };
  if (MAIL_NUMBER.test(compact)) return { kind: "mail_number", mailNumber: compact };
  return null;
}

export const SUPPORT_QUERY_MAX = 40;

export const supportSearchSchema = z.object({
  query: z
    .string()
    .trim()
    .min(1, { error: "error.queryRequired" })
    .max(SUPPORT_QUERY_MAX, { error: "error.queryFormat" })
    .transform((value, ctx) => {
      const query = classifySupportQuery(value);
      if (query && query.kind !== "invalid_national_id") return query;
      ctx.addIssue({ code: "custom", message: query ? "error.nationalIdFormat" : "error.queryFormat" });
      return z.NEVER;
    }),
});

export const SUPPORT_REASON_MIN = 5;
export const SUPPORT_REASON_MAX = 500;
export const SUPPORT_NOTE_MAX = 2000;

const reason = z.string().trim().min(SUPPORT_REASON_MIN, { error: "error.reasonLength" }).max(SUPPORT_REASON_MAX, { error: "error.reasonLength" });

export const RESEND_MAIL_INTENT = "resend-mail";
export const ADD_NOTE_INTENT = "add-note";
export const NOT_RECEIVED_INTENT = "not-received";
export const RESOLVE_CASE_INTENT = "resolve-case";

export const OUTBOX_KINDS = ["PAID", "MAILED"] as const;

export const resendMailFormSchema = z.object({
  intent: z.literal(RESEND_MAIL_INTENT),
  kind: z.enum(OUTBOX_KINDS, { error: "error.mailKind" }),
  reason,
});

export const addNoteFormSchema = z.object({
  intent: z.literal(ADD_NOTE_INTENT),
  body: z.string().trim().min(1, { error: "error.noteLength" }).max(SUPPORT_NOTE_MAX, { error: "error.noteLength" }),
});

export const notReceivedFormSchema = z.object({
  intent: z.literal(NOT_RECEIVED_INTENT),
  reason,
});

export const resolveCaseFormSchema = z.object({
  intent: z.literal(RESOLVE_CASE_INTENT),
  caseId: z.uuid({ error: "error.caseUnknown" }),
  resolution: reason,
});
