import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { StaffHeader } from "~/components/staff/staff-header";
import { STAFF_ROLES } from "~/staff/areas";
import { requireStaff, STAFF_LOGIN_PATH } from "~/staff/staff-session.server";
import staffStyles from "~/styles/staff.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: staffStyles }];

// Nothing in the back office is for search engines, shared caches or the back button after sign-out.
export const headers: HeadersFunction = () => ({
  Vary: "Cookie",
  "X-Robots-Tag": "noindex, nofollow",
  "Cache-Control": "no-store",
});

export async function loader({ request }: LoaderFunctionArgs) {
  // The sign-in page is the one staff page shown without a session.
  if (new URL(request.url).pathname.replace(/\/+$/, "") === STAFF_LOGIN_PATH) return { member: null };
  const { displayName, username, roles } = await requireStaff(request, STAFF_ROLES);
  return { member: { displayName, username, roles } };
}

export default function StaffLayout() {
  const { member } = useLoaderData<typeof loader>();
  return (
    <div className="staff">
      <StaffHeader member={member} />
      <Outlet />
    </div>
  );
}
