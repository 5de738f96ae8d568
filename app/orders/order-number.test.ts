import { describe, expect, it } from "vitest";
import { formatOrderNumber, luhnCheckDigit, newOrderNumber, parseOrderNumber, rocDateDigits } from "./order-number";

describe("order numbers", () => {
  it("start with the ROC date in Taipei", () => {
    expect(rocDateDigits(new Date("2026-11-23T15:59:59Z"))).toBe("1151123");
    expect(rocDateDigits(new Date("2026-11-23T16:00:00Z"))).toBe("1151124");
  });

  it("end with a Luhn check digit that catches a mistyped or swapped digit", () => {
    const number = newOrderNumber(new Date("2026-11-23T02:00:00Z"), () => 0.48215);
    expect(number).toBe(`115112348215${luhnCheckDigit("115112348215")}`);
    expect(parseOrderNumber(number)).toBe(number);
    expect(parseOrderNumber(formatOrderNumber(number))).toBe(number);
    expect(parseOrderNumber(` ${number.slice(0, 4)} ${number.slice(4)} `)).toBe(number);
    for (let i = 0; i < number.length; i++) {
      const wrong = number.slice(0, i) + String((Number(number[i]) + 1) % 10) + number.slice(i + 1);
      expect(parseOrderNumber(wrong)).toBeNull();
    }
    expect(parseOrderNumber("abc")).toBeNull();
  });

  it("are read out in three groups", () => {
    expect(formatOrderNumber("1151123482153")).toBe("1151123-48215-3");
  });
});
