import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { StaffCodeForm } from "~/components/staff/code-field";
import { zodFailure, type StaffFormFailure } from "~/components/staff/form-result";
import { staffMeta } from "~/components/staff/staff-meta";
import { useStaffText } from "~/components/staff/staff-text";
import { assertSameOrigin } from "~/lib/http.server";
import { formFailure } from "~/staff/form-failure.server";
import { staffCodeSchema } from "~/staff/schema";
import { verifyStaffSignInCode } from "~/staff/staff-second-factor.server";
import {
  pendingStaffFromRequest, secondFactorPath, staffFromRequest, startStaffSession,
} from "~/staff/staff-session.server";
import { STAFF_LOGIN_PATH } from "~/staff/sign-in-paths";

// The second sign-in step. Not behind requireStaff: only a pending sign-in (the right password, under 5 minutes
// ago, for an account with an authenticator) opens it; the right code turns it into a full session.
export async function loader({ request }: LoaderFunctionArgs) {
  const pending = await pendingStaffFromRequest(request);
  if (!pending) throw redirect((await staffFromRequest(request)) ? "/staff" : `${STAFF_LOGIN_PATH}?expired`);
  if (pending.awaiting !== "code") throw redirect(secondFactorPath(pending.awaiting));
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  try {
    assertSameOrigin(request);
  } catch (error) {
    return formFailure(error, {});
  }
  const pending = await pendingStaffFromRequest(request);
  if (pending?.awaiting !== "code") return redirect(`${STAFF_LOGIN_PATH}?expired`, 303);
  const form = staffCodeSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!form.success) return data<StaffFormFailure>(zodFailure(form.error), { status: 400 });
  try {
    const member = await verifyStaffSignInCode({ staffId: pending.staffId, code: form.data.code, ip: context.clientIp });
    return redirect(pending.next, { status: 303, headers: await startStaffSession(request, member) });
  } catch (error) {
    // The code is never sent back.
    return formFailure(error, { fields: { CODE_WRONG: "code" } });
  }
}

export const meta: MetaFunction = ({ matches }) => staffMeta(matches, "code.title");

export default function StaffSignInCode() {
  const failure = useActionData<typeof action>() as StaffFormFailure | undefined;
  const { say } = useStaffText();
  return (
    <section className="page page--narrow">
      <h1>{say("code.title")}</h1>
      <p>{say("code.intro")}</p>
      <StaffCodeForm label={say("code.code")} submit={say("code.submit")} failure={failure} />
      <p className="page__note">{say("code.lost")}</p>
      <p>
        <Link to={STAFF_LOGIN_PATH}>{say("code.restart")}</Link>
      </p>
    </section>
  );
}
