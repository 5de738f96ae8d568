import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { StaffAccountsTable } from "~/components/staff/admin/staff-accounts-table";
import { staffMeta } from "~/components/staff/staff-meta";
import { useStaffText } from "~/components/staff/staff-text";
import { ADMIN_ROLES } from "~/staff/areas";
import { staffUsernameSchema } from "~/staff/schema";
import { listStaffAccounts } from "~/staff/staff-admin.server";
import { requireStaff } from "~/staff/staff-session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const actor = await requireStaff(request, ADMIN_ROLES);
  // Keyset paging: ?after=<the last username of the previous page>.
  const after = staffUsernameSchema.safeParse(new URL(request.url).searchParams.get("after"));
  const page = await listStaffAccounts({ actor, after: after.success ? after.data : null });
  return { ...page, paged: after.success };
}

export const meta: MetaFunction = ({ matches }) => staffMeta(matches, "admin.title");

export default function StaffAdminList() {
  const { rows, nextAfter, paged } = useLoaderData<typeof loader>();
  const { say } = useStaffText();
  return (
    <section className="page">
      <h1>{say("admin.title")}</h1>
      <p>{say("admin.intro")}</p>
      <p>
        <Link to="/staff/admin/new" className="button button--primary">{say("admin.new")}</Link>
      </p>
      <StaffAccountsTable rows={rows} />
      {paged || nextAfter ? (
        <nav aria-label={say("admin.pages")} className="staff-pager">
          <ul>
            {paged ? <li><Link to="/staff/admin">{say("admin.first")}</Link></li> : null}
            {nextAfter ? <li><Link to={`/staff/admin?${new URLSearchParams({ after: nextAfter })}`}>{say("admin.next")}</Link></li> : null}
          </ul>
        </nav>
      ) : null}
    </section>
  );
}
