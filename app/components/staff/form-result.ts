// Client-safe: what a staff form's action answers on failure, and how zod's field errors (catalogue keys) become
// bilingual texts. Entered reasons come back; codes, passwords and ID numbers never do.
import type { z } from "zod";
import { fieldErrorsOf } from "~/staff/schema";
import { bilingual, isStaffMessageKey, type Bilingual } from "./staff-text";

export interface StaffFormFailure {
  intent?: string;
  formError?: Bilingual;
  fieldErrors?: Partial<Record<string, Bilingual>>;
  /** Only harmless values to refill the form with (a reason, a checkbox, the search text). */
  values?: Partial<Record<string, string>>;
}

export function zodFailure(error: z.ZodError): Pick<StaffFormFailure, "fieldErrors" | "formError"> {
  const fieldErrors: Partial<Record<string, Bilingual>> = {};
  let formError: Bilingual | undefined;
  for (const [field, key] of Object.entries(fieldErrorsOf(error))) {
    const text = key && isStaffMessageKey(key) ? bilingual(key) : bilingual("error.unknownIntent");
    if (field === "intent" || field === "form") formError ??= text;
    else fieldErrors[field] = text;
  }
  return { fieldErrors, ...(formError ? { formError } : {}) };
}
