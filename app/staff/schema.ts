// Client-safe: the staff forms' shapes. Field errors are keys of the staff catalogue (app/i18n/staff.*.ts), so
// each form shows them in the reader's language.
import { z } from "zod";
import { userCodeSchema } from "~/activation/schema";
import { isValidNationalId, normalizeNationalId } from "~/cards/national-id";
import { StaffRole } from "~/generated/prisma/enums";
import { parseOrderNumber } from "~/orders/order-number";

export const staffRoleSchema = z.enum(StaffRole);

export const STAFF_USERNAME_PATTERN = /^[a-z0-9._-]{3,64}$/;
export const STAFF_PASSWORD_MIN_LENGTH = 12;
// Long enough for any passphrase; short enough that scrypt is never handed a megabyte.
export const STAFF_PASSWORD_MAX_LENGTH = 256;

export const staffUsernameSchema = z.string().regex(STAFF_USERNAME_PATTERN, { error: "error.usernameFormat" });

export const staffPasswordSchema = z
  .string()
  .min(STAFF_PASSWORD_MIN_LENGTH, { error: "error.passwordTooShort" })
  .max(STAFF_PASSWORD_MAX_LENGTH, { error: "error.passwordTooLong" });

export const staffLoginSchema = z.object({
  username: z.string().trim().toLowerCase().min(1, { error: "error.usernameRequired" }).max(64, { error: "error.usernameRequired" }),
  // Only presence here: a length rule would tell an outsider something before the password is checked.
  password: z.string().min(1, { error: "error.passwordRequired" }).max(STAFF_PASSWORD_MAX_LENGTH, { error: "error.passwordRequired" }),
  next: z.string().max(2048).optional(),
});

export const CARD_NUMBER_PATTERN = /^[A-Z]{2}\d{14}$/;

/** One box for either number: a card number (2 letters + 14 digits) or an order number (with or without dashes). */
export const activationSearchSchema = z.object({
  query: z
    .string()
    .trim()
    .min(1, { error: "error.queryRequired" })
    .max(40, { error: "error.queryFormat" })
    .transform((value, ctx) => {
      const card = value.replace(/\s/g, "").toUpperCase();
      if (CARD_NUMBER_PATTERN.test(card)) return { cardNumber: card };
      const orderNumber = parseOrderNumber(value);
      if (orderNumber) return { orderNumber };
      ctx.addIssue({ code: "custom", message: "error.queryFormat" });
      return z.NEVER;
    }),
});

export const STAFF_REASON_MIN = 5;
export const STAFF_REASON_MAX = 500;
const reasonSchema = z
  .string()
  .trim()
  .min(STAFF_REASON_MIN, { error: "error.reasonLength" })
  .max(STAFF_REASON_MAX, { error: "error.reasonLength" });

export const LIFT_LOCK_INTENT = "lift-lock";
export const RESET_CODE_INTENT = "reset-code";

/** 002: support lifts the lock only for a holder who still remembers the code. */
export const liftLockFormSchema = z.object({
  intent: z.literal(LIFT_LOCK_INTENT),
  reason: reasonSchema,
  remembersCode: z.literal("on", { error: "error.remembersCodeRequired" }),
});

/** 002: a household registration office resets the code for the holder in person, or a proxy with a signed letter. */
export const resetCodeFormSchema = z
  .object({
    intent: z.literal(RESET_CODE_INTENT),
    // The format rule is the application's own (003): 6–10 printable characters, case-sensitive.
    newCode: z.string().refine((code) => userCodeSchema.safeParse(code).success, { error: "error.userCodeFormat" }),
    confirmation: z.string().min(1, { error: "error.confirmationRequired" }).max(64, { error: "error.codesDiffer" }),
    nationalId: z
      .string()
      .transform(normalizeNationalId)
      .refine(isValidNationalId, { error: "error.nationalIdFormat" }),
    proxy: z.literal("on").optional().transform((value) => value === "on"),
    reason: reasonSchema,
  })
  .refine((form) => form.newCode === form.confirmation, { path: ["confirmation"], error: "error.codesDiffer" });

