import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { StaffCodeForm } from "~/components/staff/code-field";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { staffMeta } from "~/components/staff/staff-meta";
import { useStaffText } from "~/components/staff/staff-text";
import { completeSecondFactor, requirePendingStage } from "~/staff/second-factor-routes.server";
import { verifyStaffSignInCode } from "~/staff/staff-second-factor.server";
import { STAFF_LOGIN_PATH } from "~/staff/sign-in-paths";

// The second sign-in step. Not behind requireStaff: only a pending sign-in (the right password, under 5 minutes
// ago, for an account with an authenticator) opens it; the right code turns it into a full session.
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePendingStage(request, "code");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  return completeSecondFactor({
    request,
    stage: "code",
    verify: (pending, code) => verifyStaffSignInCode({ staffId: pending.staffId, code, ip: context.clientIp }),
  });
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
