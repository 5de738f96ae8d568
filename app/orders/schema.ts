// Client-safe. The application form (002/003 申請資料): what the applicant types, normalised, with field-level
// errors as keys of the orders catalogue (app/i18n/orders.zh-TW.ts) so the page shows them in its own language.
import { z } from "zod";
import { userCodeSchema } from "~/activation/schema";
import { isOutlyingIslandPostcode, POSTCODE_PATTERN } from "~/fulfilment/outlying-islands";
import { ordersZhTW, type OrdersMessageKey } from "~/i18n/orders.zh-TW";

export const APPLICATION_FIELDS = ["mobile", "email", "postcode", "address", "userCode", "userCodeConfirm", "terms"] as const;
export type ApplicationField = (typeof APPLICATION_FIELDS)[number];
/** What the page may echo back after a failed submission: never the user code (it would sit in the HTML). */
export const ECHOED_FIELDS = ["mobile", "email", "postcode", "address", "terms"] as const;
export type ApplicationValues = Partial<Record<(typeof ECHOED_FIELDS)[number], string>>;
export type FieldErrors = Partial<Record<ApplicationField, OrdersMessageKey>>;

export const ADDRESS_MIN_LENGTH = 6;
/** reissue_application.address is VARCHAR(200); the envelope printer needs far less. */
export const ADDRESS_MAX_LENGTH = 120;
/** 3-digit postcodes of Taiwan run from 100 (臺北市中正區) to 983 (花蓮縣富里鄉). */
const DOMESTIC_PREFIX = { from: 100, to: 983 } as const;

const message = (key: OrdersMessageKey) => ({ error: key });
const text = (required: OrdersMessageKey) => z.string(message(required)).trim().min(1, message(required));

/** 09 + 8 digits; people type 0912-345-678 or 0912 345 678, so spaces and dashes are dropped first. */
export const mobileSchema = text("field.mobile.required")
  .transform((value) => value.replace(/[\s\-–]/g, ""))
  .pipe(z.string().regex(/^09\d{8}$/, message("field.mobile.invalid")));

export const emailSchema = text("field.email.required").pipe(z.email(message("field.email.invalid")).max(254, message("field.email.invalid")));

/** A domestic 3, 5 or 6 digit postcode (3+2 or 3+3, with or without the hyphen), stored without the hyphen. */
export const postcodeSchema = text("field.postcode.required")
  .refine((value) => POSTCODE_PATTERN.test(value), message("field.postcode.invalid"))
  .refine((value) => {
    const prefix = Number(value.slice(0, 3));
    return prefix >= DOMESTIC_PREFIX.from && prefix <= DOMESTIC_PREFIX.to;
  }, message("field.postcode.invalid"))
  .transform((value) => value.replace("-", ""));

// Control characters and angle brackets have no place on an envelope.
const UNPRINTABLE = /[\u0000-\u001f\u007f<>]/;

export const addressSchema = text("field.address.required")
  .transform((value) => value.replace(/\s+/g, " "))
  .pipe(
    z
      .string()
      .min(ADDRESS_MIN_LENGTH, message("field.address.tooShort"))
      .max(ADDRESS_MAX_LENGTH, message("field.address.tooLong"))
      .refine((value) => !UNPRINTABLE.test(value), message("field.address.invalid")),
  );

export const applicationSchema = z
  .object({
    mobile: mobileSchema,
    email: emailSchema,
    postcode: postcodeSchema,
    address: addressSchema,
    // 003: 用戶代碼 6–10 characters, case-sensitive — kept exactly as typed, never trimmed.
    userCode: z.string(message("field.userCode.invalid")).pipe(userCodeSchema),
    userCodeConfirm: z.string(message("field.userCodeConfirm.mismatch")),
    terms: z.literal("on", message("field.terms.required")),
  })
  .refine((form) => form.userCode === form.userCodeConfirm, {
    path: ["userCodeConfirm"],
    error: "field.userCodeConfirm.mismatch",
    // Say so even when other fields are wrong too: both codes are typed again anyway.
    when: ({ value }) => {
      const form = value as { userCode?: unknown; userCodeConfirm?: unknown };
      return typeof form.userCode === "string" && typeof form.userCodeConfirm === "string";
    },
  })
  .transform(({ userCodeConfirm: _confirm, terms: _terms, ...form }) => ({
    ...form,
    outlyingIsland: isOutlyingIslandPostcode(form.postcode),
  }));

export type ApplicationInput = z.output<typeof applicationSchema>;

/** Issues that do not name a key of the catalogue (userCodeSchema's own text, zod defaults) get the field's own. */
const FALLBACK: Record<ApplicationField, OrdersMessageKey> = {
  mobile: "field.mobile.invalid",
  email: "field.email.invalid",
  postcode: "field.postcode.invalid",
  address: "field.address.invalid",
  userCode: "field.userCode.invalid",
  userCodeConfirm: "field.userCodeConfirm.mismatch",
  terms: "field.terms.required",
};

function isField(value: unknown): value is ApplicationField {
  return typeof value === "string" && (APPLICATION_FIELDS as readonly string[]).includes(value);
}

export type ApplicationParse =
  | { success: true; data: ApplicationInput }
  | { success: false; fieldErrors: FieldErrors; values: ApplicationValues };

/** Parses the submitted form; on failure, the first problem per field and the values safe to show again. */
export function parseApplication(form: Record<string, unknown>): ApplicationParse {
  const result = applicationSchema.safeParse(form);
  if (result.success) return { success: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0];
    if (!isField(field) || fieldErrors[field]) continue;
    fieldErrors[field] = Object.hasOwn(ordersZhTW, issue.message) ? (issue.message as OrdersMessageKey) : FALLBACK[field];
  }
  return { success: false, fieldErrors, values: echoedValues(form) };
}

export function echoedValues(form: Record<string, unknown>): ApplicationValues {
  const values: ApplicationValues = {};
  for (const field of ECHOED_FIELDS) {
    const value = form[field];
    if (typeof value === "string") values[field] = value.slice(0, 500);
  }
  return values;
}
