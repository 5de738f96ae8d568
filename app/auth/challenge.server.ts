// One-time login challenges: random, single-use, valid for 2 minutes, kept in Redis so that any web replica
// can verify what another issued. Consuming is atomic (GETDEL): a nonce can succeed at most once.
//
// Issue 13 (docs/decisions/009-login-binding.md): the card signs a text naming this site's origin and the nonce
// (`loginTbs`), so a signature made for another site is worthless here; and each nonce is bound to the browser
// that asked for it through a secret pre-login token that only an HttpOnly cookie carries, so a signature lifted
// from one browser cannot be replayed from another.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { env, type Env } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";

export const CHALLENGE_TTL_SECONDS = 120;
export const NONCE_PATTERN = /^[A-Za-z0-9_-]{43}$/;
export const PRE_LOGIN_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** The first line of every login tbs. A new format gets a new version, never a changed v1. */
export const LOGIN_TBS_VERSION = "moica-reissue-login:v1";

const key = (nonce: string) => `${env().QUEUE_PREFIX}:auth:challenge:${nonce}`;

/**
 * The origin the card's signature is bound to: from configuration only, never from the request (Host and
 * Origin are whatever the sender says). PUBLIC_BASE_URL is required in production; a development or test
 * process without it names its own port on localhost — the text only has to be the same at challenge and verify.
 */
export function loginOrigin(config: Pick<Env, "PUBLIC_BASE_URL" | "PORT"> = env()): string {
  return config.PUBLIC_BASE_URL ? new URL(config.PUBLIC_BASE_URL).origin : `http://localhost:${config.PORT}`;
}

/** The exact text the card signs: one `name=value` per line, no value can hold a newline (an origin, a base64url nonce). */
export function loginTbs({ origin, nonce }: { origin: string; nonce: string }): string {
  return `${LOGIN_TBS_VERSION}\norigin=${origin}\nnonce=${nonce}`;
}

const digest = (token: string) => createHash("sha256").update(token).digest();

export interface IssuedChallenge {
  nonce: string;
  /** What HiCOS is asked to sign (tbsEncoding NONE, i.e. these characters as UTF-8). */
  tbs: string;
  expiresAt: string;
  /** For the pre-login cookie only: never in a response body, a log or a URL. */
  preLoginToken: string;
}

/**
 * A new challenge bound to the browser's pre-login token. A browser that already holds a token of ours keeps
 * it (a second tab, a retry after a wrong PIN), so a newer challenge does not strand the one another tab shows.
 */
export async function issueChallenge({ preLoginToken, now = new Date() }: { preLoginToken?: string; now?: Date } = {}): Promise<IssuedChallenge> {
  const token = preLoginToken && PRE_LOGIN_TOKEN_PATTERN.test(preLoginToken) ? preLoginToken : randomBytes(32).toString("base64url");
  const nonce = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + CHALLENGE_TTL_SECONDS * 1000);
  // Redis holds a digest of the token, so reading Redis is not enough to pose as the browser.
  const stored = JSON.stringify({ expiresAt: expiresAt.toISOString(), browser: digest(token).toString("base64url") });
  await redis().set(key(nonce), stored, "EX", CHALLENGE_TTL_SECONDS, "NX");
  return { nonce, tbs: loginTbs({ origin: loginOrigin(), nonce }), expiresAt: expiresAt.toISOString(), preLoginToken: token };
}

/** A challenge stored before issue 13 (a bare expiry time, bound to no browser) reads as expired: the page asks again. */
function storedChallenge(stored: string): { expiresAt: string; browser: string } {
  try {
    const value = JSON.parse(stored) as { expiresAt?: unknown; browser?: unknown };
    if (typeof value.expiresAt === "string" && typeof value.browser === "string") return { expiresAt: value.expiresAt, browser: value.browser };
  } catch {
    // not JSON: the old format
  }
  return { expiresAt: new Date(0).toISOString(), browser: "" };
}

/**
 * "valid" once for a nonce we issued, unexpired, presented by the browser it was issued to; "unknown" for unknown,
 * expired or already used ones; "other-browser" when the pre-login token is missing or not this nonce's.
 * Every outcome spends the nonce: a relayed signature cannot be tried again with the right cookie.
 */
export async function consumeChallenge(
  nonce: string,
  { preLoginToken, now = new Date() }: { preLoginToken: string | undefined; now?: Date },
): Promise<"valid" | "unknown" | "other-browser"> {
  if (!NONCE_PATTERN.test(nonce)) return "unknown";
  const stored = await redis().getdel(key(nonce));
  if (stored === null) return "unknown";
  const { expiresAt, browser } = storedChallenge(stored);
  // Redis expires the key itself; the stored time also guards a clock passed in by tests and replicas.
  if (new Date(expiresAt).getTime() <= now.getTime()) return "unknown";
  if (!preLoginToken) return "other-browser";
  const expected = Buffer.from(browser, "base64url");
  const presented = digest(preLoginToken);
  return expected.length === presented.length && timingSafeEqual(presented, expected) ? "valid" : "other-browser";
}
