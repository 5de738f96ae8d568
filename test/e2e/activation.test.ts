// End to end: a new card in the post is activated in headless Chromium through the card simulator (HiCOS's
// popup protocol): read the card, check the certificates, two wrong codes, then the right one → the receipt
// (收執聯), the certificates VALID. A second card locked after 4 wrong codes shows the locked panel; a support
// user signs in, finds it by card number and lifts the lock, and the holder activates it. Screenshots go to
// test-results/activation-e2e-*.png.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../support/browser";
import { startAppUnderTest, type AppUnderTest } from "./app-under-test";

const root = path.resolve(import.meta.dirname, "../..");
const shots = path.join(root, "test-results");
const SUPPORT_PASSWORD = "e2e-Support-pass-2026";

let service: AppUnderTest;
// Imported after startAppUnderTest has set the environment (app modules read it once, at first use).
let factories: typeof import("../factories/activation");
let db: typeof import("../../app/lib/db.server");
let cardFiles: typeof import("../../app/cards/card-file");
let staffAccounts: typeof import("../../app/staff/staff-accounts.server");
let totp: typeof import("../../app/staff/totp.server");
const SUPPORT_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

beforeAll(async () => {
  service = await startAppUnderTest({ env: {} });
  factories = await import("../factories/activation");
  db = await import("../../app/lib/db.server");
  cardFiles = await import("../../app/cards/card-file");
  staffAccounts = await import("../../app/staff/staff-accounts.server");
  totp = await import("../../app/staff/totp.server");
  mkdirSync(shots, { recursive: true });
}, 120_000);

afterAll(async () => {
  await service?.stop();
}, 60_000);

type Browser = Awaited<ReturnType<typeof launchBrowser>>;
type Page = Awaited<ReturnType<Browser["newPage"]>>;

/** A new card awaiting activation, put into the simulator's reader. */
async function insertNewCard(options: { locked?: boolean } = {}) {
  const fixture = await factories.createAwaitingActivationFixture({ holderName: "林美玲" });
  if (options.locked) {
    await db.prisma.reissueOrder.update({ where: { id: fixture.order.id }, data: { activationFailures: 4, activationLockedAt: new Date() } });
  }
  await cardFiles.writeCardFile(path.join(service.cardsDir, fixture.cardNumber), fixture.cardFile);
  const inserted = await fetch(`${service.hicos}/control/insert`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ cardNumber: fixture.cardNumber }),
  });
  expect(inserted.status).toBe(200);
  return fixture;
}

async function readCard(page: Page) {
  await page.goto(`${service.base}/activate`);
  await page.getByRole("button", { name: /讀取卡片/ }).click();
}

async function submitCode(page: Page, code: string) {
  await page.fill("#user-code", code);
  if (!(await page.isChecked("#accept"))) await page.check("#accept");
  await page.locator("button.activation-submit").click();
}

