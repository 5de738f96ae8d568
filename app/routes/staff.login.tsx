import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { zodFailure, type StaffFormFailure } from "~/components/staff/form-result";
import { StaffField, StaffFormError } from "~/components/staff/staff-field";
import { staffMeta } from "~/components/staff/staff-meta";
import { useStaffText } from "~/components/staff/staff-text";
import { assertSameOrigin } from "~/lib/http.server";
import { formFailure } from "~/staff/form-failure.server";
import { staffLoginSchema } from "~/staff/schema";
import { STAFF_PASSWORD_RESET_PATH } from "~/staff/sign-in-paths";
import { authenticateStaff } from "~/staff/staff-accounts.server";
import {
  secondFactorPath, signInStages, staffFromRequest, staffReturnPath, startPendingStaffSession,
} from "~/staff/staff-session.server";

// Without requireStaff: it is where requireStaff sends people. The right password leads to the second step (the
// code page, or enrolling an authenticator), never straight into the back office.
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const next = staffReturnPath(url.searchParams.get("next"));
  if (await staffFromRequest(request)) throw redirect(next);
  return { next, expired: url.searchParams.has("expired"), passwordSet: url.searchParams.has("passwordSet") };
}

export async function action({ request, context }: ActionFunctionArgs) {
  try {
    assertSameOrigin(request);
  } catch (error) {
    return formFailure(error, {});
  }
  const form = staffLoginSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return data<StaffFormFailure>(zodFailure(form.error), { status: 400 });
  const { username, password, next } = form.data;
  try {
    const member = await authenticateStaff({ username, password, ip: context.clientIp });
    const [awaiting, ...after] = signInStages(member);
    return redirect(secondFactorPath(awaiting), { headers: await startPendingStaffSession(request, member, { awaiting, after, next }) });
  } catch (error) {
    // The same answer for every refusal (no account enumeration); what was typed as the username comes back.
    return formFailure(error, { values: { username } });
  }
}

export const meta: MetaFunction = ({ matches }) => staffMeta(matches, "login.title");

export default function StaffLogin() {
  const { next, expired, passwordSet } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as StaffFormFailure | undefined;
  const busy = useNavigation().state !== "idle";
  const { say } = useStaffText();
  return (
    <section className="page page--narrow">
      <h1>{say("login.title")}</h1>
      <p>{say("login.intro")}</p>
      {expired && !failure ? <p className="staff-notice" role="status">{say("login.pendingExpired")}</p> : null}
      {passwordSet && !failure ? <p className="staff-notice staff-notice--done" role="status">{say("login.passwordSet")}</p> : null}
      <StaffFormError error={failure?.formError} />
      <Form method="post" className="staff-form" noValidate>
        <input type="hidden" name="next" value={next} />
        <StaffField name="username" label={say("login.username")} autoComplete="username" autoCapitalize="none" spellCheck={false}
          required defaultValue={failure?.values?.username} error={failure?.fieldErrors?.username} />
        <StaffField name="password" type="password" label={say("login.password")} autoComplete="current-password" required
          error={failure?.fieldErrors?.password} />
        <button type="submit" className="button button--primary" disabled={busy}>{say("login.submit")}</button>
      </Form>
      <p className="page__note">{say("login.note")}</p>
      <p><Link to={STAFF_PASSWORD_RESET_PATH}>{say("login.resetLink")}</Link></p>
    </section>
  );
}
