import { describe, expect, it } from "vitest";
import { renderPage } from "../../test/support/render-page";
import { ApplicationConfirm, ApplicationForm } from "~/components/application-form";
import { OrderStatus } from "~/components/order-status";
import { formatEstimateDate } from "~/components/order-fulfilment";
import { formatCountdown, formatTaipeiDateTime } from "~/components/order-text";
import type { FulfilmentView } from "~/fulfilment/fulfilment-status.server";
import type { Locale } from "~/lib/i18n";
import type { OrderStatusView } from "~/orders/order-status.server";

const render = renderPage;

const unpaid: OrderStatusView = {
  orderNumber: "1151123482153",
  orderNumberFormatted: "1151123-48215-3",
  status: "AWAITING_PAYMENT",
  phase: "AWAITING_PAYMENT",
  amount: { cardNtd: 200, postageNtd: 28, totalNtd: 228 },
  createdAt: "2026-11-23T02:00:00.000Z",
  paymentDeadline: "2026-11-25T02:00:00.000Z",
  secondsRemaining: 3 * 3600 + 5 * 60 + 9,
  atm: { bankCode: "822", virtualAccount: "95280000000019", virtualAccountFormatted: "9528 0000 0000 19", amountNtd: 228, expiresAt: "2026-11-25T02:00:00.000Z" },
  card: { available: true, latest: null },
  paidAt: null,
  deletedAt: null,
  outlyingIsland: false,
  fulfilment: null,
  timeline: [{ action: "order.created", at: "2026-11-23T02:00:00.000Z" }],
};

describe("OrderStatus", async () => {
  it("awaiting payment: deadline in Taiwan time, the countdown rendered on the server, ATM details and the card button", async () => {
    const zh = await render("zh-TW", <OrderStatus locale="zh-TW" view={unpaid} />);
    expect(zh.text).toContain("待繳費");
    expect(zh.text).toContain("1151123-48215-3");
    expect(zh.text).toContain("2026年11月25日 10:00:00");
    expect(zh.html).toContain('role="timer"');
    expect(zh.text).toContain("3 小時 05 分 09 秒");
    expect(zh.text).toContain("9528 0000 0000 19");
    expect(zh.text).toContain("822");
    expect(zh.text).toContain("228 元");
    expect(zh.html).toMatch(/<form method="post" action="\/reissue\/orders\/1151123482153\/pay\/card"[^>]*>/);
    expect(zh.text).toContain("申請成功，等待繳費");
    const en = await render("en", <OrderStatus locale="en" view={unpaid} />);
    expect(en.text).toContain("Awaiting payment");
    expect(en.text).toContain("25 November 2026 at 10:00:00");
    expect(en.text).toContain("3 h 05 min 09 s");
    expect(en.text).toContain("Pay NT$228 by credit card");
  });

  it("processing: says so, refreshes without JavaScript, and does not say paid", async () => {
    const { html, text } = await render("zh-TW", <OrderStatus locale="zh-TW" view={{ ...unpaid, phase: "PROCESSING", card: { available: true, latest: { status: "PENDING", startedAt: unpaid.createdAt } } }} />);
    expect(text).toContain("付款處理中");
    expect(text).toContain("請勿重複付款");
    expect(html).toMatch(/<noscript><meta http-equiv="refresh" content="4"\/?><\/noscript>/);
    expect(text).not.toContain("已繳費");
  });

  it("paid: frozen, no refund, queued for card making, no payment options", async () => {
    const paid: OrderStatusView = {
      ...unpaid, status: "PAID", phase: "PAID", atm: null, card: { available: false, latest: { status: "SUCCEEDED", startedAt: unpaid.createdAt } },
      paidAt: "2026-11-23T03:00:00.000Z", outlyingIsland: true,
      timeline: [...unpaid.timeline, { action: "order.paid", at: "2026-11-23T03:00:00.000Z", method: "CARD" }, { action: "mail.paid_sent", at: "2026-11-23T03:01:00.000Z" }],
    };
    const zh = await render("zh-TW", <OrderStatus locale="zh-TW" view={paid} />);
    expect(zh.text).toContain("已繳費，等待製卡");
    expect(zh.text).toContain("無法更改，也無法取消");
    expect(zh.text).toContain("無法退費");
    expect(zh.text).toContain("離島");
    expect(zh.html).not.toContain("/pay/card");
    expect(zh.html).not.toContain('role="timer"');
    expect(zh.text).toContain("信用卡繳費成功");
    expect(zh.text).toContain("已寄出「線上申請續卡已繳費」通知信");
    const en = await render("en", <OrderStatus locale="en" view={paid} />);
    expect(en.text).toContain("no longer be changed or cancelled");
    expect(en.text).toContain("no refund");
    expect(en.text).toContain("queued for card making");
  });

  it("deleted: why, apply again if still eligible, or in person with ID, NT$250 and an e-mail address", async () => {
    const deleted: OrderStatusView = {
      ...unpaid, status: "DELETED_UNPAID", phase: "DELETED_UNPAID", atm: null, card: { available: false, latest: null },
      secondsRemaining: 0, deletedAt: unpaid.paymentDeadline, outlyingIsland: null,
      timeline: [...unpaid.timeline, { action: "order.deleted_unpaid", at: unpaid.paymentDeadline }],
    };
    const zh = await render("zh-TW", <OrderStatus locale="zh-TW" view={deleted} />);
    expect(zh.text).toContain("未於申請成功後二天內完成繳費");
    expect(zh.html).toContain('href="/reissue"');
    expect(zh.text).toContain("250 元");
    expect(zh.text).toContain("戶政事務所");
    expect(zh.html).not.toContain("/pay/card");
    const en = await render("en", <OrderStatus locale="en" view={deleted} />);
    expect(en.text).toContain("not paid within 2 days");
    expect(en.text).toContain("NT$250");
  });

  it("formats the countdown and deadline for both languages", async () => {
    expect(formatCountdown("zh-TW", 48 * 3600)).toBe("48 小時 00 分 00 秒");
    expect(formatCountdown("en", -5)).toBe("0 h 00 min 00 s");
    expect(formatTaipeiDateTime("en", "2026-11-24T16:00:00.000Z")).toBe("25 November 2026 at 00:00:00");
  });
});

