import { describe, expect, it } from "vitest";
import { formatTaipeiDateTime, PAID_MAIL_SUBJECT, renderPaidMail } from "./paid-mail";

const facts = {
  orderNumber: "1151123482153",
  cardFeeNtd: 200,
  postageFeeNtd: 28,
  paidAt: new Date("2026-11-23T16:05:09Z"),
  outlyingIsland: false,
};

describe("renderPaidMail", () => {
  it("names the order, NT$228 and the Taiwan time, zh-TW before English", () => {
    const { subject, text } = renderPaidMail(facts);
    expect(subject.startsWith(PAID_MAIL_SUBJECT)).toBe(true);
    expect(subject).toContain("1151123-48215-3");
    expect(text).toContain("訂單編號：1151123-48215-3");
    expect(text).toContain("NT$228（IC 卡工本費 200 元 + 掛號郵資處理費 28 元）");
    // 16:05 UTC is past midnight in Taipei: the next day.
    expect(text).toContain("繳費時間：2026/11/24 00:05:09（台灣時間）");
    expect(text.indexOf("無法退費")).toBeLessThan(text.indexOf("Order number"));
    expect(text).toContain("0800-080-117");
    expect(text).not.toContain("離島");
  });

  it("adds the 2–3 days for an outlying island (002)", () => {
    const { text } = renderPaidMail({ ...facts, outlyingIsland: true });
    expect(text).toContain("離島，約 7 個工作天再加 2–3 天");
    expect(text).toContain("outlying island: about 7 working days plus 2–3 days");
  });

  it("links the status page when the service's address is known", () => {
    expect(renderPaidMail({ ...facts, statusUrl: "https://reissue.example.tw/reissue" }).text).toContain("https://reissue.example.tw/reissue");
  });
});

describe("formatTaipeiDateTime", () => {
  it("shows UTC+8 with a 24-hour clock", () => {
    expect(formatTaipeiDateTime(new Date("2026-01-01T04:00:00Z"))).toBe("2026/01/01 12:00:00");
  });
});
