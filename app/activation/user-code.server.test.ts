import { describe, expect, it } from "vitest";
import { userCodeSchema } from "./schema";
import { hashUserCode, verifyUserCode } from "./user-code.server";

describe("userCodeSchema", () => {
  it("accepts 6–10 letters, digits and symbols", () => {
    for (const ok of ["abc123", "Ab#9x!", "A1b2C3d4E5", "!@#$%^", "~~~~~~"]) expect(userCodeSchema.safeParse(ok).success).toBe(true);
  });

  it("refuses too short, too long, spaces and non-ASCII, with a bilingual message", () => {
    for (const bad of ["abc12", "A1b2C3d4E5f", "abc 123", "密碼密碼密碼", "abc123\n"]) {
      const result = userCodeSchema.safeParse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/用戶代碼.*user code/);
    }
  });
});

describe("hashUserCode / verifyUserCode", () => {
  it("verifies the same code, case-sensitively, and never stores it", async () => {
    const stored = await hashUserCode("Moica#2026");
    expect(stored).toMatch(/^scrypt\$65536\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(stored).not.toContain("Moica");
    expect(await verifyUserCode("Moica#2026", stored)).toBe(true);
    expect(await verifyUserCode("moica#2026", stored)).toBe(false);
    expect(await verifyUserCode("Moica#202", stored)).toBe(false);
  });

  it("salts each hash", async () => {
    const [a, b] = await Promise.all([hashUserCode("abc123"), hashUserCode("abc123")]);
    expect(a).not.toBe(b);
    expect(await verifyUserCode("abc123", b)).toBe(true);
  });

  it("refuses to hash an invalid code and to read an unknown format", async () => {
    await expect(hashUserCode("short")).rejects.toThrow();
    await expect(verifyUserCode("abc123", "plain:abc123")).rejects.toThrow(/format/);
  });
});
