// End to end: a paid order goes through printing and the post to delivered, with the real workers on short
// intervals. The card-printing vendor and the post office live outside the machine: msw answers their HTTP APIs
// with the demo cores (the same ones `npm start` serves). The holder watches it in headless Chromium — printing,
// mailed with the mail number and the estimate, delivered — reads the "mailed" e-mail from a real SMTP server,
// and reports the card as not received. Screenshots go to test-results/fulfilment-e2e-*.png.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDemoPostOffice } from "../../scripts/demo-partners/post-office";
import { createDemoVendor } from "../../scripts/demo-partners/vendor";
import { postOfficeHandlers } from "../msw/post-office";
import { vendorHandlers } from "../msw/vendor";
import { launchBrowser } from "../support/browser";
import { readCapturedMail, startSmtpCapture } from "../support/smtp-capture";
import { startAppUnderTest, type AppUnderTest } from "./app-under-test";

const root = path.resolve(import.meta.dirname, "../..");
const shots = path.join(root, "test-results");
const VENDOR_URL = "https://print-vendor.test";
const POST_URL = "https://post-office.test";
const VENDOR_SECRET = "e2e-print-vendor-secret-0123456789abcdef";
const POST_KEY = "e2e-post-office-key";

let smtp: Awaited<ReturnType<typeof startSmtpCapture>>;
let service: AppUnderTest;
const newCardsDir = mkdtempSync(path.join(tmpdir(), "moica-e2e-new-cards-"));
const msw = setupServer();

beforeAll(async () => {
  smtp = await startSmtpCapture();
  const postOffice = createDemoPostOffice({ apiKey: POST_KEY, inTransitAfterMs: 2_000, deliveredAfterMs: 6_000 });
  const vendor = createDemoVendor({
    secret: VENDOR_SECRET,
    personaliseAfterMs: 4_000,
    dispatchAfterMs: 1_500,
    cardFilesDir: newCardsDir,
    onDispatched: ({ mailNumber, dispatchedAt }) => postOffice.acceptLetter({ mailNumber, acceptedAt: dispatchedAt }),
  });
  msw.use(...vendorHandlers(vendor, VENDOR_URL), ...postOfficeHandlers(postOffice, POST_URL));
  // Only the vendor and the post office are outside the machine; the browser's traffic is real local HTTP.
  msw.listen({ onUnhandledRequest: "bypass" });
  service = await startAppUnderTest({
    env: {
      SMTP_URL: smtp.url,
      PRINT_VENDOR_URL: VENDOR_URL,
      PRINT_VENDOR_SECRET: VENDOR_SECRET,
      POST_TRACKING_URL: POST_URL,
      POST_TRACKING_API_KEY: POST_KEY,
      PRINT_BATCH_INTERVAL_SECONDS: "1",
      PRINT_POLL_INTERVAL_SECONDS: "1",
      TRACKING_POLL_INTERVAL_SECONDS: "1",
    },
  });
  mkdirSync(shots, { recursive: true });
}, 120_000);

afterAll(async () => {
  msw.close();
  await service?.stop();
  await smtp?.stop();
  rmSync(newCardsDir, { recursive: true, force: true });
}, 60_000);

const CURRENT_STEP = ".fulfilment-steps [aria-current=step]";
type Page = Awaited<ReturnType<Awaited<ReturnType<typeof launchBrowser>>["newPage"]>>;

/**
 * Reloads until `selector` (default: the page's main content) says `text` — the status page is rendered on the
 * server. The step list names every step at all times, so stages are read from its current step.
 */
async function reloadUntil(page: Page, text: string, { selector = "main", timeout = 45_000 } = {}): Promise<string> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const found = page.locator(selector);
    const main = (await found.count()) > 0 ? await found.first().innerText() : await page.locator("main").innerText();
    if (main.includes(text)) return page.locator("main").innerText();
    if (Date.now() > deadline) throw new Error(`the page never said "${text}"; it shows:\n${main}`);
    await new Promise((r) => setTimeout(r, 1_000));
    await page.reload();
  }
}

