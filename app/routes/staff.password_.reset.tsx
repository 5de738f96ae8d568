import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { StaffField, StaffFormError } from "~/components/staff/staff-field";
import { staffMeta } from "~/components/staff/staff-meta";
import { useStaffText } from "~/components/staff/staff-text";
import { runPasswordResetAction } from "~/staff/password-routes.server";
import { STAFF_PASSWORD_MAX_LENGTH, STAFF_PASSWORD_MIN_LENGTH } from "~/staff/schema";
import { STAFF_LOGIN_PATH } from "~/staff/sign-in-paths";

// Not behind requireStaff: a member whose password an admin reset has no session. The one-time code (30 minutes)
// sets a new password and signs nobody in; the sign-in that follows still needs the authenticator.
export async function action({ request, context }: ActionFunctionArgs) {
  return runPasswordResetAction({ request, ip: context.clientIp });
}

export const meta: MetaFunction = ({ matches }) => staffMeta(matches, "passwordReset.title");

export default function StaffPasswordReset() {
  const failure = useActionData<typeof action>() as StaffFormFailure | undefined;
  const busy = useNavigation().state !== "idle";
  const { say } = useStaffText();
  return (
    <section className="page page--narrow">
      <h1>{say("passwordReset.title")}</h1>
      <p>{say("passwordReset.intro")}</p>
      <StaffFormError error={failure?.formError} />
      <Form method="post" className="staff-form" noValidate>
        <StaffField name="username" label={say("login.username")} autoComplete="username" autoCapitalize="none" spellCheck={false}
          required defaultValue={failure?.values?.username} error={failure?.fieldErrors?.username} />
        <StaffField name="code" label={say("passwordReset.code")} hint={say("passwordReset.codeHint")} autoComplete="one-time-code"
          autoCapitalize="characters" spellCheck={false} required error={failure?.fieldErrors?.code} />
        <StaffField name="password" type="password" label={say("password.new")} hint={say("password.newHint")} autoComplete="new-password"
          required minLength={STAFF_PASSWORD_MIN_LENGTH} maxLength={STAFF_PASSWORD_MAX_LENGTH} error={failure?.fieldErrors?.password} />
        <StaffField name="passwordConfirm" type="password" label={say("password.confirm")} autoComplete="new-password" required
          maxLength={STAFF_PASSWORD_MAX_LENGTH} error={failure?.fieldErrors?.passwordConfirm} />
        <button type="submit" className="button button--primary" disabled={busy}>{say("passwordReset.submit")}</button>
      </Form>
      <p>
        <Link to={STAFF_LOGIN_PATH}>{say("code.restart")}</Link>
      </p>
    </section>
  );
}
