import { describe, expect, it } from "vitest";
import { CHUNGHWA_POST_TRACKING_URL } from "~/fulfilment/post-tracking-link";
import { formatEstimateDate, MAILED_MAIL_SUBJECT, renderMailedMail } from "./mailed-mail";

const facts = {
  orderNumber: "1151123482153",
  mailNumber: "12345678901234567890",
  // 16:05 UTC on Thursday is Friday 00:05 in Taipei.
  dispatchedAt: new Date("2026-03-05T16:05:09Z"),
  estimate: { from: "2026-03-17", to: "2026-03-17" },
  outlyingIsland: false,
};

describe("renderMailedMail", () => {
  it("names the order, the mail number, the Taiwan dispatch time and the expected date, zh-TW before English", () => {
    const { subject, text } = renderMailedMail(facts);
    expect(subject.startsWith(MAILED_MAIL_SUBJECT)).toBe(true);
    expect(subject).toContain("1151123-48215-3");
    expect(text).toContain("訂單編號：1151123-48215-3");
    expect(text).toContain("掛號郵件號碼：1234 5678 9012 3456 7890");
    expect(text).toContain("交寄時間：2026/03/06 00:05:09（台灣時間）");
    expect(text).toContain("預計送達：2026/03/17（二）前後（台灣本島，約 7 個工作天）");
    expect(text).toContain("Expected delivery: around Tue 17 Mar 2026 (Taiwan's main island");
    expect(text).toContain(CHUNGHWA_POST_TRACKING_URL);
    expect(text.indexOf("用戶代碼")).toBeLessThan(text.indexOf("Order number"));
    expect(text.indexOf("Order number")).toBeLessThan(text.indexOf("user code you chose"));
    expect(text).not.toContain("離島");
  });

  it("shows a range for an outlying island (002: 2–3 days more)", () => {
    const { text } = renderMailedMail({ ...facts, outlyingIsland: true, estimate: { from: "2026-03-19", to: "2026-03-20" } });
    expect(text).toContain("預計送達：2026/03/19（四）至2026/03/20（五）（離島，約 7 個工作天再加 2–3 天）");
    expect(text).toContain("between Thu 19 Mar 2026 and Fri 20 Mar 2026 (outlying island");
  });

  it("tells whom to call when the post shows delivered but no card came (002)", () => {
    const { text } = renderMailedMail(facts);
    expect(text).toMatch(/已簽收，但您確實仍未收到卡片，請洽免付費客服專線 0800-080-117/);
    expect(text).toMatch(/delivered but you have not received the card, call the free support line 0800-080-117/);
  });

  it("links the status page when the service's address is known", () => {
    expect(renderMailedMail(facts).text).not.toContain("https://reissue.example.tw");
    expect(renderMailedMail({ ...facts, statusUrl: "https://reissue.example.tw/reissue" }).text).toContain("https://reissue.example.tw/reissue");
  });
});

describe("formatEstimateDate", () => {
  it("adds the weekday", () => {
    expect(formatEstimateDate("2026-10-12")).toEqual({ "zh-TW": "2026/10/12（一）", en: "Mon 12 Oct 2026" });
    expect(formatEstimateDate("2028-01-02")).toEqual({ "zh-TW": "2028/01/02（日）", en: "Sun 2 Jan 2028" });
  });
});
