import { describe, expect, it } from "vitest";
import { renderPage } from "../../../test/support/render-page";
import type { ActivationPreview, ActivationReceipt as ActivationReceiptView } from "~/activation/activation.server";
import { Steps } from "~/components/landing/steps";
import { OrderFulfilment } from "~/components/order-fulfilment";
import type { FulfilmentView } from "~/fulfilment/fulfilment-status.server";
import type { Locale } from "~/lib/i18n";
import { ActivationFlow } from "./activation-flow";
import { ActivationLocked } from "./activation-locked";
import { ActivationForm, ActivationPreviewPanel, type ActivationFormProps } from "./activation-preview";
import { ActivationReceipt } from "./activation-receipt";

const render = renderPage;

// Listed encryption first on purpose: the page shows the signing certificate first, as the card does.
const preview: ActivationPreview = {
  orderNumber: "1151123482153",
  cardNumber: "TP91234567890123",
  holderName: "王小明",
  certificates: [
    {
      usage: "ENCRYPTION", serialNumber: "5A1B2C3D4E5F60718293A4B5C6D7E8F9", subjectDn: "C=TW, CN=王小明, serialNumber=0000000112345678",
      notBefore: "2026-11-30T16:00:00.000Z", notAfter: "2034-11-30T15:59:59.000Z",
    },
    {
      usage: "SIGNING", serialNumber: "0F1E2D3C4B5A69788796A5B4C3D2E1F0", subjectDn: "C=TW, CN=王小明, serialNumber=0000000112345678",
      notBefore: "2026-11-30T16:00:00.000Z", notAfter: "2034-11-30T15:59:59.000Z",
    },
  ],
  attemptsLeft: 3,
};

const { attemptsLeft: _, ...rest } = preview;
const receipt: ActivationReceiptView = { ...rest, activatedAt: "2026-12-05T01:02:03.000Z" };

const formProps = (overrides: Partial<ActivationFormProps> = {}): ActivationFormProps => ({
  locale: "zh-TW", userCode: "", onUserCodeChange: () => {}, accepted: false, onAcceptedChange: () => {}, busy: false,
  fieldErrors: {}, error: null, onSubmit: () => {}, ...overrides,
});

describe("the activation preview", () => {
  it("lists both certificates, signing first, with serials and validity in Taiwan time", async () => {
    const zh = await render("zh-TW", <ActivationPreviewPanel locale="zh-TW" preview={preview} attemptsKnown />);
    expect(zh.text).toContain("TP91234567890123");
    expect(zh.text).toContain("王小明");
    expect(zh.text).toContain("1151123-48215-3");
    const signing = zh.text.indexOf("0F1E2D3C4B5A69788796A5B4C3D2E1F0");
    const encryption = zh.text.indexOf("5A1B2C3D4E5F60718293A4B5C6D7E8F9");
    expect(signing).toBeGreaterThan(-1);
    expect(encryption).toBeGreaterThan(signing);
    expect(zh.text.indexOf("簽章用憑證")).toBeLessThan(zh.text.indexOf("加密用憑證"));
    // 16:00 UTC on 30 November is midnight on 1 December in Taipei.
    expect(zh.text).toContain("2026年12月1日 00:00:00 至 2034年11月30日 23:59:59");
    expect(zh.text).toContain("還可以輸入 3 次");
    const en = await render("en", <ActivationPreviewPanel locale="en" preview={preview} attemptsKnown />);
    expect(en.text).toContain("from 1 December 2026 at 00:00:00 to 30 November 2034 at 23:59:59");
    expect(en.text).toContain("Signing certificate");
    expect(en.text).toContain("3 more times");
  });

  it("drops its count of tries once a wrong code's own message has said how many are left", async () => {
    const { text } = await render("zh-TW", <ActivationPreviewPanel locale="zh-TW" preview={preview} attemptsKnown={false} />);
    expect(text).not.toContain("還可以輸入");
    expect(text).toContain("0F1E2D3C4B5A69788796A5B4C3D2E1F0");
  });
});

describe("the activation form", () => {
  it("asks for the user code (hidden, not remembered) and a required acceptance, with the 開卡 button", async () => {
    const { html, text } = await render("zh-TW", <ActivationForm {...formProps()} />);
    expect(html).toMatch(/<label for="user-code">用戶代碼<\/label>/);
    expect(html).toMatch(/<input[^>]*id="user-code"[^>]*type="password"[^>]*autoComplete="off"/i);
    expect(html).toMatch(/<input[^>]*id="accept"[^>]*type="checkbox"[^>]*required/);
    expect(html).toMatch(/<label for="accept">我已檢視上列憑證內容無誤，同意接受所簽發的憑證<\/label>/);
    expect(html).toMatch(/<button type="submit"[^>]*>開卡<\/button>/);
    expect(text).toContain("區分大小寫");
    expect(html).not.toContain('role="alert"');
  });

  it("shows the server's refusal as an alert tied to the code field, and field errors beside their fields", async () => {
    const wrong = "用戶代碼錯誤，還可以再試 2 次；錯誤達 4 次將鎖定開卡。";
    const { html, text } = await render("zh-TW", (
      <ActivationForm {...formProps({ error: wrong, fieldErrors: { accept: "請先勾選同意接受所簽發的憑證。" }, accepted: false })} />
    ));
    expect(html).toMatch(/<div[^>]*id="activation-form-error"[^>]*role="alert"/);
    expect(text).toContain(wrong);
    expect(html).toMatch(/id="user-code"[^>]*aria-invalid="true"[^>]*aria-describedby="user-code-hint activation-form-error"/);
    expect(html).toMatch(/id="accept"[^>]*aria-invalid="true"[^>]*aria-describedby="accept-error"/);
    const busy = await render("en", <ActivationForm {...formProps({ locale: "en", busy: true })} />);
    expect(busy.html).toMatch(/<button type="submit"[^>]*disabled=""[^>]*>Activate<\/button>/);
  });
});

