// Client-safe: zod issues whose messages are finance catalogue keys, as bilingual texts per field.
import type { z } from "zod";
import { financeBilingual, isFinanceMessageKey, type Bilingual } from "./finance-text";

export type FinanceFieldErrors = Partial<Record<string, Bilingual>>;

export function financeFieldErrors(error: z.ZodError): FinanceFieldErrors {
  const errors: FinanceFieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "form");
    errors[field] ??= financeBilingual(isFinanceMessageKey(issue.message) ? issue.message : "error.notValid");
  }
  return errors;
}
