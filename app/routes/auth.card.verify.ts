import type { ActionFunctionArgs } from "@remix-run/node";
import { verifyCardLogin } from "~/auth/card-login.server";
import { clearPreLoginCookieHeader, readPreLoginToken } from "~/auth/pre-login-cookie.server";
import { startCitizenSession } from "~/auth/session.server";
import { AppError } from "~/lib/errors.server";
import { assertSameOrigin, errorResponse, readJsonBody } from "~/lib/http.server";

export async function action({ request, context }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") throw new AppError("METHOD", { "zh-TW": "請使用 POST。", en: "Use POST." }, 405);
    assertSameOrigin(request);
    const login = await verifyCardLogin({
      body: await readJsonBody(request), preLoginToken: await readPreLoginToken(request), ip: context.clientIp,
      statusSource: context.certificateStatus,
    });
    const headers = await startCitizenSession(request, login);
    headers.append("Set-Cookie", await clearPreLoginCookieHeader());
    headers.set("Cache-Control", "no-store");
    return Response.json({ next: "/reissue", scope: login.scope }, { headers });
  } catch (error) {
    return errorResponse(error);
  }
}
