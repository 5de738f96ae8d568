// The pre-login cookie (issue 13): carries the token a login challenge is bound to, from POST /auth/card/challenge
// to POST /auth/card/verify. HttpOnly, so the page's script (and whatever reads the HiCOS exchange) never sees it;
// SameSite=Strict, since both requests are our own page's fetches; it lives as long as a challenge.
import { createCookie } from "@remix-run/node";
import { env } from "~/lib/env.server";
import { CHALLENGE_TTL_SECONDS, PRE_LOGIN_TOKEN_PATTERN } from "./challenge.server";

/** __Host- (Secure, Path=/, no Domain: no sibling subdomain can set or shadow it) wherever the site is https. */
export function preLoginCookie({ production = env().NODE_ENV === "production" }: { production?: boolean } = {}) {
  return createCookie(production ? "__Host-moica_prelogin" : "moica_prelogin", {
    httpOnly: true,
    sameSite: "strict",
    secure: production,
    path: "/",
    maxAge: CHALLENGE_TTL_SECONDS,
  });
}

/** The token the browser sent, if it is one of ours in shape. */
export async function readPreLoginToken(request: Request): Promise<string | undefined> {
  const value: unknown = await preLoginCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && PRE_LOGIN_TOKEN_PATTERN.test(value) ? value : undefined;
}

export async function preLoginCookieHeader(token: string): Promise<string> {
  return preLoginCookie().serialize(token);
}

/** After a login the token has done its work. */
export async function clearPreLoginCookieHeader(): Promise<string> {
  return preLoginCookie().serialize("", { maxAge: 0 });
}
