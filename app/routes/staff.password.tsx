import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { StaffField, StaffFormError } from "~/components/staff/staff-field";
import { staffMeta } from "~/components/staff/staff-meta";
import { useStaffText } from "~/components/staff/staff-text";
import { passwordPageVisitor, runPasswordChangeAction } from "~/staff/password-routes.server";
import { STAFF_PASSWORD_MAX_LENGTH, STAFF_PASSWORD_MIN_LENGTH } from "~/staff/schema";

// Any member of staff changes their own password here; a sign-in whose password someone else chose (an admin,
// `staff:create`) is held here, before anything else opens, until the member has chosen their own (issue 13).
export async function loader({ request }: LoaderFunctionArgs) {
  const { forced } = await passwordPageVisitor(request);
  return { forced, done: new URL(request.url).searchParams.has("done") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  return runPasswordChangeAction({ request, ip: context.clientIp });
}

export const meta: MetaFunction = ({ matches }) => staffMeta(matches, "password.title");

export default function StaffPassword() {
  const { forced, done } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as StaffFormFailure | undefined;
  const busy = useNavigation().state !== "idle";
  const { say } = useStaffText();
  return (
    <section className="page page--narrow">
      <h1>{say("password.title")}</h1>
      {done && !failure ? <p className="staff-notice staff-notice--done" role="status">{say("password.done")}</p> : null}
      <p>{say(forced ? "password.forcedIntro" : "password.intro")}</p>
      <StaffFormError error={failure?.formError} />
      <Form method="post" className="staff-form" noValidate>
        <StaffField name="currentPassword" type="password" label={say("password.current")} autoComplete="current-password" required
          error={failure?.fieldErrors?.currentPassword} />
        <StaffField name="password" type="password" label={say("password.new")} hint={say("password.newHint")} autoComplete="new-password"
          required minLength={STAFF_PASSWORD_MIN_LENGTH} maxLength={STAFF_PASSWORD_MAX_LENGTH} error={failure?.fieldErrors?.password} />
        <StaffField name="passwordConfirm" type="password" label={say("password.confirm")} autoComplete="new-password" required
          maxLength={STAFF_PASSWORD_MAX_LENGTH} error={failure?.fieldErrors?.passwordConfirm} />
        <button type="submit" className="button button--primary" disabled={busy}>{say("password.submit")}</button>
      </Form>
    </section>
  );
}
