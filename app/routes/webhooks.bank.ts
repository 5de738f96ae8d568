// The collecting bank's paid-transfer callback. Signature, validation and the work: app/payments/bank-callback.server.ts.
import type { ActionFunctionArgs } from "@remix-run/node";
import { AppError } from "~/lib/errors.server";
import { errorResponse } from "~/lib/http.server";
import { BANK_SIGNATURE_HEADER, handleBankCallback, readBankCallbackBody } from "~/payments/bank-callback.server";

export async function action({ request }: ActionFunctionArgs) {
  try {
    if (request.method !== "POST") throw new AppError("METHOD", { "zh-TW": "請使用 POST。", en: "Use POST." }, 405);
    const answer = await handleBankCallback({
      rawBody: await readBankCallbackBody(request),
      signatureHeader: request.headers.get(BANK_SIGNATURE_HEADER),
    });
    return Response.json(answer, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
