// End to end in headless Chromium: log in with a card through the card simulator, apply, pay by card (Stripe
// answered by msw at its HTTP API, its hosted checkout played by a local page, the webhook delivered signed),
// see "processing" until the webhook confirms, then the paid status, and read the paid e-mail the workers sent
// through a real SMTP server. Screenshots go to test-results/.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCheckoutSessionsFake, stripeFallback, type CheckoutSessionsFake } from "../msw/stripe";
import { launchBrowser } from "../support/browser";
import { readCapturedMail, startSmtpCapture } from "../support/smtp-capture";
import { startAppUnderTest, type AppUnderTest } from "./app-under-test";
import { startFakeHostedCheckout, type FakeHostedCheckout } from "./fake-hosted-checkout";

const root = path.resolve(import.meta.dirname, "../..");
const shots = path.join(root, "test-results");
const WEBHOOK_SECRET = "whsec_moica_e2e_secret";
const USER_CODE = "Tw#2026ok";

let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let service: AppUnderTest;
let checkout: FakeHostedCheckout;
let stripeFake: CheckoutSessionsFake;
const msw = setupServer();

beforeAll(async () => {
  smtp = await startSmtpCapture();
  service = await startAppUnderTest({
    env: { SMTP_URL: smtp.url, STRIPE_SECRET_KEY: "sk_test_moica_e2e", STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET },
  });
  checkout = await startFakeHostedCheckout({ fake: () => stripeFake, webhookUrl: `${service.base}/webhooks/stripe`, secret: WEBHOOK_SECRET });
  stripeFake = createCheckoutSessionsFake({ checkoutPageUrl: (id) => checkout.pageUrl(id) });
  msw.use(...stripeFake.handlers, stripeFallback);
  // Only Stripe's API is outside the machine; the browser-facing servers and webhooks are real local traffic.
  msw.listen({ onUnhandledRequest: "bypass" });
  mkdirSync(shots, { recursive: true });
}, 120_000);

afterAll(async () => {
  msw.close();
  await checkout?.close();
  await service?.stop();
  await smtp?.stop();
}, 60_000);

type Page = Awaited<ReturnType<Awaited<ReturnType<typeof launchBrowser>>["newPage"]>>;

/** Waits until the page's main content says `text` (a client-side navigation commits its URL before it renders). */
async function mainSays(page: Page, text: string, timeout = 30_000): Promise<string> {
  try {
    await page.waitForFunction((wanted) => document.querySelector("main")?.textContent?.includes(wanted), text, { timeout });
  } catch (error) {
    throw new Error(`the page never said "${text}"; it shows:\n${await page.locator("body").innerText()}`, { cause: error });
  }
  return page.locator("main").innerText();
}

describe("a citizen reissues a card online", () => {
  it("logs in with the card, applies, pays by card and receives the paid e-mail", { timeout: 180_000 }, async () => {
    const { base, hicos } = service;
    const insert = await fetch(`${hicos}/control/insert`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ cardNumber: service.cardNumber }),
    });
    expect(insert.ok).toBe(true);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1000 } });
      await page.goto(`${base}/login`);
      await page.fill("#pin", service.pin);
      await page.click("button[type=submit]");
      await page.waitForURL(`${base}/reissue`, { timeout: 60_000 });
      await mainSays(page, "您可以申請線上續卡");

      // The application: contact details, a Penghu postcode (outlying island), the user code twice, the terms.
      await page.click("a[href='/reissue/apply']");
      await page.waitForURL(`${base}/reissue/apply`);
      await page.waitForSelector("input[name=mobile]");
      await page.fill("input[name=mobile]", "0912-345-678");
      await page.fill("input[name=email]", "lin.meiling@example.tw");
      await page.fill("input[name=postcode]", "880");
      await page.fill("input[name=address]", "澎湖縣馬公市治平路 32 號");
      await page.fill("input[name=userCode]", USER_CODE);
      await page.fill("input[name=userCodeConfirm]", USER_CODE);
      await page.check("input[name=terms]");
      await page.screenshot({ path: path.join(shots, "reissue-e2e-1-application.png"), fullPage: true });
      await page.click("form.application-form button[type=submit]");

      // The confirm step reads the data back; the code itself never comes back into the page.
      await page.waitForSelector("form[action='/reissue/apply?step=confirm']");
      const review = await mainSays(page, "確認申請資料");
      expect(review).toContain("澎湖縣馬公市治平路 32 號");
      expect(await page.content()).not.toContain(USER_CODE);
      await page.click("form[action='/reissue/apply?step=confirm'] button[type=submit]");
      await page.waitForURL(/\/reissue\/orders\/\d{12,13}$/);
      const orderNumber = new URL(page.url()).pathname.split("/").pop()!;
      const awaiting = await mainSays(page, "待繳費");
      expect(awaiting).toMatch(/228/);
      await page.screenshot({ path: path.join(shots, "reissue-e2e-2-awaiting-payment.png"), fullPage: true });

      // Card payment: off to the (fake) hosted page, pay, and back before Stripe's webhook has arrived.
      await page.click("form[action$='/pay/card'] button[type=submit]");
      await page.waitForURL(/127\.0\.0\.1:\d+\/pay\/cs_test_/);
      const [session] = [...stripeFake.sessions.values()];
      expect(session).toMatchObject({ currency: "twd", amount_total: 22800, metadata: { orderNumber } });
      await page.click("#pay");
      await page.waitForURL(`${base}/reissue/orders/${orderNumber}?checkout=returned`);
      // The redirect alone never marks the order paid.
      await mainSays(page, "付款處理中");
      await page.screenshot({ path: path.join(shots, "reissue-e2e-3-processing.png"), fullPage: true });

      expect(await checkout.deliveries[0]).toBe(200);
      await mainSays(page, "已繳費，等待製卡");
      await page.screenshot({ path: path.join(shots, "reissue-e2e-4-paid.png"), fullPage: true });

      // Exactly one paid e-mail, to the address given, with the order number and never the user code.
      const deadline = Date.now() + 30_000;
      while (smtp.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
      expect(smtp.received).toHaveLength(1);
      expect(smtp.received[0]!.to).toEqual(["lin.meiling@example.tw"]);
      const mail = readCapturedMail(smtp.received[0]!.raw);
      expect(mail.subject).toContain("線上申請續卡已繳費");
      expect(mail.text.replace(/\D/g, "")).toContain(orderNumber);
      expect(mail.text).not.toContain(USER_CODE);
    } finally {
      await browser.close();
    }
  });
});
