import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { NewStaffForm } from "~/components/staff/admin/new-staff-form";
import type { StaffFormFailure } from "~/components/staff/form-result";
import { staffMeta } from "~/components/staff/staff-meta";
import { useStaffText } from "~/components/staff/staff-text";
import { ADMIN_ROLES } from "~/staff/areas";
import { runNewStaffAction } from "~/staff/staff-admin-actions.server";
import { requireStaff } from "~/staff/staff-session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, ADMIN_ROLES);
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  return runNewStaffAction({ request });
}

export const meta: MetaFunction = ({ matches }) => staffMeta(matches, "adminNew.title");

export default function StaffAdminNew() {
  const failure = useActionData<typeof action>() as StaffFormFailure | undefined;
  const { say } = useStaffText();
  return (
    <section className="page page--narrow">
      <h1>{say("adminNew.title")}</h1>
      <p>{say("adminNew.intro")}</p>
      <NewStaffForm failure={failure} />
    </section>
  );
}