describe("a paid order becomes a card in the post", () => {
  it("is printed, mailed with a tracking number and an estimate, delivered, and can be reported as not received", { timeout: 180_000 }, async () => {
    // App modules only now: startAppUnderTest has set the environment they read.
    const { prisma } = await import("../../app/lib/db.server");
    const { createPaidOrderFixture } = await import("../factories/fulfilment");
    const { formatMailNumber, CHUNGHWA_POST_TRACKING_URL } = await import("../../app/fulfilment/post-tracking-link");
    const { loadBatchLabels } = await import("../../app/fulfilment/labels.server");
    const { renderLabelSheet } = await import("../../app/fulfilment/label-sheet");

    const card = await prisma.card.findUniqueOrThrow({ where: { id: service.cardId } });

    const insert = await fetch(`${service.hicos}/control/insert`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ cardNumber: service.cardNumber }),
    });
    expect(insert.ok).toBe(true);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: { width: 1100, height: 1200 } });
      await page.goto(`${service.base}/login`);
      await page.fill("#pin", service.pin);
      await page.click("button[type=submit]");
      await page.waitForURL(`${service.base}/reissue`, { timeout: 60_000 });
      // Paid only now: the workers take a paid order to "delivered" in about ten seconds, which a login on a busy
      // machine can outlast, and the page must be watched from the printing step on.
      const { order } = await createPaidOrderFixture({
        appliedWith: { holderId: card.holderId, cardId: card.id },
        application: { postcode: "880", address: "澎湖縣馬公市治平路 32 號", email: "lin.meiling@example.tw" },
        paidAt: new Date(),
      });
      await page.goto(`${service.base}/reissue/orders/${order.orderNumber}`);

      // Printing: the workers batch the order within a second or two.
      await reloadUntil(page, "製卡中", { selector: CURRENT_STEP });
      await page.screenshot({ path: path.join(shots, "fulfilment-e2e-1-printing.png"), fullPage: true });

      // The address labels of its batch (the one place, with the vendor hand-off, where the address leaves).
      const item = await waitFor(() => prisma.printItem.findUnique({ where: { orderId: order.id }, include: { batch: true } }), 30_000);
      const labels = await loadBatchLabels(item.batch.batchNumber);
      expect(labels.labels).toMatchObject([{ postcode: "880", address: "澎湖縣馬公市治平路 32 號", name: "林美玲" }]);
      const labelPage = await browser.newPage({ viewport: { width: 900, height: 1200 } });
      await labelPage.setContent(renderLabelSheet({ batchNumber: labels.batchNumber, printedAt: new Date(), labels: labels.labels }));
      await labelPage.screenshot({ path: path.join(shots, "fulfilment-e2e-2-labels.png"), fullPage: true });
      await labelPage.close();

      // Mailed: the number, grouped for reading, with the post's tracking page; the estimate for Penghu is a range.
      const mail = await waitFor(() => prisma.registeredMail.findUnique({ where: { orderId: order.id } }), 30_000);
      const mailed = await reloadUntil(page, "已寄出", { selector: CURRENT_STEP });
      expect(mailed).toContain(formatMailNumber(mail.mailNumber));
      // Penghu (880): 2–3 days after the main island's 7 working days, so a range.
      expect(mailed).toMatch(/預計 \d+月\d+日（.）至 \d+月\d+日（.）之間送達/);
      expect(await page.locator(`a[href="${CHUNGHWA_POST_TRACKING_URL}"]`).count()).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(shots, "fulfilment-e2e-3-mailed.png"), fullPage: true });

      // The new card was certified: both certificates await activation, and the vendor wrote its card file.
      const newCard = await prisma.card.findFirstOrThrow({ where: { ordersReplacedBy: { some: { id: order.id } } }, include: { certificates: true } });
      expect(newCard.certificates.map((c) => c.status)).toEqual(["AWAITING_ACTIVATION", "AWAITING_ACTIVATION"]);
      expect(existsSync(path.join(newCardsDir, newCard.cardNumber, "card.json"))).toBe(true);

      // Exactly one "mailed" e-mail with the number; never the user code.
      const mailedMail = await waitFor(async () => smtp.received.find((m) => readCapturedMail(m.raw).text.includes(formatMailNumber(mail.mailNumber))), 30_000);
      expect(mailedMail.to).toEqual(["lin.meiling@example.tw"]);

      // Delivered: the holder may report that no card arrived; support gets a case.
      await reloadUntil(page, "沒有收到卡片？");
      await page.screenshot({ path: path.join(shots, "fulfilment-e2e-4-delivered.png"), fullPage: true });
      expect((await prisma.reissueOrder.findUniqueOrThrow({ where: { id: order.id } })).status).toBe("DELIVERED");
      await page.click("form:has(input[name=intent][value=report-not-received]) button[type=submit]");
      await reloadUntil(page, "已通知客服");
      await page.screenshot({ path: path.join(shots, "fulfilment-e2e-5-reported.png"), fullPage: true });
      expect(await prisma.supportCase.count({ where: { kind: "DELIVERED_NOT_RECEIVED", orderId: order.id } })).toBe(1);
    } finally {
      await browser.close();
    }
  });
});

async function waitFor<T>(read: () => Promise<T | null | undefined>, timeout: number): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 500));
  }
}
