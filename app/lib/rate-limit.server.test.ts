import { describe, expect, it } from "vitest";
import { env } from "./env.server";
import { countAttempt, retryAfterSeconds } from "./rate-limit.server";
import { redis } from "./redis.server";

const limit = { name: "test-limit", max: 3, windowSeconds: 60 };

describe("rate limits", () => {
  it("allow up to max attempts per subject and window, then say how long to wait", async () => {
    for (let i = 1; i <= 3; i++) {
      expect(await retryAfterSeconds(limit, "203.0.113.7")).toBe(0);
      expect(await countAttempt(limit, "203.0.113.7")).toBe(i);
    }
    const wait = await retryAfterSeconds(limit, "203.0.113.7");
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(60);
    expect(await retryAfterSeconds(limit, "203.0.113.8")).toBe(0); // another subject is not affected
  });

  it("keeps no subject in clear in Redis", async () => {
    await countAttempt(limit, "TP03120111098939");
    const keys = await redis().keys(`${env().QUEUE_PREFIX}:ratelimit:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(" ")).not.toMatch(/TP03120111098939|203\.0\.113/);
  });
});
