import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { ACTIVATION_MAX_WRONG_CODES } from "~/activation/schema";
import { findActivationForStaff } from "~/activation/staff-activation.server";
import { ActivationSummary } from "~/components/staff/activation-summary";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { StaffFormError } from "~/components/staff/staff-field";
import { LiftLockForm } from "~/components/staff/lift-lock-form";
import { ResetCodeForm } from "~/components/staff/reset-code-form";
import { staffMeta } from "~/components/staff/staff-meta";
import { useStaffText } from "~/components/staff/staff-text";
import { runActivationAction } from "~/staff/activation-actions.server";
import { ACTIVATION_VIEWER_ROLES, holdsAnyRole, LIFT_LOCK_ROLES, RESET_CODE_ROLES } from "~/staff/areas";
import { LIFT_LOCK_INTENT, RESET_CODE_INTENT } from "~/staff/schema";
import { requireStaff } from "~/staff/staff-session.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, ACTIVATION_VIEWER_ROLES);
  const view = await findActivationForStaff({ staff, query: { orderNumber: params.orderNumber ?? "" } });
  if (!view) throw new Response(null, { status: 404 });
  const done = new URL(request.url).searchParams.get("done");
  return {
    view,
    maxWrong: ACTIVATION_MAX_WRONG_CODES,
    // What the page offers; the action checks each role again on the server.
    may: { liftLock: holdsAnyRole(staff.roles, LIFT_LOCK_ROLES), resetCode: holdsAnyRole(staff.roles, RESET_CODE_ROLES) },
    done: done === LIFT_LOCK_INTENT || done === RESET_CODE_INTENT ? done : null,
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  return runActivationAction({ request, orderNumber: params.orderNumber ?? "" });
}

export const meta: MetaFunction = ({ matches }) => staffMeta(matches, "detail.title");

export default function ActivationDetail() {
  const { view, maxWrong, may, done } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as StaffFormFailure | undefined;
  const { say } = useStaffText();
  const activated = view.activatedAt !== null;
  return (
    <section className="page">
      <h1>{say("detail.title")}</h1>
      {done ? <p className="staff-notice staff-notice--done" role="status">{say(done === LIFT_LOCK_INTENT ? "lift.done" : "reset.done")}</p> : null}
      {failure && !failure.intent ? <StaffFormError error={failure.formError} /> : null}
      <ActivationSummary view={view} maxWrong={maxWrong} />
      {may.liftLock && !activated ? <LiftLockForm locked={view.lockedAt !== null}
        liftLimitReached={view.lockLifts >= view.maxLockLifts} failure={failure} /> : null}
      {may.resetCode ? activated ? <p className="staff-muted">{say("reset.activated")}</p> : <ResetCodeForm failure={failure} /> : null}
      <p>
        <Link to="/staff/activation">{say("detail.back")}</Link>
      </p>
    </section>
  );
}
