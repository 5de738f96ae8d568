import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { LiftLockForm } from "~/components/staff/lift-lock-form";
import { StaffFormError } from "~/components/staff/staff-field";
import { staffMeta } from "~/components/staff/staff-meta";
import { OrderOverview } from "~/components/staff/support/order-overview";
import { OrderCases, OrderMails, OrderNotes } from "~/components/staff/support/order-records";
import { useSupportText } from "~/components/staff/support/support-text";
import { formatOrderNumber } from "~/orders/order-number";
import { SUPPORT_DESK_ROLES } from "~/staff/areas";
import { LIFT_LOCK_INTENT } from "~/staff/schema";
import { requireStaff } from "~/staff/staff-session.server";
import { idHintFor } from "~/support/id-hint.server";
import { runSupportOrderAction } from "~/support/order-actions.server";
import { loadSupportOrderView } from "~/support/order-view.server";
import { ADD_NOTE_INTENT, NOT_RECEIVED_INTENT, RESEND_MAIL_INTENT, RESOLVE_CASE_INTENT } from "~/support/schema";
import supportStyles from "~/styles/support.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: supportStyles }];

const DONE = {
  [LIFT_LOCK_INTENT]: "lift.done", [RESEND_MAIL_INTENT]: "resend.done", [ADD_NOTE_INTENT]: "notes.done",
  [NOT_RECEIVED_INTENT]: "notReceived.done", [RESOLVE_CASE_INTENT]: "resolve.done",
} as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const staff = await requireStaff(request, SUPPORT_DESK_ROLES);
  const orderNumber = params.orderNumber ?? "";
  const view = await loadSupportOrderView({ staff, orderNumber, maskedIdHint: await idHintFor(request, orderNumber) });
  if (!view) throw new Response(null, { status: 404 });
  const { orderId: _id, ...shown } = view;
  const done = new URL(request.url).searchParams.get("done");
  return { view: shown, done: done && Object.hasOwn(DONE, done) ? DONE[done as keyof typeof DONE] : null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  return runSupportOrderAction({ request, orderNumber: params.orderNumber ?? "" });
}

export const meta: MetaFunction = ({ matches }) => staffMeta(matches, "area.support.title");

export default function SupportOrder() {
  const { view, done } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as StaffFormFailure | undefined;
  const { say } = useSupportText();
  return (
    <section className="page support">
      <p><Link to="/staff/support">{say("order.back")}</Link></p>
      <h1>{say("order.title")} {formatOrderNumber(view.orderNumber)}</h1>
      {done ? <p className="staff-notice staff-notice--done" role="status">{say(done)}</p> : null}
      {failure && !failure.intent ? <StaffFormError error={failure.formError} /> : null}
      <OrderOverview view={view} />
      {view.activation.activatedAt === null && view.paidAt ? <LiftLockForm locked={view.activation.lockedAt !== null}
        liftLimitReached={view.activation.lockLifts >= view.activation.maxLockLifts} failure={failure} /> : null}
      <OrderMails view={view} failure={failure} />
      <OrderCases view={view} failure={failure} />
      <OrderNotes view={view} failure={failure} />
    </section>
  );
}
