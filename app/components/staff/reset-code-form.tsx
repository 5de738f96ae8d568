import { Form } from "@remix-run/react";
import { RESET_CODE_INTENT, STAFF_REASON_MAX } from "~/staff/schema";
import type { StaffFormFailure } from "./form-result";
import { StaffField, StaffFormError } from "./staff-field";
import { useStaffText } from "./staff-text";

/**
 * Registrar (002): the holder (or a proxy with a signed letter) types the new code twice; the ID number is typed
 * from the ID card shown in person and only compared. Neither ever comes back to the page.
 */
export function ResetCodeForm({ failure }: { failure?: StaffFormFailure }) {
  const { say } = useStaffText();
  const mine = failure?.intent === RESET_CODE_INTENT ? failure : undefined;
  return (
    <section className="staff-panel" aria-labelledby="reset-title">
      <h2 id="reset-title">{say("reset.title")}</h2>
      <p>{say("reset.intro")}</p>
      <Form method="post" className="staff-form" noValidate autoComplete="off">
        <input type="hidden" name="intent" value={RESET_CODE_INTENT} />
        <StaffFormError error={mine?.formError} />
        <StaffField formId="reset-" name="nationalId" label={say("reset.nationalId")} hint={say("reset.nationalIdHint")} required
          autoComplete="off" spellCheck={false} maxLength={10} className="staff-field__short" error={mine?.fieldErrors?.nationalId} />
        <StaffField formId="reset-" name="proxy" type="checkbox" label={say("reset.proxy")}
          defaultChecked={mine?.values?.proxy === "on"} error={mine?.fieldErrors?.proxy} />
        <StaffField formId="reset-" name="newCode" type="password" label={say("reset.newCode")} hint={say("reset.newCodeHint")} required
          autoComplete="new-password" maxLength={10} className="staff-field__short" error={mine?.fieldErrors?.newCode} />
        <StaffField formId="reset-" name="confirmation" type="password" label={say("reset.confirmation")} required
          autoComplete="new-password" maxLength={10} className="staff-field__short" error={mine?.fieldErrors?.confirmation} />
        <StaffField formId="reset-" name="reason" label={say("reset.reason")} hint={say("reset.reasonHint")} required
          maxLength={STAFF_REASON_MAX} defaultValue={mine?.values?.reason} error={mine?.fieldErrors?.reason} />
        <button type="submit" className="button button--primary">{say("reset.submit")}</button>
      </Form>
    </section>
  );
}
