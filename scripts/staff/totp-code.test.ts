import { describe, expect, it } from "vitest";
import { createStaffAccount } from "~/staff/staff-accounts.server";
import { claimTotpStepForSignIn, enrolStaffTotpForDemo, totpCodeFor, totpStep } from "~/staff/totp.server";
import { currentTotpCode } from "./totp-code";

const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

describe("currentTotpCode", () => {
  it("gives the code of now, or of the next step once now's was used, and refuses when both were", async () => {
    const { id } = await createStaffAccount({ username: "demo.support", displayName: "客服示範", password: "long enough password", roles: ["SUPPORT"] });
    await enrolStaffTotpForDemo("demo.support", SECRET);
    const now = new Date("2026-11-23T02:00:05Z");
    expect(await currentTotpCode("demo.support", now)).toBe(totpCodeFor(SECRET, now));
    expect(await claimTotpStepForSignIn(id, totpStep(now), now)).toBe(true);
    const next = new Date(now.getTime() + 30_000);
    expect(await currentTotpCode("DEMO.support", now)).toBe(totpCodeFor(SECRET, next));
    expect(await claimTotpStepForSignIn(id, totpStep(next), now)).toBe(true);
    await expect(currentTotpCode("demo.support", now)).rejects.toThrow(/used already/);
    await expect(currentTotpCode("nobody.here", now)).rejects.toThrow(/no enrolled authenticator/);
  });
});
