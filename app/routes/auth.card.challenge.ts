import type { ActionFunctionArgs } from "@remix-run/node";
import { issueChallenge } from "~/auth/challenge.server";
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
    return Response.json(await issueChallenge(), { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
