import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { StaffCodeForm } from "~/components/staff/code-field";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { staffMeta } from "~/components/staff/staff-meta";
import { useStaffText } from "~/components/staff/staff-text";
import { AppError } from "~/lib/errors.server";
import { completeSecondFactor, requirePendingStage } from "~/staff/second-factor-routes.server";
import { confirmStaffTotpEnrolment, prepareStaffTotpEnrolment } from "~/staff/staff-second-factor.server";
import { STAFF_LOGIN_PATH } from "~/staff/sign-in-paths";

// First sign-in (or after an admin reset): the right password, under 5 minutes ago, for an account without an
// authenticator. Shows the secret as a QR code and as text; the first right code enables it and signs in.
export async function loader({ request }: LoaderFunctionArgs) {
  const pending = await requirePendingStage(request, "enrolment");
  try {
    const { username, groupedSecret, qrSvg } = await prepareStaffTotpEnrolment({ staffId: pending.staffId });
    return { username, groupedSecret, qr: `data:image/svg+xml;base64,${Buffer.from(qrSvg).toString("base64")}` };
  } catch (error) {
    // Enrolled meanwhile (another tab), disabled or locked: start the sign-in again.
    if (error instanceof AppError) throw redirect(STAFF_LOGIN_PATH);
    throw error;
  }
}

export async function action({ request, context }: ActionFunctionArgs) {
  return completeSecondFactor({
    request,
    stage: "enrolment",
    verify: (pending, code) => confirmStaffTotpEnrolment({ staffId: pending.staffId, code, ip: context.clientIp }),
  });
}

export const meta: MetaFunction = ({ matches }) => staffMeta(matches, "enrol.title");

export default function StaffEnrol() {
  const { username, groupedSecret, qr } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as StaffFormFailure | undefined;
  const { say } = useStaffText();
  return (
    <section className="page page--narrow">
      <h1>{say("enrol.title")}</h1>
      <p>{say("enrol.intro")}</p>
      <p>{say("enrol.step1")}</p>
      <img className="staff-qr" src={qr} width={220} height={220} alt={say("enrol.qrAlt", { username })} />
      <p>{say("enrol.step2")}</p>
      <dl className="staff-dl">
        <div>
          <dt>{say("enrol.secret")}</dt>
          <dd><code className="staff-secret" translate="no">{groupedSecret}</code></dd>
        </div>
      </dl>
      <p className="staff-muted">{say("enrol.account", { username })}</p>
      <p>{say("enrol.step3")}</p>
      <StaffCodeForm label={say("code.code")} submit={say("enrol.submit")} failure={failure} />
      <p className="page__note">{say("enrol.keep")}</p>
      <p>
        <Link to={STAFF_LOGIN_PATH}>{say("code.restart")}</Link>
      </p>
    </section>
  );
}
