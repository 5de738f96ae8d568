import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endCitizenSession } from "~/auth/session.server";
import { assertSameOrigin, errorResponse } from "~/lib/http.server";

export async function action({ request }: ActionFunctionArgs) {
  try {
    assertSameOrigin(request);
    return redirect("/", { headers: await endCitizenSession(request) });
  } catch (error) {
    return errorResponse(error);
  }
}

export const loader = () => redirect("/");
