// Staff sign-in with TOTP in headless Chromium against a production build: a new admin enrols an authenticator
// from the QR code page (the key read off the page, as a person would type it), creates a colleague, signs out,
// and signs in again with a code from the app. Screenshots go to test-results/staff-*.png.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser } from "../../test/support/browser";
import { startAppUnderTest, type AppUnderTest } from "../../test/e2e/app-under-test";

const shots = path.resolve(import.meta.dirname, "../../test-results");
const PASSWORD = "e2e-Admin-pass-2026";
const OWN_PASSWORD = "the admin's own passphrase";

let service: AppUnderTest;
let browser: Awaited<ReturnType<typeof launchBrowser>>;
// Imported after startAppUnderTest has set the environment (app modules read it once).
let accounts: typeof import("./staff-accounts.server");
let totp: typeof import("./totp.server");
let db: typeof import("~/lib/db.server");

beforeAll(async () => {
  service = await startAppUnderTest({ env: {} });
  accounts = await import("./staff-accounts.server");
  totp = await import("./totp.server");
  db = await import("~/lib/db.server");
  browser = await launchBrowser();
  mkdirSync(shots, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await service?.stop();
}, 60_000);

describe("staff sign-in with an authenticator, in a browser", () => {
  it("replaces the set-up password and enrols at first sign-in, manages staff, and signs in again with a code", async () => {
    await accounts.createStaffAccount({ username: "e2e.admin", displayName: "系統管理員", password: PASSWORD, roles: ["ADMIN"] });
    const page = await browser.newPage({ locale: "zh-TW" });
    await page.goto(`${service.base}/staff/admin`);
    await page.waitForURL(/\/staff\/login\?next=%2Fstaff%2Fadmin$/);
    await page.fill("input[name=username]", "e2e.admin");
    await page.fill("input[name=password]", PASSWORD);
    await page.keyboard.press("Enter");

    // Issue 13: the password typed at `staff:create` is replaced by the member's own before anything else.
    await page.waitForURL(/\/staff\/password$/);
    await page.fill("input[name=currentPassword]", PASSWORD);
    await page.fill("input[name=password]", OWN_PASSWORD);
    await page.fill("input[name=passwordConfirm]", OWN_PASSWORD);
    await page.screenshot({ path: path.join(shots, "staff-password-first.png"), fullPage: true });
    await page.getByRole("button", { name: "變更密碼" }).click();

    await page.waitForURL(/\/staff\/enrol$/);
    const qr = page.locator("img.staff-qr");
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    expect(await qr.getAttribute("alt")).toContain("e2e.admin");
    const key = await page.locator(".staff-secret").innerText();
    expect(key).toMatch(/^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/);
    await page.screenshot({ path: path.join(shots, "staff-enrol.png"), fullPage: true });
    const secret = key.replace(/\s/g, "");
    // The code field has focus: a person types the code and presses Enter.
    await page.keyboard.type(totp.totpCodeFor(secret, new Date()));
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/staff\/admin$/);
    // The URL changes as the client-side navigation starts; the page renders once its data is in.
    await expect.poll(() => page.locator("main").innerText(), { timeout: 15_000 }).toContain("e2e.admin");

    await page.getByRole("link", { name: "新增人員" }).click();
    await page.waitForURL(/\/staff\/admin\/new$/);
    await page.fill("input[name=username]", "e2e.finance");
    await page.fill("input[name=displayName]", "財務 王小姐");
    await page.check("input[name=roles][value=FINANCE]");
    await page.fill("input[name=password]", "initial-pass-for-finance");
    await page.fill("input[name=passwordConfirm]", "initial-pass-for-finance");
    await page.fill("input[name=reason]", "新進人員，人事令 115-001");
    await page.getByRole("button", { name: "建立帳號" }).click();
    await page.waitForURL(/\/staff\/admin\/[0-9a-f-]{36}\?done=created$/);
    await expect.poll(() => page.getByRole("status").innerText(), { timeout: 15_000 }).toContain("首次登入時須設定驗證器");
    await page.screenshot({ path: path.join(shots, "staff-admin-created.png"), fullPage: true });
    const created = await db.prisma.staffAccount.findUniqueOrThrow({ where: { username: "e2e.finance" } });
    expect(created.roles).toEqual(["FINANCE"]);

    await page.getByRole("button", { name: "登出" }).click();
    await page.waitForURL(/\/staff\/login$/);
    await page.fill("input[name=username]", "e2e.admin");
    await page.fill("input[name=password]", OWN_PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/staff\/login\/code$/);
    // The enrolment used this step's code; the next step's is inside the window.
    await page.fill("input[name=code]", "000000" === totp.totpCodeFor(secret, new Date()) ? "111111" : "000000");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("[role=alert]").first().innerText(), { timeout: 10_000 }).toContain("驗證碼錯誤");
    await page.fill("input[name=code]", totp.totpCodeFor(secret, new Date(Date.now() + 30_000)));
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/staff$/);
    await expect.poll(() => page.locator("main").innerText(), { timeout: 15_000 }).toContain("人員管理");
    await page.close();
  }, 120_000);
});
