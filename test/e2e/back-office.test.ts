// End to end, the back office in headless Chromium: a support user signs in with password + TOTP, finds an order by
// its registered-mail number (a holder whose old card has expired phones in) and lifts the activation lock; a
// finance user reconciles a day of card payments against Stripe's balance (msw answers Stripe's API from the
// fixture) and downloads the CSV export. Screenshots go to test-results/back-office-e2e-*.png.
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { setupServer } from "msw/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadStripeBalanceFixture, stripeBalanceTransactionsHandler } from "../msw/stripe-balance";
import { launchBrowser } from "../support/browser";
import { startAppUnderTest, type AppUnderTest } from "./app-under-test";

const root = path.resolve(import.meta.dirname, "../..");
const shots = path.join(root, "test-results");
const PASSWORD = "e2e-back-office-password";
const TOTP_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

let service: AppUnderTest;
let db: typeof import("../../app/lib/db.server");
let staffAccounts: typeof import("../../app/staff/staff-accounts.server");
let totp: typeof import("../../app/staff/totp.server");
const msw = setupServer();

beforeAll(async () => {
  msw.use(stripeBalanceTransactionsHandler(loadStripeBalanceFixture()));
  // Only Stripe is outside the machine; the browser's traffic is real local HTTP.
  msw.listen({ onUnhandledRequest: "bypass" });
  service = await startAppUnderTest({ env: { STRIPE_SECRET_KEY: "sk_test_e2e_back_office_0123456789" } });
  db = await import("../../app/lib/db.server");
  staffAccounts = await import("../../app/staff/staff-accounts.server");
  totp = await import("../../app/staff/totp.server");
  mkdirSync(shots, { recursive: true });
}, 120_000);

afterAll(async () => {
  msw.close();
  await service?.stop();
}, 60_000);

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
type Page = Awaited<ReturnType<Browser["newPage"]>>;

/** Password, then the authenticator's current code; lands on the page that asked for the sign-in. */
async function signIn(page: Page, username: string, roles: Array<"SUPPORT" | "FINANCE">, startAt: string) {
  await staffAccounts.createStaffAccount({ username, displayName: `${username} 測試`, password: PASSWORD, roles });
  await totp.enrolStaffTotpForDemo(username, TOTP_SECRET);
  await page.goto(`${service.base}${startAt}`);
  await page.waitForURL(/\/staff\/login/);
  await page.fill("input[name=username]", username);
  await page.fill("input[name=password]", PASSWORD);
  await page.locator("form:has(input[name=password]) button[type=submit]").click();
  await page.waitForURL(/\/staff\/login\/code$/);
  // The step after the last one used: two sign-ins within 30 s share a secret here, and a code is accepted once.
  const { lastStep } = await totp.readStaffTotpForDemo(username);
  const at = lastStep === null ? new Date() : new Date(Number(lastStep + 1n) * 30_000);
  await page.fill("input[name=code]", totp.totpCodeFor(TOTP_SECRET, at > new Date() ? at : new Date()));
  await page.locator("form:has(input[name=code]) button[type=submit]").click();
  await page.waitForURL(new RegExp(`${startAt.replace(/\//g, "\\/")}$`));
}

