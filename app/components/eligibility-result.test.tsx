import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { EligibilityResult, formatTaipeiDate, formatTaipeiDateTime } from "~/components/eligibility-result";
import {
  addCalendarYears,
  assessEligibility,
  serializeAssessment,
  type EligibilityFacts,
  type SigningCertificateFacts,
} from "~/eligibility/rules";
import { eligibilityEn } from "~/i18n/eligibility.en";
import { eligibilityZhTW } from "~/i18n/eligibility.zh-TW";
import type { Locale } from "~/lib/i18n";

// Final end 22 Jan 2027 08:00 Taipei; the window opens 60 days earlier, 23 Nov 2026 08:00 Taipei.
const END = new Date("2027-01-22T00:00:00.000Z");
const certificate: SigningCertificateFacts = {
  notBefore: new Date("2019-01-22T00:00:00.000Z"), notAfter: END, extended: true, status: "VALID",
};

function render(locale: Locale, overrides: Partial<EligibilityFacts> & { now: Date }) {
  const assessment = serializeAssessment(
    assessEligibility({ signingCertificate: certificate, validCardCount: 1, openReissue: null, window: { daysBefore: 60, monthsAfter: 12 }, ...overrides }),
  );
  const html = renderToStaticMarkup(<EligibilityResult assessment={assessment} locale={locale} />);
  // Text as a reader sees it: tags dropped, entities decoded.
  const text = html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/&amp;/g, "&").replace(/\s+/g, " ");
  return { html, text };
}

const at = (iso: string) => new Date(iso);

describe("formatTaipeiDate", () => {
  it("shows the day in Taiwan, in each locale's words", () => {
    expect(formatTaipeiDate("zh-TW", "2026-11-22T16:00:00.000Z")).toBe("2026年11月23日");
    expect(formatTaipeiDate("en", "2026-11-22T16:00:00.000Z")).toBe("23 November 2026");
    expect(formatTaipeiDate("en", "2026-11-22T15:59:59.999Z")).toBe("22 November 2026");
  });

  it("rounds an opening up and a closing down to the minute, so the time shown is inside the window", () => {
    expect(formatTaipeiDateTime("zh-TW", "2026-11-23T00:00:00.001Z", "opens")).toBe("2026年11月23日 08:01");
    expect(formatTaipeiDateTime("en", "2026-11-23T00:00:59.999Z", "closes")).toBe("23 November 2026 at 08:00");
    expect(formatTaipeiDateTime("en", "2026-11-23T00:00:00.000Z", "opens")).toBe("23 November 2026 at 08:00");
  });
});

