import type { ActionFunctionArgs } from "@remix-run/node";
import { issueChallenge } from "~/auth/challenge.server";
import { preLoginCookieHeader, readPreLoginToken } from "~/auth/pre-login-cookie.server";
import { AppError } from "~/lib/errors.server";
import { assertSameOrigin, errorResponse } from "~/lib/http.server";
import { countAttempt } from "~/lib/rate-limit.server";

const CHALLENGES_PER_MINUTE = { name: "login-challenge:ip", max: 30, windowSeconds: 60 };

export async function action({ request, context }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") throw new AppError("METHOD", { "zh-TW": "請使用 POST。", en: "Use POST." }, 405);
    assertSameOrigin(request);
    if ((await countAttempt(CHALLENGES_PER_MINUTE, context.clientIp)) > CHALLENGES_PER_MINUTE.max) {
      throw new AppError("TOO_MANY_ATTEMPTS", { "zh-TW": "請求過於頻繁，請稍後再試。", en: "Too many requests. Please wait a minute." }, 429, { retryAfterSeconds: 60 });
    }
    // Issue 13's contract: { nonce, tbs, expiresAt }; the token the nonce is bound to goes into the cookie only.
    const { preLoginToken, ...challenge } = await issueChallenge({ preLoginToken: await readPreLoginToken(request) });
    return Response.json(challenge, { headers: { "Cache-Control": "no-store", "Set-Cookie": await preLoginCookieHeader(preLoginToken) } });
  } catch (error) {
    return errorResponse(error);
  }
}
