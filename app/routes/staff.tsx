import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { StaffHeader } from "~/components/staff/staff-header";
import { STAFF_ROLES } from "~/staff/areas";
import {
  requireStaff, staffFromRequest, STAFF_CODE_PATH, STAFF_ENROL_PATH, STAFF_LOGIN_PATH, STAFF_PASSWORD_PATH, STAFF_PASSWORD_RESET_PATH,
} from "~/staff/staff-session.server";
import staffStyles from "~/styles/staff.css?url";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: staffStyles }];

// Nothing in the back office is for search engines, shared caches or the back button after sign-out.
export const headers: HeadersFunction = () => ({
  Vary: "Cookie",
  "X-Robots-Tag": "noindex, nofollow",
  "Cache-Control": "no-store",
});

const SIGN_IN_PAGES = [STAFF_LOGIN_PATH, STAFF_CODE_PATH, STAFF_ENROL_PATH, STAFF_PASSWORD_RESET_PATH];

export async function loader({ request }: LoaderFunctionArgs) {
  // The sign-in pages are shown without a full session (each checks what it needs itself).
  const pathname = new URL(request.url).pathname.replace(/\/+$/, "");
  if (SIGN_IN_PAGES.includes(pathname)) return { member: null };
  if (pathname === STAFF_PASSWORD_PATH) {
    // Also a step of a pending sign-in (a password someone else chose): the page checks who may use it.
    const signedIn = await staffFromRequest(request);
    return { member: signedIn ? { displayName: signedIn.displayName, username: signedIn.username, roles: signedIn.roles } : null };
  }
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