describe("back office in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("support signs in with TOTP, finds an order by its mail number and lifts the activation lock", async () => {
    const { createAwaitingActivationFixture } = await import("../factories/activation");
    const fixture = await createAwaitingActivationFixture({ holderName: "張志明" });
    await db.prisma.reissueOrder.update({ where: { id: fixture.order.id }, data: { activationFailures: 4, activationLockedAt: new Date() } });

    const page = await browser.newPage({ locale: "zh-TW" });
    await signIn(page, "e2e.desk", ["SUPPORT"], "/staff/support");
    await page.fill("input[name=query]", fixture.registeredMail.mailNumber);
    await page.locator("form:has(input[name=query]) button[type=submit]").click();
    await page.waitForURL(new RegExp(`/staff/support/${fixture.order.orderNumber}$`));
    // The URL changes as the client-side navigation starts; the order page renders once its data is in.
    await expect.poll(() => page.locator("main").innerText(), { timeout: 15_000 }).toContain(fixture.registeredMail.mailNumber);
    const text = await page.locator("main").innerText();
    expect(text).toContain(fixture.cardNumber);
    expect(text).not.toContain(fixture.nationalId);
    expect(await page.locator(`a[href*="post.gov.tw"]`).count()).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(shots, "back-office-e2e-support-order.png"), fullPage: true });

    await page.check("section[aria-labelledby=lift-title] input[name=remembersCode]");
    await page.fill("section[aria-labelledby=lift-title] input[name=reason]", "持卡人來電，舊卡已過期，確認記得用戶代碼");
    await page.locator("section[aria-labelledby=lift-title] form button[type=submit]").click();
    await expect.poll(async () => (await db.prisma.reissueOrder.findUniqueOrThrow({ where: { id: fixture.order.id } })).activationLockedAt, { timeout: 15_000 }).toBeNull();
    const lifted = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "activation.lock_lifted", subjectId: fixture.order.id } });
    expect(lifted.reason).toBe("持卡人來電，舊卡已過期，確認記得用戶代碼");
    const looked = await db.prisma.auditEvent.findMany({ where: { action: "support.looked_up", actorId: lifted.actorId! } });
    expect(looked.map((e) => (e.details as { by?: string }).by)).toContain("mail_number");
    await page.close();
  }, 90_000);

  it("finance reconciles a day against Stripe's balance and exports the payments as CSV", async () => {
    const { seedStripeFixtureDay, STRIPE_FIXTURE_DAY } = await import("../factories/finance");
    const seeded = await seedStripeFixtureDay();

    const page = await browser.newPage({ locale: "zh-TW", acceptDownloads: true });
    await signIn(page, "e2e.finance", ["FINANCE"], "/staff/finance/reconcile");
    await page.fill("input[name=day]", STRIPE_FIXTURE_DAY);
    await page.check("input[name=source][value=STRIPE]");
    await page.locator("main form.reconcile-form button[type=submit]").click();
    await page.waitForURL(/\/staff\/finance\/reconcile\?run=/);
    const run = await db.prisma.reconciliationRun.findFirstOrThrow({ where: { source: "STRIPE" }, orderBy: { startedAt: "desc" } });
    expect(run).toMatchObject({ matched: 1, exceptions: 3, matchedNtd: 228, feeNtd: 8 });
    const kinds = (await db.prisma.financeException.findMany({ where: { reconciliationRunId: run.id } })).map((e) => e.kind).sort();
    expect(kinds).toEqual(["CARD_NOT_IN_STRIPE", "STRIPE_AMOUNT_MISMATCH", "STRIPE_CHARGE_UNMATCHED"]);
    await page.screenshot({ path: path.join(shots, "back-office-e2e-reconcile.png"), fullPage: true });

    await page.goto(`${service.base}/staff/finance?from=${STRIPE_FIXTURE_DAY}&to=${STRIPE_FIXTURE_DAY}`);
    await page.fill("#export-from", STRIPE_FIXTURE_DAY);
    await page.fill("#export-to", STRIPE_FIXTURE_DAY);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.locator("section[aria-labelledby=finance-export-title] button[type=submit]").click(),
    ]);
    expect(download.suggestedFilename()).toBe(`payments-${STRIPE_FIXTURE_DAY}_${STRIPE_FIXTURE_DAY}.csv`);
    const csv = readFileSync(await download.path(), "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    for (const { order } of [seeded.matched, seeded.mismatch, seeded.missing]) expect(csv).toContain(order.orderNumber);
    expect(csv).toMatch(/\+08:00/);
    await page.screenshot({ path: path.join(shots, "back-office-e2e-finance.png"), fullPage: true });
    expect(await db.prisma.auditEvent.count({ where: { action: "finance.exported" } })).toBe(1);
    await page.close();
  }, 90_000);
});
