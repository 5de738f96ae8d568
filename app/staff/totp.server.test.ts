import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { prisma } from "~/lib/db.server";
import { createStaffAccount } from "./staff-accounts.server";
import {
  base32Decode, base32Encode, claimTotpStepForSignIn, decryptTotpSecret, encryptTotpSecret, enrolStaffTotpForDemo, generateTotpSecret,
  groupTotpSecret, hotp, matchTotpStep, readStaffTotpForDemo, totpCodeFor, totpEncryptionKey, totpQrSvg, totpStep, totpUri,
} from "./totp.server";

// RFC 6238 appendix B, SHA1: the ASCII seed "12345678901234567890", 8 digits.
const RFC_SEED = Buffer.from("12345678901234567890");
const RFC_VECTORS: Array<[number, string]> = [
  [59, "94287082"],
  [1111111109, "07081804"],
  [1111111111, "14050471"],
  [1234567890, "89005924"],
  [2000000000, "69279037"],
  [20000000000, "65353130"],
];

const at = (seconds: number) => new Date(seconds * 1000);

describe("TOTP codes", () => {
  it("match RFC 6238's SHA1 test vectors (8 digits) and their 6-digit truncation", () => {
    for (const [seconds, code] of RFC_VECTORS) {
      expect(hotp(RFC_SEED, totpStep(at(seconds)), 8)).toBe(code);
      expect(totpCodeFor(base32Encode(RFC_SEED), at(seconds))).toBe(code.slice(2));
    }
  });

  it("use base32 secrets of 20 random bytes, round-tripping as apps type them", () => {
    expect(base32Encode(RFC_SEED)).toBe("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    const secret = generateTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(base32Decode(secret)).toHaveLength(20);
    expect(generateTotpSecret()).not.toBe(secret);
    expect(base32Decode(groupTotpSecret(secret).toLowerCase())).toEqual(base32Decode(secret));
    expect(groupTotpSecret("ABCDEFGHIJKL")).toBe("ABCD EFGH IJKL");
    expect(() => base32Decode("ABC1")).toThrow();
  });

  it("accept the previous, current and next 30-second step only", () => {
    const secret = generateTotpSecret();
    const now = new Date("2026-11-23T02:00:10Z");
    const step = totpStep(now);
    for (const offset of [-30, 0, 30]) {
      const code = totpCodeFor(secret, new Date(now.getTime() + offset * 1000));
      expect(matchTotpStep(secret, code, now)).toBe(step + BigInt(offset / 30));
    }
    for (const offset of [-60, 60]) {
      const code = totpCodeFor(secret, new Date(now.getTime() + offset * 1000));
      // A code of a step two away may collide with a near one by chance (1 in 10^6 each); skip that case.
      const near = [-30, 0, 30].map((o) => totpCodeFor(secret, new Date(now.getTime() + o * 1000)));
      if (!near.includes(code)) expect(matchTotpStep(secret, code, now)).toBeNull();
    }
    expect(matchTotpStep(secret, "12345", now)).toBeNull();
    expect(matchTotpStep(secret, "abcdef", now)).toBeNull();
  });

  it("are offered as an otpauth URI naming the service and the account, and as an SVG QR code", async () => {
    const uri = totpUri("chen.support", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    expect(uri).toBe(
      `otpauth://totp/${encodeURIComponent("自然人憑證線上續卡後台")}:chen.support?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=${encodeURIComponent("自然人憑證線上續卡後台")}&algorithm=SHA1&digits=6&period=30`,
    );
    const svg = await totpQrSvg(uri);
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).not.toContain("GEZDGNBV");
  });
});

describe("TOTP secrets at rest", () => {
  const staffId = "01900000-0000-7000-8000-00000000000a";

  it("are AES-256-GCM ciphertexts that decrypt only unaltered, for the same account, under the same key", () => {
    const secret = generateTotpSecret();
    const stored = encryptTotpSecret(secret, staffId);
    expect(stored).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(stored).not.toContain(secret);
    expect(stored.length).toBeLessThanOrEqual(255);
    expect(encryptTotpSecret(secret, staffId)).not.toBe(stored);
    expect(decryptTotpSecret(stored, staffId)).toBe(secret);

    const [v, iv, ct, tag] = stored.split(".") as [string, string, string, string];
    const flip = (part: string) => {
      const bytes = Buffer.from(part, "base64url");
      bytes[0]! ^= 1;
      return bytes.toString("base64url");
    };
    expect(() => decryptTotpSecret([v, iv, flip(ct), tag].join("."), staffId)).toThrow();
    expect(() => decryptTotpSecret([v, iv, ct, flip(tag)].join("."), staffId)).toThrow();
    expect(() => decryptTotpSecret([v, flip(iv), ct, tag].join("."), staffId)).toThrow();
    expect(() => decryptTotpSecret(stored, "01900000-0000-7000-8000-00000000000b")).toThrow();
    expect(() => decryptTotpSecret(stored, staffId, randomBytes(32))).toThrow();
    expect(() => decryptTotpSecret(secret, staffId)).toThrow(/format/);
  });

  it("use STAFF_TOTP_KEY, or outside production a key derived from SESSION_SECRET; production without it fails", () => {
    const base = { SESSION_SECRET: "s".repeat(40), NODE_ENV: "development" as const };
    const fromKey = totpEncryptionKey({ ...base, STAFF_TOTP_KEY: "k".repeat(40) });
    const derived = totpEncryptionKey({ ...base, STAFF_TOTP_KEY: undefined });
    expect(fromKey).toHaveLength(32);
    expect(derived).toHaveLength(32);
    expect(derived.equals(fromKey)).toBe(false);
    expect(derived.equals(Buffer.from(base.SESSION_SECRET).subarray(0, 32))).toBe(false);
    expect(totpEncryptionKey({ ...base, STAFF_TOTP_KEY: undefined }).equals(derived)).toBe(true);
    expect(() => totpEncryptionKey({ ...base, NODE_ENV: "production", STAFF_TOTP_KEY: undefined })).toThrow(/required in production/);
    const secret = generateTotpSecret();
    expect(decryptTotpSecret(encryptTotpSecret(secret, staffId, derived), staffId, derived)).toBe(secret);
  });
});

describe("a code is used once", () => {
  const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

  async function enrolled() {
    const username = `totp.${randomBytes(4).toString("hex")}`;
    const { id } = await createStaffAccount({ username, displayName: "測試", password: "long enough password", roles: ["SUPPORT"] });
    await enrolStaffTotpForDemo(username, SECRET, new Date("2026-11-23T00:00:00Z"));
    return { id, username };
  }

  it("claims a step only if it is newer than the last one accepted: the same code again is refused", async () => {
    const { id } = await enrolled();
    const now = new Date("2026-11-23T02:00:00Z");
    const step = totpStep(now);
    expect(await claimTotpStepForSignIn(id, step, now)).toBe(true);
    expect(await claimTotpStepForSignIn(id, step, now)).toBe(false);
    // An older (still in the window) step after a newer one: refused too.
    expect(await claimTotpStepForSignIn(id, step - 1n, now)).toBe(false);
    expect(await claimTotpStepForSignIn(id, step + 1n, new Date(now.getTime() + 30_000))).toBe(true);
    expect((await prisma.staffAccount.findUniqueOrThrow({ where: { id } })).totpLastStep).toBe(step + 1n);
  });

  it("of parallel uses of one code, exactly one wins", async () => {
    const { id } = await enrolled();
    const now = new Date("2026-11-23T03:00:00Z");
    const results = await Promise.all(Array.from({ length: 10 }, () => claimTotpStepForSignIn(id, totpStep(now), now)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("is not accepted for a disabled or locked account, or one without an authenticator", async () => {
    const now = new Date("2026-11-23T04:00:00Z");
    const locked = await enrolled();
    await prisma.staffAccount.update({ where: { id: locked.id }, data: { lockedUntil: new Date(now.getTime() + 60_000) } });
    expect(await claimTotpStepForSignIn(locked.id, totpStep(now), now)).toBe(false);
    const disabled = await enrolled();
    await prisma.staffAccount.update({ where: { id: disabled.id }, data: { disabledAt: now } });
    expect(await claimTotpStepForSignIn(disabled.id, totpStep(now), now)).toBe(false);
    const reset = await enrolled();
    await prisma.staffAccount.update({ where: { id: reset.id }, data: { totpEnabledAt: null, totpSecretEnc: null } });
    expect(await claimTotpStepForSignIn(reset.id, totpStep(now), now)).toBe(false);
  });
});

describe("demo enrolment", () => {
  it("stores a known secret encrypted (audited) and reads it back, and refuses in production", async () => {
    const username = `demo.${randomBytes(4).toString("hex")}`;
    const { id } = await createStaffAccount({ username, displayName: "示範", password: "long enough password", roles: ["FINANCE"] });
    await enrolStaffTotpForDemo(username, "jbsw y3dp ehpk 3pxp");
    const row = await prisma.staffAccount.findUniqueOrThrow({ where: { id } });
    expect(row.totpEnabledAt).not.toBeNull();
    expect(row.totpSecretEnc).not.toContain("JBSWY3DP");
    expect(await readStaffTotpForDemo(username)).toEqual({ secretBase32: "JBSWY3DPEHPK3PXP", lastStep: null });
    expect(await prisma.auditEvent.count({ where: { action: "staff.totp_enrolled", subjectId: id } })).toBe(1);

    const saved = process.env.NODE_ENV;
    process.env.NODE_ENV = "production";
    try {
      await expect(enrolStaffTotpForDemo(username, "JBSWY3DPEHPK3PXP")).rejects.toThrow(/development and tests only/);
      await expect(readStaffTotpForDemo(username)).rejects.toThrow(/development and tests only/);
    } finally {
      process.env.NODE_ENV = saved;
    }
  });
});
