import { describe, expect, it } from "vitest";
import { isOutlyingIslandPostcode } from "./outlying-islands";

describe("isOutlyingIslandPostcode", () => {
  it.each([
    ["209", "連江 南竿 (first)"], ["212", "連江 東引 (last)"], ["880", "澎湖 馬公"], ["885", "澎湖 湖西"],
    ["890", "金門 金沙"], ["894", "金門 烈嶼"], ["896", "金門 烏坵"], ["929", "屏東 琉球"],
    ["951", "台東 綠島"], ["952", "台東 蘭嶼"], ["88041", "澎湖, 3+2"], ["880-041", "澎湖, 3+3 with hyphen"],
  ])("%s (%s) is an outlying island", (postcode) => {
    expect(isOutlyingIslandPostcode(postcode)).toBe(true);
  });

  it.each([
    ["208", "新北 金山, just before 連江"], ["213", "just after 連江"], ["879", "just before 澎湖"], ["886", "just after 澎湖"],
    ["895", "between 金門's ranges"], ["897", "just after 烏坵"], ["928", "屏東 東港, just before 琉球"], ["950", "台東市"],
    ["953", "台東 延平"], ["100", "台北 中正"], ["10048", "台北, 3+2"],
  ])("%s (%s) is on the main island", (postcode) => {
    expect(isOutlyingIslandPostcode(postcode)).toBe(false);
  });

  it("refuses what is not a domestic postcode", () => {
    for (const bad of ["", "20", "2091", "abc", "209 12", "9520000"]) {
      expect(() => isOutlyingIslandPostcode(bad)).toThrow(RangeError);
    }
  });
});
