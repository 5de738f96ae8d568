import { describe, expect, it } from "vitest";
import { formatVirtualAccount, isValidVirtualAccount, newVirtualAccount, virtualAccountCheckDigit } from "./virtual-account";

describe("virtual accounts", () => {
  it("are the prefix, 9 digits and a 3-7-1 check digit", () => {
    const account = newVirtualAccount("9528", () => 0.000012345);
    expect(account).toMatch(/^9528000012345\d$/);
    // 9·3 + 5·7 + 2·1 + 8·3 + 0… + 1·3 + 2·7 + 3·1 + 4·3 + 5·7 = 155 → check digit 5
    expect(virtualAccountCheckDigit("9528000012345")).toBe("5");
    expect(isValidVirtualAccount(account)).toBe(true);
  });

  it("refuse any single wrong digit and wrong lengths", () => {
    const account = newVirtualAccount("9528", () => 0.5);
    for (let i = 0; i < account.length; i++) {
      const wrong = account.slice(0, i) + String((Number(account[i]) + 3) % 10) + account.slice(i + 1);
      expect(isValidVirtualAccount(wrong)).toBe(false);
    }
    expect(isValidVirtualAccount(account.slice(1))).toBe(false);
    expect(() => newVirtualAccount("95")).toThrow(RangeError);
  });

  it("are shown in groups of four", () => {
    expect(formatVirtualAccount("95280000123455")).toBe("9528 0000 1234 55");
  });
});
