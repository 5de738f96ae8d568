import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { AccountActions, IssuedResetCode } from "~/components/staff/admin/account-forms";
import { AccountSummary } from "~/components/staff/admin/account-summary";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { StaffFormError } from "~/components/staff/staff-field";
import { staffMeta } from "~/components/staff/staff-meta";
import { useStaffText } from "~/components/staff/staff-text";
import { ADMIN_ROLES } from "~/staff/areas";
import { ADMIN_INTENTS } from "~/staff/schema";
import { runStaffAdminAction } from "~/staff/staff-admin-actions.server";
import { findStaffAccountForAdmin } from "~/staff/staff-admin.server";
import { requireStaff } from "~/staff/staff-session.server";

const DONE = ["created", ...ADMIN_INTENTS] as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const actor = await requireStaff(request, ADMIN_ROLES);
  const account = await findStaffAccountForAdmin({ actor, staffId: params.staffId ?? "" });
  if (!account) throw new Response(null, { status: 404 });
  const done = new URL(request.url).searchParams.get("done");
  return { account, done: DONE.find((key) => key === done) ?? null };
}

export async function action({ request, params }: ActionFunctionArgs) {
  return runStaffAdminAction({ request, staffId: params.staffId ?? "" });
}

export const meta: MetaFunction = ({ matches }) => staffMeta(matches, "adminDetail.title");

export default function StaffAdminAccount() {
  const { account, done } = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>() as (StaffFormFailure & { issued?: { code: string; expiresAt: string } }) | undefined;
  const issued = answer?.issued;
  const failure = issued ? undefined : answer;
  const { say } = useStaffText();
  return (
    <section className="page">
      <h1>{say("adminDetail.title")}</h1>
      {done ? <p className="staff-notice staff-notice--done" role="status">{say(`admin.done.${done}`)}</p> : null}
      {failure && !failure.intent ? <StaffFormError error={failure.formError} /> : null}
      {issued ? <IssuedResetCode issued={issued} /> : null}
      <AccountSummary account={account} />
      {account.isSelf ? <p className="staff-notice">{say("adminDetail.self")}</p> : null}
      <AccountActions account={account} failure={failure} />
      <p>
        <Link to="/staff/admin">{say("adminDetail.back")}</Link>
      </p>
    </section>
  );
}