describe("OrderStatus: card making and delivery", async () => {
  const printing: FulfilmentView = {
    stage: "PRINTING", mailNumber: null, mailNumberFormatted: null, trackingUrl: "https://postserv.post.gov.tw/pstmail/main_mail.html",
    dispatchedAt: null, estimate: { from: "2026-12-02", to: "2026-12-02", basis: "payment", passed: false }, tracking: [],
    deliveredAt: null, notReceived: { canReport: false, reportedAt: null },
  };
  const mailed: FulfilmentView = {
    ...printing, stage: "MAILED", mailNumber: "12345678901234567890", mailNumberFormatted: "1234 5678 9012 3456 7890",
    dispatchedAt: "2026-11-25T06:00:00.000Z", estimate: { from: "2026-12-04", to: "2026-12-04", basis: "dispatch", passed: false },
    tracking: [
      { status: "ACCEPTED", occurredAt: "2026-11-25T06:00:00.000Z", office: null },
      { status: "IN_TRANSIT", occurredAt: "2026-11-26T01:00:00.000Z", office: "臺中郵件處理中心" },
    ],
  };
  const delivered: FulfilmentView = {
    ...mailed, stage: "DELIVERED", deliveredAt: "2026-12-03T02:30:00.000Z", notReceived: { canReport: true, reportedAt: null },
    tracking: [...mailed.tracking, { status: "DELIVERED", occurredAt: "2026-12-03T02:30:00.000Z", office: "臺北郵局" }],
  };
  const paidView = (fulfilment: FulfilmentView, status: OrderStatusView["status"] = "IN_PRODUCTION"): OrderStatusView => ({
    ...unpaid, status, phase: status, atm: null, card: { available: false, latest: null }, secondsRemaining: 0,
    paidAt: "2026-11-23T03:00:00.000Z", fulfilment,
  });
  const currentStep = (html: string) => [...html.matchAll(/<li class="fulfilment-steps__step[^"]*" aria-current="step">([^<]+)/g)].map((m) => m[1]);

  it("printing: the steps with the current one marked, and the estimate from payment with its weekday", async () => {
    const zh = await render("zh-TW", <OrderStatus locale="zh-TW" view={paidView(printing)} />);
    expect(zh.html).toMatch(/<ol class="fulfilment-steps" aria-label="進度">/);
    expect(currentStep(zh.html)).toEqual(["製卡中"]);
    expect(zh.text).toMatch(/已繳費 （已完成） 製卡中 （目前進度） 已寄出 已送達/);
    expect(zh.text).toContain("預計 12月2日（三）前後送達");
    expect(zh.text).toContain("由繳費日起算");
    expect(zh.html).not.toContain("postserv.post.gov.tw");
    expect(zh.text).not.toContain("新卡製作及寄送進度會顯示在這裡");
    const en = await render("en", <OrderStatus locale="en" view={paidView(printing)} />);
    expect(currentStep(en.html)).toEqual(["Card being made"]);
    expect(en.text).toContain("Expected around Wed 2 December");
    expect(en.text).toContain("counts from your payment");
  });

  it("an outlying island: a range; a passed estimate points to support", async () => {
    const island = { ...printing, estimate: { from: "2026-12-04", to: "2026-12-07", basis: "payment" as const, passed: true } };
    const zh = await render("zh-TW", <OrderStatus locale="zh-TW" view={paidView(island)} />);
    expect(zh.text).toContain("預計 12月4日（五）至 12月7日（一）之間送達");
    expect(zh.text).toContain("已超過預計送達日期");
    expect(zh.text).toContain("0800-080-117");
    const en = await render("en", <OrderStatus locale="en" view={paidView(island)} />);
    expect(en.text).toContain("Expected between Fri 4 December and Mon 7 December");
  });

  it("in the post: the mail number in a code block, the post's tracking page in a new window, and the post's events", async () => {
    const zh = await render("zh-TW", <OrderStatus locale="zh-TW" view={paidView(mailed, "MAILED")} />);
    expect(zh.text).toContain("郵遞運送中");
    expect(currentStep(zh.html)).toEqual(["已寄出"]);
    expect(zh.html).toMatch(/<code class="order-figure fulfilment-mail-number" data-mail-number="12345678901234567890"[^>]*>1234 5678 9012 3456 7890<\/code>/);
    expect(zh.html).toMatch(/<a href="https:\/\/postserv\.post\.gov\.tw\/pstmail\/main_mail\.html" target="_blank" rel="noopener noreferrer">中華郵政 國內快捷\/掛號\/包裹查詢<span[^>]*>（另開新視窗）<\/span><\/a>/);
    expect(zh.text).toContain("輸入上方的郵件號碼");
    expect(zh.text).toContain("預計 12月4日（五）前後送達");
    expect(zh.text).toContain("由寄出日起算");
    expect(zh.text).toContain("2026年11月25日 14:00:00");
    expect(zh.text).toMatch(/郵局已收寄 .*運送中（臺中郵件處理中心）/);
    expect(zh.html).not.toContain('name="intent"');
    const en = await render("en", <OrderStatus locale="en" view={paidView(mailed, "MAILED")} />);
    expect(en.text).toContain("Registered-mail number");
    expect(en.text).toContain("Enter the number above on the post's tracking page");
    expect(en.text).toContain("Expected around Fri 4 December");
  });

  it("delivered: when, activation next, and the not-received form posting back to this page", async () => {
    const zh = await render("zh-TW", <OrderStatus locale="zh-TW" view={paidView(delivered, "DELIVERED")} />);
    expect(currentStep(zh.html)).toEqual(["已送達"]);
    expect(zh.text).toContain("郵局顯示這封掛號信已於 2026年12月3日 10:30:00 送達");
    expect(zh.text).toContain("用戶代碼");
    expect(zh.text).not.toContain("預計");
    expect(zh.html).toMatch(/<h3 id="order-not-received-title">沒有收到卡片？<\/h3>/);
    expect(zh.html).toMatch(/<form method="post" action="\/reissue\/orders\/1151123482153"[^>]*><input type="hidden" name="intent" value="report-not-received"\/>/);
    expect(zh.text).toContain("郵局顯示已送達，但我沒有收到卡片");
    const en = await render("en", <OrderStatus locale="en" view={paidView(delivered, "DELIVERED")} />);
    expect(en.text).toContain("The post says delivered but I have no card");

    const reported = { ...delivered, notReceived: { canReport: false, reportedAt: "2026-12-06T01:00:00.000Z" } };
    const after = await render("zh-TW", <OrderStatus locale="zh-TW" view={paidView(reported, "DELIVERED")} />);
    expect(after.text).toContain("已通知客服，客服將與您聯繫");
    expect(after.text).toContain("2026年12月6日 09:00:00");
    expect(after.html).not.toContain('name="intent"');
  });

  it("returned and print problems: said plainly at the top, support will call, the support number", async () => {
    const returned = { ...mailed, stage: "RETURNED" as const, estimate: null };
    const zh = await render("zh-TW", <OrderStatus locale="zh-TW" view={paidView(returned, "MAILED")} />);
    expect(zh.html).toMatch(/<dd><strong>掛號信已退回<\/strong><\/dd>/);
    expect(zh.text).toContain("客服人員將與您聯繫");
    expect(zh.html).toContain('href="tel:+886800080117"');
    expect(zh.text).not.toContain("預計");
    const en = await render("en", <OrderStatus locale="en" view={paidView(returned, "MAILED")} />);
    expect(en.text).toContain("Letter returned");
    expect(en.text).toContain("0800-080-117");

    const problem = { ...printing, stage: "PRINT_PROBLEM" as const, estimate: null };
    const zhProblem = await render("zh-TW", <OrderStatus locale="zh-TW" view={paidView(problem)} />);
    expect(zhProblem.html).toMatch(/<dd><strong>製卡發生問題<\/strong><\/dd>/);
    expect(zhProblem.text).toContain("客服人員將與您聯繫");
    expect(currentStep(zhProblem.html)).toEqual(["製卡中"]);
    const enProblem = await render("en", <OrderStatus locale="en" view={paidView(problem)} />);
    expect(enProblem.text).toContain("Support will contact you");
  });

  it("activated: every step done, none current, no report form", async () => {
    const { html, text } = await render("zh-TW", <OrderStatus locale="zh-TW" view={paidView({ ...delivered, stage: "ACTIVATED", notReceived: { canReport: false, reportedAt: null } }, "ACTIVATED")} />);
    expect(currentStep(html)).toEqual([]);
    expect(html.match(/fulfilment-steps__step--done/g)).toHaveLength(4);
    expect(text).toContain("新卡已完成開卡");
    expect(html).not.toContain('name="intent"');
  });

  it("puts fulfilment events on the timeline in both languages", async () => {
    const actions = ["order.in_production", "order.certificates_issued", "order.mailed", "mail.mailed_sent", "order.delivered", "order.mail_returned", "order.print_rejected", "order.not_received_reported"] as const;
    const view = { ...paidView(delivered, "DELIVERED"), timeline: actions.map((action, index) => ({ action, at: `2026-11-2${index}T01:00:00.000Z` })) };
    const zh = await render("zh-TW", <OrderStatus locale="zh-TW" view={view} />);
    for (const label of ["已排入製卡", "新卡憑證已簽發", "新卡已以掛號寄出", "已寄出掛號郵件號碼通知信", "郵局顯示已送達", "掛號信已被退回", "製卡發生問題，已通知客服", "您回報未收到卡片"]) {
      expect(zh.text).toContain(label);
    }
    const en = await render("en", <OrderStatus locale="en" view={view} />);
    for (const label of ["Card making started", "New card sent by registered mail", "E-mail with the registered-mail number sent", "You reported the card not received"]) {
      expect(en.text).toContain(label);
    }
  });

  it("formats estimate dates with their weekday", () => {
    expect(formatEstimateDate("zh-TW", "2026-12-02")).toBe("12月2日（三）");
    expect(formatEstimateDate("zh-TW", "2027-01-03")).toBe("1月3日（日）");
    expect(formatEstimateDate("en", "2026-12-07")).toBe("Mon 7 December");
  });
});

describe("ApplicationForm", async () => {
  const applicant = { name: "王小明", nationalIdLast4: "6789" };
  const fees = { cardNtd: 200, postageNtd: 28, totalNtd: 228 };

  it("ties labels, hints and errors to their inputs, summarises errors at the top, and never fills in the user code", async () => {
    const { html, text } = await render(
      "zh-TW",
      <ApplicationForm
        applicant={applicant}
        fees={fees}
        values={{ mobile: "0212345678", email: "a@b.tw", postcode: "951", address: "臺東縣綠島鄉南寮村 1 號", terms: "on" }}
        fieldErrors={{ mobile: "field.mobile.invalid", userCodeConfirm: "field.userCodeConfirm.mismatch" }}
      />,
    );
    expect(html).toMatch(/<div class="error-summary" role="alert"/);
    expect(text).toContain("有 2 個欄位需要修正");
    expect(html).toContain('href="#apply-mobile"');
    expect(html).toContain('<label for="apply-mobile">');
    expect(html).toMatch(/<input id="apply-mobile" aria-invalid="true" aria-describedby="apply-mobile-hint apply-mobile-error" name="mobile"[^>]*value="0212345678"/);
    expect(html).toMatch(/<input id="apply-userCodeConfirm" aria-invalid="true" aria-describedby="apply-userCodeConfirm-error"/);
    expect(html).not.toMatch(/name="userCode(Confirm)?"[^>]*value=/);
    expect(text).toContain("行動電話須為 09 開頭");
    expect(text).toContain("王小明");
    expect(text).toContain("6789");
    expect(text).toContain("離島地區");
    // The terms of 002: data correctness, no changes or refund after payment, 2 days, NT$228, delivery.
    for (const term of ["正確性", "無法更改", "無法退費", "二天內完成繳費", "200 元", "28 元", "合計 228 元", "7 個工作天", "離島收件時間延後 2–3 天"]) {
      expect(text).toContain(term);
    }
    const en = await render("en", <ApplicationForm applicant={applicant} fees={fees} fieldErrors={{ terms: "field.terms.required" }} />);
    expect(en.text).toContain("Read and accept the terms of use.");
    expect(en.text).not.toContain("outlying island: delivery");
  });

  it("confirm step: reads the details back, hides the user code, and offers edit and confirm", async () => {
    const draft = { mobile: "0912345678", email: "a@b.tw", postcode: "88001", address: "澎湖縣馬公市治平路 32 號", outlyingIsland: true };
    const { html, text } = await render("en", <ApplicationConfirm applicant={applicant} fees={fees} draft={draft} formError={{ "zh-TW": "您已有一筆進行中的線上續卡申請", en: "You already have a reissue application in progress" }} />);
    for (const shown of ["0912345678", "a@b.tw", "88001", "澎湖縣馬公市治平路 32 號", "●●●●", "NT$228", "Outlying island"]) expect(text).toContain(shown);
    expect(html).toContain('name="intent" value="confirm"');
    expect(html).toContain('href="/reissue/apply"');
    expect(text).toContain("You already have a reissue application in progress");
    expect(text).not.toContain("您已有");
  });
});
