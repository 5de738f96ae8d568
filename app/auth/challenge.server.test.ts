import { describe, expect, it } from "vitest";
import { consumeChallenge, issueChallenge, NONCE_PATTERN } from "./challenge.server";

describe("login challenges", () => {
  it("are random, expire in 2 minutes, and succeed exactly once", async () => {
    const now = new Date("2026-11-23T01:00:00Z");
    const a = await issueChallenge({ now });
    const b = await issueChallenge({ now });
    expect(a.nonce).toMatch(NONCE_PATTERN);
    expect(a.nonce).not.toBe(b.nonce);
    expect(a.expiresAt).toBe("2026-11-23T01:02:00.000Z");
    expect(await consumeChallenge(a.nonce, { now })).toBe(true);
    expect(await consumeChallenge(a.nonce, { now })).toBe(false);
    expect(await consumeChallenge(b.nonce, { now })).toBe(true);
  });

  it("refuse an expired, unknown or malformed nonce", async () => {
    const issued = await issueChallenge({ now: new Date("2026-11-23T01:00:00Z") });
    expect(await consumeChallenge(issued.nonce, { now: new Date("2026-11-23T01:02:00Z") })).toBe(false);
    expect(await consumeChallenge("A".repeat(43))).toBe(false);
    expect(await consumeChallenge("not a nonce")).toBe(false);
  });

  it("can be consumed only once even by racing requests", async () => {
    const { nonce } = await issueChallenge();
    const results = await Promise.all(Array.from({ length: 20 }, () => consumeChallenge(nonce)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
