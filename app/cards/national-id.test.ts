import { describe, expect, it } from "vitest";
import { isValidNationalId, maskNationalId, nationalIdLast4 } from "./national-id";
import { nationalIdHash } from "./national-id.server";

describe("isValidNationalId", () => {
  it("accepts well-formed citizen and resident numbers", () => {
    expect(isValidNationalId("A123456789")).toBe(true);
    expect(isValidNationalId(" a123456789 ")).toBe(true); // trimmed, case-insensitive
    // residents since 2021: 8 or 9 as the 2nd character
    const resident = ["A8", "A9"].map((p) => [...Array(10).keys()].map((d) => `${p}0000000${d}`).find(isValidNationalId));
    expect(resident.every(Boolean)).toBe(true);
  });

  it("rejects a wrong check digit, a wrong shape and a wrong gender digit", () => {
    expect(isValidNationalId("A123456788")).toBe(false);
    expect(isValidNationalId("A12345678")).toBe(false);
    expect(isValidNationalId("1123456789")).toBe(false);
    expect(isValidNationalId("A323456789")).toBe(false);
  });

  it("uses the letter table's irregular values (I=34, O=35, W=32)", () => {
    // With I = 34 the check digit of I10000000? is 3; an alphabetical table (I = 18) would make it 9.
    const withI = [...Array(10).keys()].map((d) => `I10000000${d}`).filter(isValidNationalId);
    expect(withI).toEqual(["I100000003"]);
  });
});

describe("display and look-up", () => {
  it("masks all but the first six characters and keeps the last four for display", () => {
    expect(maskNationalId("A123456789")).toBe("A12345****");
    expect(nationalIdLast4("a123456789")).toBe("6789");
  });

  it("hashes with the key: same ID same hash, another key another hash, never the ID itself", () => {
    const a = nationalIdHash("A123456789", "k".repeat(32));
    expect(nationalIdHash(" a123456789", "k".repeat(32))).toBe(a);
    expect(nationalIdHash("A123456789", "j".repeat(32))).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toContain("123456789");
  });
});
