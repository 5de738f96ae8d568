// Issue 13, at login: what the CA says now decides (a card revoked or suspended since issue is refused with what to
// do), and a CA that cannot answer fails closed — a 503 that says to try later, no session, and no failed login
// counted against the holder. POST /auth/card/verify is called as Remix calls it, the status source in its context.
import { beforeEach, describe, expect, it } from "vitest";
import { issueCard, type IssuedCard } from "~/cards/issue-card.server";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { redis } from "~/lib/redis.server";
import { action as verify } from "~/routes/auth.card.verify";
import { nationalIdWithCheckDigit } from "../../test/factories/national-ids";
import { controlledCertificateStatus, type ControlledCertificateStatus } from "../../test/support/certificate-status";
import { cardSigningKey, signedCardLogin } from "../../test/factories/card-login";
import { LOGIN_FAILURE_LIMITS } from "./card-login.server";
import { preLoginCookieHeader } from "./pre-login-cookie.server";

const BASE = "http://localhost";
let seq = 0;

/** A card inside its reissue window (8-year end in 30 days), valid at issue. */
async function cardInWindow(): Promise<{ card: IssuedCard; signingCertificateId: string }> {
  const issuedAt = new Date(Date.now() + 30 * 86_400_000);
  issuedAt.setUTCFullYear(issuedAt.getUTCFullYear() - 8);
  const card = await issueCard({
    nationalId: nationalIdWithCheckDigit(`A2${String(31000000 + process.pid * 10 + ++seq).slice(-7)}`),
    name: "王小明", issuedAt, extended: true, status: "valid",
  });
  const signing = await prisma.certificate.findFirstOrThrow({ where: { cardId: card.cardId, usage: "SIGNING" } });
  return { card, signingCertificateId: signing.id };
}

async function postLogin(card: IssuedCard, certificateStatus: ControlledCertificateStatus, clientIp = "192.0.2.10") {
  // What the login page posts after HiCOS signed a fresh challenge's tbs, with the browser's pre-login cookie.
  const login = await signedCardLogin(cardSigningKey(card.file));
  const cookie = (await preLoginCookieHeader(login.preLoginToken)).split(";")[0]!;
  const request = new Request(`${BASE}/auth/card/verify`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Origin: BASE, Cookie: cookie },
    body: JSON.stringify(login.body),
  });
  return verify({ request, params: {}, context: { clientIp, certificateStatus } });
}

type ErrorBody = { error: { code: string; message: { "zh-TW": string; en: string } } };

beforeEach(async () => {
  const keys = await redis().keys(`${env().QUEUE_PREFIX}:ratelimit:*`);
  if (keys.length) await redis().del(...keys);
});

describe("login while the CA cannot answer (fail closed)", () => {
  it("answers 503 'try again later', starts no session, and counts no failed login against the card", async () => {
    const { card } = await cardInWindow();
    const ca = controlledCertificateStatus();
    ca.goDown();
    // More tries than the per-card limit allows failures: an outage must not lock the holder out afterwards.
    for (let i = 0; i <= LOGIN_FAILURE_LIMITS.card.max; i++) {
      const response = await postLogin(card, ca);
      expect(response.status).toBe(503);
      expect(response.headers.get("Set-Cookie")).toBeNull();
      expect(response.headers.get("Retry-After")).toBe("60");
      const body = (await response.json()) as ErrorBody;
      expect(body.error.code).toBe("CERTIFICATE_STATUS_UNAVAILABLE");
      expect(body.error.message["zh-TW"]).toContain("請稍後再試");
      expect(body.error.message.en).toMatch(/try again later/i);
    }

    const back = await postLogin(card, controlledCertificateStatus());
    expect(back.status).toBe(200);
    expect(back.headers.get("Set-Cookie")).toMatch(/^moica_session=/);
  });
});

describe("login refused for what the CA says now", () => {
  it("a card revoked since issue: 403, no session, and the explanation (new card at a counter, NT$250, 0800-080-117)", async () => {
    const { card, signingCertificateId } = await cardInWindow();
    const ca = controlledCertificateStatus();
    ca.set(signingCertificateId, "REVOKED");
    const response = await postLogin(card, ca);
    expect(response.status).toBe(403);
    expect(response.headers.get("Set-Cookie")).toBeNull();
    const { error } = (await response.json()) as ErrorBody;
    expect(error.code).toBe("CERTIFICATE_REVOKED");
    expect(error.message["zh-TW"]).toMatch(/^此憑證已廢止[\s\S]*250 元[\s\S]*戶政事務所[\s\S]*0800-080-117/);
    expect(error.message.en).toMatch(/^This certificate has been revoked[\s\S]*NT\$250[\s\S]*household registration office[\s\S]*0800-080-117/);
  });

  it("a card suspended since issue: 403 and the advice to resume it (復用) first, then log in again", async () => {
    const { card, signingCertificateId } = await cardInWindow();
    const ca = controlledCertificateStatus();
    ca.set(signingCertificateId, "SUSPENDED");
    const response = await postLogin(card, ca);
    expect(response.status).toBe(403);
    expect(response.headers.get("Set-Cookie")).toBeNull();
    const { error } = (await response.json()) as ErrorBody;
    expect(error.code).toBe("CERTIFICATE_SUSPENDED");
    expect(error.message["zh-TW"]).toMatch(/^此憑證已停用[\s\S]*憑證復用[\s\S]*重新登入[\s\S]*0800-080-117/);
    expect(error.message.en).toMatch(/^This certificate is suspended[\s\S]*resumed[\s\S]*log in again[\s\S]*0800-080-117/);
  });
});
