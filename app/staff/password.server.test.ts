import { describe, expect, it } from "vitest";
import { hashStaffPassword, spendDecoyVerification, verifyStaffPassword } from "./password.server";

describe("staff passwords", () => {
  it("are stored as a salted scrypt hash that verifies only the same password", async () => {
    const hash = await hashStaffPassword("correct horse battery");
    expect(hash).toMatch(/^scrypt\$65536\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain("correct");
    expect(await verifyStaffPassword("correct horse battery", hash)).toBe(true);
    expect(await verifyStaffPassword("correct horse batterY", hash)).toBe(false);
    expect(await verifyStaffPassword("", hash)).toBe(false);
    // A new salt each time: equal passwords do not give equal hashes.
    expect(await hashStaffPassword("correct horse battery")).not.toBe(hash);
  });

  it("compare the NFC form, so the same characters typed differently still match", async () => {
    const hash = await hashStaffPassword("Caf\u00e9-password-2026");
    expect(await verifyStaffPassword("Cafe\u0301-password-2026", hash)).toBe(true);
  });

  it("refuse passwords under 12 characters", async () => {
    await expect(hashStaffPassword("elevenchars")).rejects.toThrow(/passwordTooShort/);
    await expect(hashStaffPassword("twelve chars")).resolves.toMatch(/^scrypt\$/);
  });

  it("refuse a stored value that is not one of our hashes", async () => {
    await expect(verifyStaffPassword("whatever-password", "bcrypt$2b$10$abc")).rejects.toThrow(/unrecognised/);
    await expect(verifyStaffPassword("whatever-password", "scrypt$1$2$3$salt")).rejects.toThrow(/unrecognised/);
  });

  it("spend as long on an unknown username as on a real check, and never succeed", async () => {
    const hash = await hashStaffPassword("a real password here");
    await spendDecoyVerification("warm-up-password");
    const time = async (work: () => Promise<unknown>) => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };
    const real = await time(() => verifyStaffPassword("a wrong password here", hash));
    const decoy = await time(() => spendDecoyVerification("a wrong password here"));
    expect(await spendDecoyVerification("a real password here")).toBe(false);
    // Same scrypt parameters: within a generous factor of each other (a decoy that skipped scrypt takes ~0 ms).
    expect(decoy).toBeGreaterThan(real / 4);
  });
});