export type StaffFieldErrors = Partial<Record<string, string>>;

/** The first message of each field, as catalogue keys. */
export function fieldErrorsOf(error: z.ZodError): StaffFieldErrors {
  const errors: StaffFieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= issue.message;
  }
  return errors;
}

/** The second sign-in step and enrolment: the 6 digits an authenticator shows (spaces allowed, as apps group them). */
export const staffCodeSchema = z.object({
  code: z
    .string()
    .max(20, { error: "error.codeFormat" })
    .transform((code) => code.replace(/\s/g, ""))
    .pipe(z.string().regex(/^\d{6}$/, { error: "error.codeFormat" })),
});

/** Changing one's own password; the rules (12+ characters, twice the same, not the current one) are the domain's. */
export const staffPasswordChangeSchema = z.object({
  currentPassword: z.string().min(1, { error: "error.passwordRequired" }).max(STAFF_PASSWORD_MAX_LENGTH, { error: "error.passwordRequired" }),
  password: z.string().min(1, { error: "error.passwordRequired" }).max(STAFF_PASSWORD_MAX_LENGTH, { error: "error.passwordTooLong" }),
  passwordConfirm: z.string().max(STAFF_PASSWORD_MAX_LENGTH, { error: "error.passwordsDiffer" }),
});

/** Redeeming an admin's one-time reset code. */
export const staffPasswordResetSchema = z.object({
  username: z.string().trim().toLowerCase().min(1, { error: "error.usernameRequired" }).max(64, { error: "error.usernameRequired" }),
  code: z.string().trim().min(1, { error: "error.resetCodeRequired" }).max(40, { error: "error.resetCodeRequired" }),
  password: z.string().min(1, { error: "error.passwordRequired" }).max(STAFF_PASSWORD_MAX_LENGTH, { error: "error.passwordTooLong" }),
  passwordConfirm: z.string().max(STAFF_PASSWORD_MAX_LENGTH, { error: "error.passwordsDiffer" }),
});

export const ADMIN_INTENTS = ["roles", "disable", "enable", "reset-totp", "reset-password", "unlock"] as const;
export type StaffAdminIntent = (typeof ADMIN_INTENTS)[number];

const rolesField = z.array(staffRoleSchema, { error: "error.rolesRequired" }).min(1, { error: "error.rolesRequired" });

/** A new account from the admin pages: the initial password typed twice; the member enrols TOTP at first sign-in. */
export const newStaffFormSchema = z
  .object({
    username: z.string().trim().toLowerCase().pipe(staffUsernameSchema),
    displayName: z.string().trim().min(1, { error: "error.displayNameRequired" }).max(100, { error: "error.displayNameRequired" }),
    roles: rolesField,
    password: staffPasswordSchema,
    passwordConfirm: z.string().max(STAFF_PASSWORD_MAX_LENGTH, { error: "error.passwordsDiffer" }),
    reason: reasonSchema,
  })
  .refine((form) => form.password === form.passwordConfirm, { path: ["passwordConfirm"], error: "error.passwordsDiffer" });

/** The actions on one account; each needs a reason. */
export const staffAdminActionSchema = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("roles"), roles: rolesField, reason: reasonSchema }),
    z.object({ intent: z.literal("disable"), reason: reasonSchema }),
    z.object({ intent: z.literal("enable"), reason: reasonSchema }),
    z.object({ intent: z.literal("reset-totp"), reason: reasonSchema }),
    z.object({ intent: z.literal("reset-password"), reason: reasonSchema }),
    z.object({ intent: z.literal("unlock"), reason: reasonSchema }),
  ],
  { error: "error.unknownIntent" },
);

/** A form's fields with the repeatable `roles` checkboxes kept as a list. */
export function formFields(form: FormData): Record<string, unknown> {
  return { ...Object.fromEntries(form), roles: form.getAll("roles") };
}
