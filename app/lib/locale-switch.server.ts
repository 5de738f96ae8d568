import { redirect } from "@remix-run/node";
import { LOCALE_PARAM, localeCookieHeader, toLocale, withoutLocaleParam } from "~/lib/i18n";
import { safeRedirectPath } from "~/lib/safe-redirect";

/**
 * The language switch: remember the chosen locale in a cookie and go back to where the visitor was.
 * Works as a plain link or form, so it needs no JavaScript.
 */
export function switchLocale({ request, params }: { request: Request; params: URLSearchParams | FormData }): Response {
  let target = withoutLocaleParam(safeRedirectPath(params.get("redirectTo")));
  if (new URL(target, "http://localhost").pathname === "/lang") target = "/";
  const value = params.get(LOCALE_PARAM);
  const locale = toLocale(typeof value === "string" ? value : null);
  if (!locale) return redirect(target);
  const secure = new URL(request.url).protocol === "https:";
  return redirect(target, { headers: { "Set-Cookie": localeCookieHeader(locale, { secure }) } });
}
