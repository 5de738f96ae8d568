// Turns a domain refusal (AppError) into a staff form's failure: on the field it concerns when there is one,
// else for the whole form, with the domain's own bilingual message and HTTP status.
import { data } from "@remix-run/node";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { AppError } from "~/lib/errors.server";

export function formFailure(
  error: unknown,
  { intent, values, fields = {} }: { intent?: string; values?: StaffFormFailure["values"]; fields?: Partial<Record<string, string>> },
) {
  if (!(error instanceof AppError)) throw error;
  const field = fields[error.code];
  const failure: StaffFormFailure = {
    intent,
    values,
    ...(field ? { fieldErrors: { [field]: error.userMessage } } : { formError: error.userMessage }),
  };
  const headers = error.retryAfterSeconds ? { "Retry-After": String(error.retryAfterSeconds) } : undefined;
  return data(failure, { status: error.status, headers });
}
