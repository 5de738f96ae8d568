// POST from the activation page after reading the card: what awaits activation on it (names, serials, validity,
// tries left). Changes nothing; the domain rate-limits it per card and per IP.
import type { ActionFunctionArgs } from "@remix-run/node";
import { previewActivation } from "~/activation/activation.server";
import { AppError } from "~/lib/errors.server";
import { assertSameOrigin, errorResponse, readJsonBody } from "~/lib/http.server";

const NO_STORE = { "Cache-Control": "no-store" };

export async function action({ request, context }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") throw new AppError("METHOD", { "zh-TW": "請使用 POST。", en: "Use POST." }, 405);
    assertSameOrigin(request);
    const preview = await previewActivation({ body: await readJsonBody(request), ip: context.clientIp });
    return Response.json(preview, { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, NO_STORE);
  }
}

export function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST", ...NO_STORE } });
}
