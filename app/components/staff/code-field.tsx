import { Form, useNavigation } from "@remix-run/react";
import type { StaffFormFailure } from "./form-result";
import { StaffField, StaffFormError } from "./staff-field";
import { useStaffText } from "./staff-text";

/** The 6-digit code form of the sign-in code page and of enrolment: numeric keypad, one-time-code autofill. */
export function StaffCodeForm({ label, submit, failure }: { label: string; submit: string; failure?: StaffFormFailure }) {
  const { say } = useStaffText();
  const busy = useNavigation().state !== "idle";
  return (
    <Form method="post" className="staff-form" noValidate>
      <StaffFormError error={failure?.formError} />
      <StaffField name="code" label={label} hint={say("code.codeHint")} className="staff-field__short staff-code" inputMode="numeric"
        autoComplete="one-time-code" pattern="[0-9 ]*" maxLength={7} required autoFocus error={failure?.fieldErrors?.code} />
      <button type="submit" className="button button--primary" disabled={busy}>{submit}</button>
    </Form>
  );
}
