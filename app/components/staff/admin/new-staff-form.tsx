import { Form, Link } from "@remix-run/react";
import type { StaffRole } from "~/generated/prisma/enums";
import { STAFF_PASSWORD_MAX_LENGTH, STAFF_REASON_MAX } from "~/staff/schema";
import type { StaffFormFailure } from "../form-result";
import { StaffField, StaffFormError } from "../staff-field";
import { useStaffText } from "../staff-text";
import { RoleCheckboxes } from "./role-checkboxes";

/** A new account; the initial password is typed twice and never comes back from the server. */
export function NewStaffForm({ failure }: { failure?: StaffFormFailure }) {
  const { say } = useStaffText();
  const values = failure?.values ?? {};
  const errors = failure?.fieldErrors ?? {};
  const checked = (values.roles ?? "").split(",").filter(Boolean) as StaffRole[];
  return (
    <Form method="post" className="staff-form" noValidate>
      <StaffFormError error={failure?.formError} />
      <StaffField name="username" label={say("admin.username")} hint={say("adminNew.usernameHint")} autoComplete="off" autoCapitalize="none"
        spellCheck={false} required maxLength={64} defaultValue={values.username} error={errors.username} />
      <StaffField name="displayName" label={say("admin.displayName")} autoComplete="off" required maxLength={100}
        defaultValue={values.displayName} error={errors.displayName} />
      <RoleCheckboxes idPrefix="new-" checked={checked} error={errors.roles} />
      <StaffField name="password" type="password" label={say("adminNew.password")} hint={say("adminNew.passwordHint")} autoComplete="new-password"
        required maxLength={STAFF_PASSWORD_MAX_LENGTH} error={errors.password} />
      <StaffField name="passwordConfirm" type="password" label={say("adminNew.passwordConfirm")} autoComplete="new-password" required
        maxLength={STAFF_PASSWORD_MAX_LENGTH} error={errors.passwordConfirm} />
      <StaffField name="reason" label={say("admin.reason")} hint={say("admin.reasonHint")} required maxLength={STAFF_REASON_MAX}
        defaultValue={values.reason} error={errors.reason} />
      <div className="staff-actions">
        <button type="submit" className="button button--primary">{say("adminNew.submit")}</button>
        <Link to="/staff/admin">{say("adminNew.cancel")}</Link>
      </div>
    </Form>
  );
}