describe("the locked panel", () => {
  it("says what to do: support on 0800-080-117 if the code is remembered, a household registration office if not", async () => {
    const zh = await render("zh-TW", <ActivationLocked locale="zh-TW" />);
    expect(zh.html).toMatch(/<div class="activation-locked" role="alert"/);
    expect(zh.text).toContain("0800-080-117");
    expect(zh.html).toContain('href="tel:+886800080117"');
    expect(zh.text).toContain("戶政事務所");
    expect(zh.text).toContain("不限戶籍地");
    expect(zh.text).toContain("委託書");
    expect(zh.text).toContain("戶政事務所不會代為開卡");
    const en = await render("en", <ActivationLocked locale="en" />);
    expect(en.text).toContain("0800-080-117");
    expect(en.text).toContain("household registration office");
    expect(en.text).toContain("letter of authorisation");
    expect(en.text).toContain("the office does not activate the card for you");
  });
});

describe("the receipt (收執聯)", () => {
  it("records the order, card, holder, both certificates and the activation time, with the print button", async () => {
    const { html, text } = await render("zh-TW", <ActivationReceipt locale="zh-TW" receipt={receipt} />);
    expect(html).toMatch(/<article class="activation-receipt"/);
    expect(text).toContain("自然人憑證線上續卡開卡收執聯");
    expect(text).toContain("1151123-48215-3");
    expect(text).toContain("TP91234567890123");
    expect(text).toContain("王小明");
    expect(text).toContain("0F1E2D3C4B5A69788796A5B4C3D2E1F0");
    expect(text).toContain("5A1B2C3D4E5F60718293A4B5C6D7E8F9");
    expect(text).toContain("2026年12月5日 09:02:03");
    expect(text).toContain("使用者憑證登記");
    expect(text).toContain("舊卡不受影響");
    expect(html).toMatch(/<button type="button"[^>]*>列印或存成 PDF<\/button>/);
    const en = await render("en", <ActivationReceipt locale="en" receipt={receipt} />);
    expect(en.text).toContain("Activation receipt");
    expect(en.text).toContain("5 December 2026 at 09:02:03");
    expect(en.html).toMatch(/<button type="button"[^>]*>Print or save as PDF<\/button>/);
  });
});

describe("the activation flow before the card is read", () => {
  it("offers only the 讀取卡片 button and an empty live status", async () => {
    const { html } = await render("zh-TW", <ActivationFlow hicosBaseUrl="http://localhost:61161" />);
    expect(html).toMatch(/<button type="button"[^>]*>讀取卡片<\/button>/);
    expect(html).toMatch(/<p role="status" class="activation-status"><\/p>/);
    expect(html).not.toContain('id="user-code"');
    expect(html).not.toContain("activation-receipt");
    const en = await render("en", <ActivationFlow hicosBaseUrl="http://localhost:61161" />);
    expect(en.html).toMatch(/<button type="button"[^>]*>Read card<\/button>/);
  });
});

describe("links to /activate", () => {
  const mailed: FulfilmentView = {
    stage: "MAILED", mailNumber: "12345678901234567890", mailNumberFormatted: "1234 5678 9012 3456 7890",
    trackingUrl: "https://postserv.post.gov.tw/pstmail/main_mail.html", dispatchedAt: "2026-11-25T06:00:00.000Z",
    estimate: { from: "2026-12-04", to: "2026-12-04", basis: "dispatch", passed: false }, tracking: [],
    deliveredAt: null, notReceived: { canReport: false, reportedAt: null },
  };
  const activateLink = /<a[^>]*href="\/activate"[^>]*>收到新卡了嗎？前往開卡<\/a>/;

  it("the order page offers activation once the card is in the post or delivered, and not before or after", async () => {
    const order = (view: FulfilmentView, locale: Locale = "zh-TW") =>
      render(locale, <OrderFulfilment locale={locale} orderNumber="1151123482153" view={view} />);
    expect((await order(mailed)).html).toMatch(activateLink);
    expect((await order({ ...mailed, stage: "DELIVERED", deliveredAt: "2026-12-03T02:30:00.000Z" })).html).toMatch(activateLink);
    expect((await order(mailed, "en")).html).toMatch(/<a[^>]*href="\/activate"[^>]*>Got your new card\? Activate it<\/a>/);
    expect((await order({ ...mailed, stage: "PRINTING", mailNumber: null, mailNumberFormatted: null })).html).not.toContain('href="/activate"');
    expect((await order({ ...mailed, stage: "ACTIVATED" })).html).not.toContain('href="/activate"');
  });

  it("the landing page's activation step links to /activate", async () => {
    const { html } = await render("zh-TW", <Steps />);
    expect(html).toMatch(/<h3><a[^>]*href="\/activate"[^>]*>網路開卡<\/a><\/h3>/);
    expect(html.match(/href="\/activate"/g)).toHaveLength(1);
  });
});
