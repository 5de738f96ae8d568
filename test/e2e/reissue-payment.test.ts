// End to end in headless Chromium: log in with a card through the card simulator, apply, pay by card (Stripe
// answered by msw at its HTTP API, its hosted checkout played by a local page, the webhook delivered signed),
// see the paid status, and read the paid e-mail the workers sent through a real SMTP server.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { startSmtpCapture } from "../support/smtp-capture";
import { startAppUnderTest, type AppUnderTest } from "./app-under-test";

const root = path.resolve(import.meta.dirname, "../..");
let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let service: AppUnderTest;

beforeAll(async () => {
  smtp = await startSmtpCapture();
  service = await startAppUnderTest({
    env: { SMTP_URL: smtp.url, STRIPE_SECRET_KEY: "sk_test_moica_e2e", STRIPE_WEBHOOK_SECRET: "whsec_moica_e2e_secret" },
  });
}, 120_000);

afterAll(async () => {
  await service?.stop();
  await smtp?.stop();
}, 60_000);

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
      expect(await page.locator("main").innerText()).toContain("您可以申請線上續卡");
      mkdirSync(path.join(root, "test-results"), { recursive: true });
      await page.screenshot({ path: path.join(root, "test-results/reissue-e2e-1-eligible.png"), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});
