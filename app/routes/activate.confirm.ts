// POST from the activation page: the user code and the holder's acceptance. On success the certificates become
// valid and the answer is the receipt (收執聯); every refusal (wrong code, lock, mismatch…) comes from the domain.
import type { ActionFunctionArgs } from "@remix-run/node";
import { activateCard } from "~/activation/activation.server";
import { AppError } from "~/lib/errors.server";
import { assertSameOrigin, errorResponse, readJsonBody } from "~/lib/http.server";

const NO_STORE = { "Cache-Control": "no-store" };

export async function action({ request, context }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") throw new AppError("METHOD", { "zh-TW": "請使用 POST。", en: "Use POST." }, 405);
    assertSameOrigin(request);
    const receipt = await activateCard({ body: await readJsonBody(request), ip: context.clientIp, statusSource: context.certificateStatus });
    return Response.json(receipt, { headers: NO_STORE });
  } catch (error) {
    return errorResponse(error, NO_STORE);
  }
}

export function loader() {
  return new Response("Method Not Allowed", { status: 405, headers: { Allow: "POST", ...NO_STORE } });
}
