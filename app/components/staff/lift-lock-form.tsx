import { Form } from "@remix-run/react";
import { LIFT_LOCK_INTENT, STAFF_REASON_MAX } from "~/staff/schema";
import type { StaffFormFailure } from "./form-result";
import { StaffField, StaffFormError } from "./staff-field";
import { useStaffText } from "./staff-text";

/**
 * Support (002): only for a holder who remembers the code. Nothing here shows or sets a code. Once support has
 * lifted the lock as often as allowed (issue 13), the form gives way to why, and to the registrar route.
 */
export function LiftLockForm({ locked, liftLimitReached = false, failure }: { locked: boolean; liftLimitReached?: boolean; failure?: StaffFormFailure }) {
  const { say } = useStaffText();
  const mine = failure?.intent === LIFT_LOCK_INTENT ? failure : undefined;
  return (
    <section className="staff-panel" aria-labelledby="lift-title">
      <h2 id="lift-title">{say("lift.title")}</h2>
      <p>{say("lift.intro")}</p>
      {!locked ? (
        <p className="staff-muted">{say("lift.notLocked")}</p>
      ) : liftLimitReached ? (
        <>
          <StaffFormError error={mine?.formError} />
          <p className="staff-notice" role="status">{say("lift.limitReached")}</p>
        </>
      ) : (
        <Form method="post" className="staff-form" noValidate>
          <input type="hidden" name="intent" value={LIFT_LOCK_INTENT} />
          <StaffFormError error={mine?.formError} />
          <StaffField formId="lift-" name="remembersCode" type="checkbox" label={say("lift.remembersCode")} required
            defaultChecked={mine?.values?.remembersCode === "on"} error={mine?.fieldErrors?.remembersCode} />
          <StaffField formId="lift-" name="reason" label={say("lift.reason")} hint={say("lift.reasonHint")} required
            maxLength={STAFF_REASON_MAX} defaultValue={mine?.values?.reason} error={mine?.fieldErrors?.reason} />
          <button type="submit" className="button button--primary">{say("lift.submit")}</button>
        </Form>
      )}
    </section>
  );
}
