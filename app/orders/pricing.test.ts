import { describe, expect, it } from "vitest";
import { paymentDeadline, reissueFees } from "./pricing";

describe("reissueFees", () => {
  it("is NT$200 for the card plus NT$28 for registered mail", () => {
    expect(reissueFees()).toEqual({ cardNtd: 200, postageNtd: 28, totalNtd: 228 });
  });
});

describe("paymentDeadline", () => {
  it("is exactly 48 hours after the application, across a Taipei date change and month end", () => {
    // 23:59:59.999 Taipei on 30 Nov is 15:59:59.999 UTC
    expect(paymentDeadline(new Date("2026-11-30T15:59:59.999Z")).toISOString()).toBe("2026-12-02T15:59:59.999Z");
    expect(paymentDeadline(new Date("2028-02-28T12:00:00Z")).toISOString()).toBe("2028-03-01T12:00:00.000Z");
  });
});