describe("EligibilityResult", () => {
  it("ELIGIBLE: says so, links to the application and shows the final end", () => {
    const zh = render("zh-TW", { now: at("2026-12-01T00:00:00Z") });
    expect(zh.html).toContain('role="status"');
    expect(zh.html).toMatch(/<h2[^>]*>您可以申請線上續卡<\/h2>/);
    expect(zh.html).toContain('href="/reissue/apply"');
    expect(zh.text).toContain("2027年1月22日");
    expect(zh.text).toContain("2026年11月23日 08:00 起至 2028年1月22日 08:00 止");
    const en = render("en", { now: at("2026-12-01T00:00:00Z") });
    expect(en.text).toContain("You can apply for a new card online");
    expect(en.text).toContain("22 January 2027");
    expect(en.html).toContain('href="/reissue/apply"');
  });

  it("ELIGIBLE after the end: explains the old card works for this service only, until the window closes", () => {
    const { text } = render("zh-TW", { now: at("2027-06-01T00:00:00Z"), signingCertificate: { ...certificate, status: "EXPIRED" } });
    expect(text).toContain("已於 2027年1月22日 到期");
    expect(text).toContain("原卡僅限線上續卡使用");
    expect(text).toContain("2028年1月22日 08:00 止");
    expect(render("en", { now: at("2027-06-01T00:00:00Z") }).text).toContain("for this service only");
  });

  it("TOO_EARLY: quotes code 45 and says when the window opens, in both languages", () => {
    const zh = render("zh-TW", { now: at("2026-01-01T00:00:00Z") });
    expect(zh.html).toContain('role="status"');
    expect(zh.text).toContain("此卡號無法作線上申辦新憑證。訊息代碼：45");
    expect(zh.text).toContain("未滿 8 年到期前 60 天");
    expect(zh.text).toContain("您可於 2026年11月23日 08:00 起申請線上續卡");
    const en = render("en", { now: at("2026-01-01T00:00:00Z") });
    expect(en.html).toContain('<q lang="zh-TW">此卡號無法作線上申辦新憑證。訊息代碼：45</q>');
    expect(en.text).toContain("Message code: 45");
    expect(en.text).toContain("23 November 2026");
    expect(en.text).toContain("within 60 days of its 8-year end");
    expect(en.html).not.toContain("/reissue/apply");
  });

  it("TOO_EARLY for a 5-year card: names the free extension that comes first", () => {
    const fiveYear = { ...certificate, notAfter: at("2026-06-30T16:00:00Z"), extended: false };
    const { text } = render("zh-TW", { now: at("2025-01-01T00:00:00Z"), signingCertificate: fiveYear });
    expect(text).toContain("2026年5月2日 00:00 起，可先辦理免費的展期");
    expect(text).toContain("目前的 5 年到期日 2026年7月1日");
    expect(text).toContain("展期後的到期日（8 年） 2029年7月1日");
  });

  it("EXTEND_INSTEAD: explains the extension, its dates, where to do it, and the MOICA site", () => {
    const fiveYear = { ...certificate, notAfter: END, extended: false };
    const zh = render("zh-TW", { now: at("2027-01-01T00:00:00Z"), signingCertificate: fiveYear });
    expect(zh.html).toMatch(/<h2[^>]*>請辦理免費的展期，不需換卡<\/h2>/);
    expect(zh.text).toContain("將於 2027年1月22日 到期");
    expect(zh.text).toContain("每張憑證限一次，不收取費用");
    expect(zh.text).toContain(`至 ${formatTaipeiDate("zh-TW", addCalendarYears(END, 3).toISOString())} 止`);
    expect(zh.text).toContain("任一戶政事務所");
    expect(zh.html).toContain('href="https://moica.nat.gov.tw"');
    const en = render("en", { now: at("2027-02-01T00:00:00Z"), signingCertificate: fiveYear });
    expect(en.text).toContain("expired on 22 January 2027");
    expect(en.text).toContain("free of charge");
  });

  it("TOO_MANY_VALID_CARDS: quotes 002's message and the support line", () => {
    const zh = render("zh-TW", { now: at("2026-12-01T00:00:00Z"), validCardCount: 2 });
    expect(zh.text).toContain("此身份證號目前有效正卡數超過 2 張");
    expect(zh.text).toContain("0800-080-117");
    const en = render("en", { now: at("2026-12-01T00:00:00Z"), validCardCount: 2 });
    expect(en.html).toContain('<q lang="zh-TW">此身份證號目前有效正卡數超過 2 張</q>');
    expect(en.text).toContain("two valid certificates");
  });

  it.each([
    ["REVOKED", "此憑證已廢止", "revoked"],
    ["SUSPENDED", "此憑證已停用", "suspended"],
  ] as const)("%s: an alert that sends the holder in person with ID, NT$250 and an e-mail address", (status, zhTitle, enWord) => {
    const zh = render("zh-TW", { now: at("2026-12-01T00:00:00Z"), signingCertificate: { ...certificate, status } });
    expect(zh.html).toContain('role="alert"');
    expect(zh.text).toContain(zhTitle);
    expect(zh.text).toContain("請親臨戶政事務所重新申請");
    expect(zh.text).toContain("國民身分證正本");
    expect(zh.text).toContain("IC 卡工本費 250 元");
    expect(zh.text).toContain("E-mail 信箱");
    expect(zh.text).toContain("不限戶籍地，可跨縣市辦理");
    const en = render("en", { now: at("2026-12-01T00:00:00Z"), signingCertificate: { ...certificate, status } });
    expect(en.text).toContain(enWord);
    expect(en.text).toContain("NT$250");
    expect(en.text).toContain("any household registration office");
  });

  it("WINDOW_CLOSED: says when it closed and sends the holder in person", () => {
    const zh = render("zh-TW", { now: at("2028-03-01T00:00:00Z") });
    expect(zh.html).toContain('role="alert"');
    expect(zh.text).toContain("已超過線上續卡申請期限");
    expect(zh.text).toContain("已於 2028年1月22日 08:00 截止");
    expect(zh.text).toContain("250 元");
    const en = render("en", { now: at("2028-03-01T00:00:00Z") });
    expect(en.text).toContain("closed on 22 January 2028 at 08:00");
    expect(en.text).toContain("NT$250");
  });

  it("AWAITING_ACTIVATION: asks for activation with the user code", () => {
    const newCard = { ...certificate, status: "AWAITING_ACTIVATION" as const };
    expect(render("zh-TW", { now: at("2026-12-01T00:00:00Z"), signingCertificate: newCard }).text).toContain("用戶代碼");
    expect(render("en", { now: at("2026-12-01T00:00:00Z"), signingCertificate: newCard }).text).toContain("user code");
  });

  it("ALREADY_APPLIED: shows the order, not a second application", () => {
    const openReissue = { orderId: "0190aaaa-0000-7000-8000-000000000001", orderNumber: "R2026112300001" };
    const zh = render("zh-TW", { now: at("2026-12-01T00:00:00Z"), openReissue });
    expect(zh.text).toContain("訂單編號 R2026112300001");
    expect(zh.html).toContain(`href="/reissue/orders/${openReissue.orderNumber}"`);
    expect(zh.html).not.toContain("/reissue/apply");
    expect(render("en", { now: at("2026-12-01T00:00:00Z"), openReissue }).text).toContain("order number R2026112300001");
  });

  it("labels the result by its heading and can be the page's h1", () => {
    const assessment = serializeAssessment(
      assessEligibility({ signingCertificate: certificate, validCardCount: 1, openReissue: null, now: END, window: { daysBefore: 60, monthsAfter: 12 } }),
    );
    const html = renderToStaticMarkup(<EligibilityResult assessment={assessment} locale="en" headingLevel={1} />);
    const labelledBy = /<section[^>]*aria-labelledby="([^"]+)"/.exec(html)?.[1];
    expect(html).toContain(`<h1 id="${labelledBy}">`);
    expect(html).toMatch(/<h2 id="[^"]+">What to do next<\/h2>/);
  });
});

describe("eligibility messages", () => {
  it("have the same keys and no empty text in both languages", () => {
    expect(Object.keys(eligibilityEn).sort()).toEqual(Object.keys(eligibilityZhTW).sort());
    for (const [key, value] of [...Object.entries(eligibilityEn), ...Object.entries(eligibilityZhTW)]) {
      expect(value.trim(), key).not.toBe("");
    }
  });
});
