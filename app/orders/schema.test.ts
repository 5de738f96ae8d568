import { describe, expect, it } from "vitest";
import { orderText } from "~/components/order-text";
import { ordersEn } from "~/i18n/orders.en";
import { ordersZhTW } from "~/i18n/orders.zh-TW";
import { ADDRESS_MAX_LENGTH, parseApplication } from "./schema";

const valid = {
  mobile: "0912345678",
  email: "applicant@example.tw",
  postcode: "100",
  address: "臺北市中正區重慶南路一段 122 號",
  userCode: "Moica#2026",
  userCodeConfirm: "Moica#2026",
  terms: "on",
};

const errorsOf = (form: Record<string, unknown>) => {
  const result = parseApplication(form);
  if (result.success) throw new Error("expected field errors");
  return result.fieldErrors;
};

describe("the application schema", () => {
  it("accepts a complete application and normalises it", () => {
    const result = parseApplication({ ...valid, mobile: " 0912-345 678 ", address: "  臺北市中正區   重慶南路一段 122 號 " });
    expect(result).toEqual({
      success: true,
      data: {
        mobile: "0912345678",
        email: "applicant@example.tw",
        postcode: "100",
        address: "臺北市中正區 重慶南路一段 122 號",
        userCode: "Moica#2026",
        outlyingIsland: false,
      },
    });
  });

  it.each(["0912345678", "09-1234-5678", "0912 345 678"])("accepts the mobile number %s", (mobile) => {
    expect(parseApplication({ ...valid, mobile }).success).toBe(true);
  });

  it.each([
    ["091234567", "field.mobile.invalid"],
    ["09123456789", "field.mobile.invalid"],
    ["0212345678", "field.mobile.invalid"],
    ["+886912345678", "field.mobile.invalid"],
    ["09ab345678", "field.mobile.invalid"],
    ["", "field.mobile.required"],
    [undefined, "field.mobile.required"],
  ])("refuses the mobile number %s", (mobile, key) => {
    expect(errorsOf({ ...valid, mobile }).mobile).toBe(key);
  });

  it.each([
    ["100", "100", false],
    ["10048", "10048", false],
    ["100-48", "10048", false],
    ["100048", "100048", false],
    ["880", "880", true],
    ["88001", "88001", true],
    ["951", "951", true],
    ["209", "209", true],
    ["208", "208", false],
    ["893", "893", true],
    ["895", "895", false],
  ])("takes the postcode %s as %s (outlying island: %s)", (postcode, stored, outlying) => {
    const result = parseApplication({ ...valid, postcode });
    expect(result.success && result.data).toMatchObject({ postcode: stored, outlyingIsland: outlying });
  });

  it.each(["10", "1000", "1000489", "abc", "100 48", "000", "099", "990", "12345-6"])("refuses the postcode %s", (postcode) => {
    expect(errorsOf({ ...valid, postcode }).postcode).toBe("field.postcode.invalid");
  });

  it("refuses e-mail addresses that are not one", () => {
    for (const email of ["applicant", "a@", "@example.tw", "a b@example.tw", `${"a".repeat(250)}@example.tw`]) {
      expect(errorsOf({ ...valid, email }).email).toBe("field.email.invalid");
    }
    expect(errorsOf({ ...valid, email: "  " }).email).toBe("field.email.required");
  });

  it("wants a real, postable address of sensible length", () => {
    expect(errorsOf({ ...valid, address: "   " }).address).toBe("field.address.required");
    expect(errorsOf({ ...valid, address: "臺北市" }).address).toBe("field.address.tooShort");
    expect(errorsOf({ ...valid, address: "臺".repeat(ADDRESS_MAX_LENGTH + 1) }).address).toBe("field.address.tooLong");
    expect(parseApplication({ ...valid, address: "臺".repeat(ADDRESS_MAX_LENGTH) }).success).toBe(true);
    expect(errorsOf({ ...valid, address: "臺北市中正區<script>" }).address).toBe("field.address.invalid");
  });

  it("keeps the user code exactly as typed and wants it twice, case-sensitively", () => {
    expect(errorsOf({ ...valid, userCodeConfirm: "moica#2026" }).userCodeConfirm).toBe("field.userCodeConfirm.mismatch");
    expect(errorsOf({ ...valid, userCodeConfirm: undefined }).userCodeConfirm).toBe("field.userCodeConfirm.mismatch");
    for (const userCode of ["abc12", "A1b2C3d4E5f", "abc 123", "密碼密碼密碼", " Moica#2026"]) {
      expect(errorsOf({ ...valid, userCode, userCodeConfirm: userCode }).userCode).toBe("field.userCode.invalid");
    }
    const ten = "A1b2C3d4E!";
    expect(parseApplication({ ...valid, userCode: ten, userCodeConfirm: ten })).toMatchObject({ success: true, data: { userCode: ten } });
  });

  it("wants the terms accepted", () => {
    expect(errorsOf({ ...valid, terms: undefined }).terms).toBe("field.terms.required");
    expect(errorsOf({ ...valid, terms: "off" }).terms).toBe("field.terms.required");
  });

  it("gives one error per field, in both languages, and echoes back everything but the user code", () => {
    const result = parseApplication({ mobile: "0212345678", email: "x", postcode: "1", address: "", userCode: "secret-1", userCodeConfirm: "secret-2" });
    if (result.success) throw new Error("expected errors");
    expect(Object.keys(result.fieldErrors).sort()).toEqual(["address", "email", "mobile", "postcode", "terms", "userCodeConfirm"]);
    expect(result.values).toEqual({ mobile: "0212345678", email: "x", postcode: "1", address: "" });
    expect(JSON.stringify(result)).not.toContain("secret-");
    for (const key of Object.values(result.fieldErrors)) {
      expect(orderText("zh-TW", key as "field.mobile.invalid")).toMatch(/[\u4e00-\u9fff]/);
      expect(orderText("en", key as "field.mobile.invalid")).toMatch(/^[\x20-\x7e‘’“”–]+$/);
    }
    expect(orderText("zh-TW", "field.mobile.invalid")).toContain("09 開頭");
    expect(orderText("en", "field.mobile.invalid")).toContain("starting with 09");
  });
});

describe("orders messages", () => {
  it("have the same keys and no empty text in both languages", () => {
    expect(Object.keys(ordersEn).sort()).toEqual(Object.keys(ordersZhTW).sort());
    for (const [key, value] of [...Object.entries(ordersEn), ...Object.entries(ordersZhTW)]) expect(value.trim(), key).not.toBe("");
  });
});
