import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { assertSameOrigin, errorResponse } from "~/lib/http.server";
import { STAFF_ROLES } from "~/staff/areas";
import { endStaffSession, requireStaff, STAFF_LOGIN_PATH } from "~/staff/staff-session.server";

export async function action({ request }: ActionFunctionArgs) {
  const member = await requireStaff(request, STAFF_ROLES);
  try {
    assertSameOrigin(request);
  } catch (error) {
    return errorResponse(error);
  }
  return redirect(STAFF_LOGIN_PATH, { headers: await endStaffSession(request, member) });
}

// Signing out is a POST (a link or a prefetch must not end a session).
export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request, STAFF_ROLES);
  return redirect("/staff");
}