describe("activation in Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("reads the card, refuses two wrong codes, activates with the right one and shows the receipt", async () => {
    const fixture = await insertNewCard();
    const page = await browser.newPage({ locale: "zh-TW" });
    await readCard(page);
    const preview = page.locator(".activation-preview");
    await preview.waitFor({ timeout: 20_000 });
    const serials = (await db.prisma.certificate.findMany({ where: { cardId: fixture.newCardId } })).map((c) => c.serialNumber);
    const shown = await preview.innerText();
    for (const serial of serials) expect(shown).toContain(serial);
    expect(shown).toContain(fixture.cardNumber);
    expect(shown).toContain("林美玲");
    await page.screenshot({ path: path.join(shots, "activation-e2e-preview.png"), fullPage: true });

    await submitCode(page, "Wrong#111");
    await expect.poll(() => page.locator("#activation-form-error").innerText(), { timeout: 15_000 }).toContain("還可以再試 3 次");
    await submitCode(page, "Wrong#222");
    await expect.poll(() => page.locator("#activation-form-error").innerText(), { timeout: 15_000 }).toContain("還可以再試 2 次");

    await submitCode(page, factories.TEST_USER_CODE);
    const receipt = page.locator(".activation-receipt");
    await receipt.waitFor({ timeout: 15_000 });
    const text = await receipt.innerText();
    expect(text).toContain("收執聯");
    for (const serial of serials) expect(text).toContain(serial);
    await page.screenshot({ path: path.join(shots, "activation-e2e-receipt.png"), fullPage: true });

    const certificates = await db.prisma.certificate.findMany({ where: { cardId: fixture.newCardId } });
    expect(certificates.map((c) => c.status)).toEqual(["VALID", "VALID"]);
    const order = await db.prisma.reissueOrder.findUniqueOrThrow({ where: { id: fixture.order.id } });
    expect(order).toMatchObject({ status: "ACTIVATED", activationFailures: 2 });
    await page.close();
  }, 90_000);

  it("a locked card shows what to do; support lifts the lock; the holder activates", async () => {
    const fixture = await insertNewCard({ locked: true });
    const citizen = await browser.newPage({ locale: "zh-TW" });
    await readCard(citizen);
    const locked = citizen.locator(".activation-locked");
    await locked.waitFor({ timeout: 20_000 });
    const advice = await locked.innerText();
    expect(advice).toContain("0800-080-117");
    expect(advice).toContain("戶政事務所");
    await citizen.screenshot({ path: path.join(shots, "activation-e2e-locked.png"), fullPage: true });

    await staffAccounts.createStaffAccount({ username: "e2e.support", displayName: "客服測試員", password: SUPPORT_PASSWORD, roles: ["SUPPORT"] });
    await totp.enrolStaffTotpForDemo("e2e.support", SUPPORT_TOTP_SECRET);
    const staff = await browser.newPage({ locale: "zh-TW" });
    await staff.goto(`${service.base}/staff/activation`);
    await staff.waitForURL(/\/staff\/login/);
    await staff.fill("input[name=username]", "e2e.support");
    await staff.fill("input[name=password]", SUPPORT_PASSWORD);
    await staff.locator("form button[type=submit]").click();
    await staff.waitForURL(/\/staff\/login\/code$/);
    await staff.fill("input[name=code]", totp.totpCodeFor(SUPPORT_TOTP_SECRET, new Date()));
    await staff.locator("main form button[type=submit]").click();
    // Back to the page that asked for the sign-in.
    await staff.waitForURL(/\/staff\/activation$/);
    await staff.fill("input[name=query]", fixture.cardNumber);
    await staff.locator("main form.staff-form button[type=submit]").click();
    await staff.waitForURL(new RegExp(`/staff/activation/${fixture.order.orderNumber}$`));
    // The URL changes as the client-side navigation starts; the page renders once its data is in.
    await expect.poll(() => staff.locator("main").innerText(), { timeout: 15_000 }).toContain("4 / 4");
    const detail = await staff.locator("main").innerText();
    expect(detail).not.toContain(fixture.nationalId);
    await staff.fill("section[aria-labelledby=lift-title] input[name=reason]", "持卡人來電，確認仍記得用戶代碼");
    await staff.check("input[name=remembersCode]");
    await staff.locator("section[aria-labelledby=lift-title] form button[type=submit]").click();
    await expect.poll(() => staff.locator("main").innerText(), { timeout: 15_000 }).toContain("客服解除鎖定");
    await staff.screenshot({ path: path.join(shots, "activation-e2e-staff-unlocked.png"), fullPage: true });

    await readCard(citizen);
    await citizen.locator(".activation-preview").waitFor({ timeout: 20_000 });
    await submitCode(citizen, factories.TEST_USER_CODE);
    await citizen.locator(".activation-receipt").waitFor({ timeout: 15_000 });
    const order = await db.prisma.reissueOrder.findUniqueOrThrow({ where: { id: fixture.order.id } });
    expect(order.status).toBe("ACTIVATED");
    const lifted = await db.prisma.auditEvent.findFirstOrThrow({ where: { action: "activation.lock_lifted", subjectId: fixture.order.id } });
    expect(lifted.reason).toBe("持卡人來電，確認仍記得用戶代碼");
  }, 120_000);
});
