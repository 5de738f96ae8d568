import { renderToStaticMarkup } from "react-dom/server";
import type { ReactElement } from "react";
import { createStaticHandler, createStaticRouter, StaticRouterProvider, type StaticHandlerContext } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { ApplicationConfirm, ApplicationForm } from "~/components/application-form";
import { OrderStatus } from "~/components/order-status";
import { formatCountdown, formatTaipeiDateTime } from "~/components/order-text";
import type { Locale } from "~/lib/i18n";
import type { OrderStatusView } from "~/orders/order-status.server";

/** The components read the locale from the root route's data and use Remix's Form and Link: a data router gives both. */
async function render(locale: Locale, element: ReactElement) {
  const handler = createStaticHandler([{ id: "root", path: "/", element, loader: () => ({ locale }) }]);
  const context = (await handler.query(new Request("http://localhost/"))) as StaticHandlerContext;
  const router = createStaticRouter(handler.dataRoutes, context);
  const html = renderToStaticMarkup(<StaticRouterProvider router={router} context={context} hydrate={false} />);
  return { html, text: html.replace(/<[^>]+>/g, " ").replace(/&quot;/g, '"').replace(/&#x27;/g, "'").replace(/\s+/g, " ") };
}

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
