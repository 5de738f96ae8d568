import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { staffMeta } from "~/components/staff/staff-meta";
import { useStaffText } from "~/components/staff/staff-text";
import { areasFor, STAFF_ROLES } from "~/staff/areas";
import { requireStaff } from "~/staff/staff-session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const member = await requireStaff(request, STAFF_ROLES);
  return { areas: areasFor(member.roles).map(({ path, key }) => ({ path, key })) };
}

export const meta: MetaFunction = ({ matches }) => staffMeta(matches, "home.title");

export default function StaffHome() {
  const { areas } = useLoaderData<typeof loader>();
  const { say } = useStaffText();
  return (
    <section className="page page--narrow">
      <h1>{say("home.title")}</h1>
      {areas.length === 0 ? (
        <p>{say("home.none")}</p>
      ) : (
        <>
          <p>{say("home.intro")}</p>
          <ul className="staff-areas">
            {areas.map((area) => (
              <li key={area.key}>
                <Link to={area.path}>{say(`area.${area.key}.title`)}</Link>
                <p className="staff-muted">{say(`area.${area.key}.description`)}</p>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
