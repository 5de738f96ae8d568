import { describe, expect, it } from "vitest";
import { consumeChallenge, issueChallenge, loginOrigin, loginTbs, NONCE_PATTERN, PRE_LOGIN_TOKEN_PATTERN } from "./challenge.server";

describe("login challenges", () => {
  it("are random, expire in 2 minutes, and succeed exactly once", async () => {
    const now = new Date("2026-11-23T01:00:00Z");
    const a = await issueChallenge({ now });
    const b = await issueChallenge({ now });
    expect(a.nonce).toMatch(NONCE_PATTERN);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.expiresAt).toBe("2026-11-23T01:02:00.000Z");
    expect(await consumeChallenge(a.nonce, { preLoginToken: a.preLoginToken, now })).toBe("valid");
    expect(await consumeChallenge(a.nonce, { preLoginToken: a.preLoginToken, now })).toBe("unknown");
    expect(await consumeChallenge(b.nonce, { preLoginToken: b.preLoginToken, now })).toBe("valid");
  });

  it("refuse an expired, unknown or malformed nonce", async () => {
    const issued = await issueChallenge({ now: new Date("2026-11-23T01:00:00Z") });
    const preLoginToken = issued.preLoginToken;
    expect(await consumeChallenge(issued.nonce, { preLoginToken, now: new Date("2026-11-23T01:02:00Z") })).toBe("unknown");
    expect(await consumeChallenge("A".repeat(43), { preLoginToken })).toBe("unknown");
    expect(await consumeChallenge("not a nonce", { preLoginToken })).toBe("unknown");
  });

  it("can be consumed only once even by racing requests", async () => {
    const { nonce, preLoginToken } = await issueChallenge();
    const results = await Promise.all(Array.from({ length: 20 }, () => consumeChallenge(nonce, { preLoginToken })));
    expect(results.filter((result) => result === "valid")).toHaveLength(1);
  });
});

describe("the text the card signs and the browser the challenge belongs to (issue 13)", () => {
  it("the tbs is the versioned text naming this site's configured origin and the nonce", async () => {
    const { nonce, tbs } = await issueChallenge();
    expect(tbs).toBe(`moica-reissue-login:v1\norigin=${loginOrigin()}\nnonce=${nonce}`);
    expect(loginTbs({ origin: "https://reissue.moica.nat.gov.tw", nonce })).toBe(
      `moica-reissue-login:v1\norigin=https://reissue.moica.nat.gov.tw\nnonce=${nonce}`,
    );
  });

  it("the origin is PUBLIC_BASE_URL's when set, else this process's own localhost port — never the request's", () => {
    expect(loginOrigin({ PUBLIC_BASE_URL: "https://reissue.moica.nat.gov.tw/some/path", PORT: 3000 })).toBe("https://reissue.moica.nat.gov.tw");
    expect(loginOrigin({ PUBLIC_BASE_URL: undefined, PORT: 4123 })).toBe("http://localhost:4123");
  });

  it("a challenge is bound to the browser that asked for it: another browser's token or none is refused", async () => {
    const mine = await issueChallenge();
    const theirs = await issueChallenge();
    expect(mine.preLoginToken).toMatch(PRE_LOGIN_TOKEN_PATTERN);
    expect(mine.preLoginToken).not.toBe(theirs.preLoginToken);
    expect(await consumeChallenge(mine.nonce, { preLoginToken: theirs.preLoginToken })).toBe("other-browser");
    const again = await issueChallenge();
    expect(await consumeChallenge(again.nonce, { preLoginToken: undefined })).toBe("other-browser");
    // Either refusal spends the challenge: a relayed signature cannot be tried again with the right cookie.
    expect(await consumeChallenge(mine.nonce, { preLoginToken: mine.preLoginToken })).toBe("unknown");
  });

  it("a browser that already holds a pre-login token keeps it for its next challenges (two tabs, a retry)", async () => {
    const first = await issueChallenge();
    const second = await issueChallenge({ preLoginToken: first.preLoginToken });
    expect(second.preLoginToken).toBe(first.preLoginToken);
    expect(await consumeChallenge(first.nonce, { preLoginToken: first.preLoginToken })).toBe("valid");
    expect(await consumeChallenge(second.nonce, { preLoginToken: first.preLoginToken })).toBe("valid");
    // A cookie value that is not one of ours is not adopted.
    expect((await issueChallenge({ preLoginToken: "attacker-chosen" })).preLoginToken).toMatch(PRE_LOGIN_TOKEN_PATTERN);
  });
});
