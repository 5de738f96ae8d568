// After a look-up by national ID the order page shows A12345**** (maskNationalId of what was typed) instead of
// ******1234. The ID never goes into a URL, so the mask travels in a short-lived signed cookie bound to the order
// numbers that look-up found; it holds the mask only, never the ID.
import { createCookie } from "@remix-run/node";
import { z } from "zod";
import { env } from "~/lib/env.server";

const HINT_SECONDS = 15 * 60;
const hintSchema = z.object({ maskedId: z.string().regex(/^[A-Z]\d{5}\*{4}$/), orderNumbers: z.array(z.string().max(20)).max(50) });

function hintCookie() {
  return createCookie("moica_support_id_hint", {
    httpOnly: true,
    sameSite: "strict",
    path: "/staff/support",
    maxAge: HINT_SECONDS,
    secure: env().NODE_ENV === "production",
    secrets: [env().SESSION_SECRET],
  });
}

/** Set-Cookie for the mask of an ID that found these orders; an empty header value clears an older hint. */
export async function idHintHeader(maskedId: string | null, orderNumbers: string[]): Promise<string> {
  if (!maskedId) return hintCookie().serialize("", { maxAge: 0 });
  return hintCookie().serialize(hintSchema.parse({ maskedId, orderNumbers }));
}

/** The mask for this order, if the last look-up by ID found it. */
export async function idHintFor(request: Request, orderNumber: string): Promise<string | null> {
  const parsed = hintSchema.safeParse(await hintCookie().parse(request.headers.get("Cookie")));
  return parsed.success && parsed.data.orderNumbers.includes(orderNumber) ? parsed.data.maskedId : null;
}
