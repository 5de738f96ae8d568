// The two card-login endpoints as Remix calls them (issue 13's contract for outside clients): the challenge
// answers { nonce, tbs, expiresAt } and sets the pre-login cookie; verify logs in only the browser holding it.
import { describe, expect, it } from "vitest";
import { issueCard } from "~/cards/issue-card.server";
import { action as challengeAction } from "~/routes/auth.card.challenge";
import { action as verifyAction } from "~/routes/auth.card.verify";
import { cardSigningKey, signAsCard } from "../../test/factories/card-login";
import { nationalIdWithCheckDigit } from "../../test/factories/national-ids";
import { CHALLENGE_TTL_SECONDS, loginOrigin } from "./challenge.server";
import { preLoginCookie } from "./pre-login-cookie.server";

const BASE = "http://localhost";
let address = 0;
const args = (request: Request) => ({ request, params: {}, context: { clientIp: `192.0.2.${++address}` } });
const post = (path: string, { cookie, json }: { cookie?: string; json?: unknown } = {}) =>
  new Request(`${BASE}${path}`, {
    method: "POST",
    headers: { Origin: BASE, Accept: "application/json", ...(json ? { "Content-Type": "application/json" } : {}), ...(cookie ? { Cookie: cookie } : {}) },
    body: json ? JSON.stringify(json) : null,
  });

const issuedAt = new Date();
issuedAt.setUTCFullYear(issuedAt.getUTCFullYear() - 2);
const holderCard = () =>
  issueCard({ nationalId: nationalIdWithCheckDigit(`B2${String(Date.now() % 10_000_000).padStart(7, "0")}`), name: "張雅婷", issuedAt, extended: true, status: "valid" });

/** Asks for a challenge as the login page does; returns the answer and the cookie the browser would send back. */
async function challenge(cookie?: string) {
  const response = await challengeAction(args(post("/auth/card/challenge", { cookie })));
  const setCookie = response.headers.get("Set-Cookie") ?? "";
  return { response, body: (await response.json()) as Record<string, string>, setCookie, cookie: setCookie.split(";")[0]! };
}

describe("POST /auth/card/challenge", () => {
  it("answers nonce, tbs and expiresAt, and sets a short-lived HttpOnly SameSite=Strict pre-login cookie", async () => {
    const { response, body, setCookie } = await challenge();
    expect(response.status).toBe(200);
    expect(response.headers.get("Cache-Control")).toBe("no-store");
    expect(Object.keys(body).sort()).toEqual(["expiresAt", "nonce", "tbs"]);
    expect(body.tbs).toBe(`moica-reissue-login:v1\norigin=${loginOrigin()}\nnonce=${body.nonce}`);
    expect(setCookie).toMatch(/^moica_prelogin=[^;]+;/);
    expect(setCookie).toMatch(new RegExp(`Max-Age=${CHALLENGE_TTL_SECONDS}(;|$)`));
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\/(;|$)/);
    // The token is for the cookie only: nothing the page's script can read carries it.
    const token = await preLoginCookie().parse(setCookie.split(";")[0]!);
    expect(JSON.stringify(body)).not.toContain(token);
  });

  it("in production the cookie is Secure and __Host- prefixed", async () => {
    const serialized = await preLoginCookie({ production: true }).serialize("x");
    expect(serialized).toMatch(/^__Host-moica_prelogin=/);
    expect(serialized).toMatch(/; Secure/);
    expect(serialized).toMatch(/; Path=\/(;|$)/);
    expect(serialized).not.toMatch(/Domain=/i);
  });
});

describe("POST /auth/card/verify", () => {
  it("logs in the browser that holds the challenge's cookie, and clears that cookie", async () => {
    const card = await holderCard();
    const key = cardSigningKey(card.file);
    const { body, cookie } = await challenge();
    const login = { nonce: body.nonce!, signatureType: "PKCS1", signature: signAsCard(key, body.tbs!), certb64: Buffer.from(key.certificateDer).toString("base64"), cardSN: card.file.cardNumber };
    const response = await verifyAction(args(post("/auth/card/verify", { cookie, json: login })));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ next: "/reissue", scope: "full" });
    const cookies = response.headers.getSetCookie();
    expect(cookies.some((c) => c.startsWith("moica_session="))).toBe(true);
    expect(cookies.find((c) => c.startsWith("moica_prelogin="))).toMatch(/Max-Age=0/);
  });

  it("refuses the same signed login from a browser without the cookie or with another browser's (403, distinct code)", async () => {
    const card = await holderCard();
    const key = cardSigningKey(card.file);
    for (const otherBrowser of [undefined, (await challenge()).cookie]) {
      const { body } = await challenge();
      const login = { nonce: body.nonce!, signatureType: "PKCS7", signature: signAsCard(key, body.tbs!, "PKCS7"), certb64: Buffer.from(key.certificateDer).toString("base64"), cardSN: card.file.cardNumber };
      const response = await verifyAction(args(post("/auth/card/verify", { cookie: otherBrowser, json: login })));
      expect(response.status).toBe(403);
      const answer = (await response.json()) as { error: { code: string; message: { "zh-TW": string; en: string } } };
      expect(answer.error.code).toBe("CHALLENGE_OTHER_BROWSER");
      expect(answer.error.message.en).toMatch(/browser/);
      expect(response.headers.getSetCookie().some((c) => c.startsWith("moica_session="))).toBe(false);
    }
  });
});
