import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatOrderNumber, newOrderNumber } from "~/orders/order-number";
import { launchBrowser } from "../../test/support/browser";
import { LABEL_STOCK, LABELS_PER_SHEET, renderLabelSheet, type AddressLabel } from "./label-sheet";

const root = path.resolve(import.meta.dirname, "../..");
const printedAt = new Date("2026-11-23T06:05:00Z");
const BATCH = "P1151123-0007";

function labels(count: number): AddressLabel[] {
  return Array.from({ length: count }, (_, i) => ({
    position: i + 1,
    postcode: i === 1 ? "88041" : "100",
    address: i === 1 ? "澎湖縣馬公市治平路 32 號" : `臺北市中正區重慶南路一段 ${122 + i} 號`,
    name: `收件人${i + 1}`,
    orderNumber: newOrderNumber(printedAt, () => (i + 0.5) / 100),
  }));
}

/** The text of each label, in document order (tags removed). */
function labelTexts(html: string): string[] {
  return [...html.matchAll(/<div class="label"[^>]*>([\s\S]*?)\n<\/div>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim());
}

describe("renderLabelSheet", () => {
  it("is a self-contained zh-Hant-TW page whose labels follow the batch positions", () => {
    const input = labels(3);
    const html = renderLabelSheet({ batchNumber: BATCH, printedAt, labels: [input[2]!, input[0]!, input[1]!] });
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="zh-Hant-TW">/);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toMatch(/@page \{ size: A4; margin: 15\.1mm 4\.65mm; \}/);
    expect(html).toContain('"Noto Sans TC", "Noto Sans CJK TC", "PingFang TC", "Microsoft JhengHei", sans-serif');
    // Nothing fetched from anywhere: no src/href/url()/@import, and a policy that forbids it anyway.
    expect(html).not.toMatch(/\bsrc=|\bhref=|url\(|@import|<script/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
    const texts = labelTexts(html);
    expect(texts).toEqual(
      input.map((l) => `${l.postcode} ${l.address} ${l.name} 收 訂單 ${formatOrderNumber(l.orderNumber)} · ${BATCH} · #${l.position}`),
    );
    expect(texts[1]).toMatch(/^88041 澎湖縣馬公市治平路 32 號/);
    expect(html).toContain("本頁含個人資料，列印後請立即刪除檔案 / Contains personal data — delete the file after printing");
    expect(html).toContain("共 3 張標籤，1 頁 A4");
    expect(html).toContain("2026-11-23 14:05 (Asia/Taipei)");
    // The window title shows up in browser history and print queues: the batch, never a name.
    expect(html.match(/<title>(.*)<\/title>/)![1]).toBe(`地址標籤 Address labels ${BATCH}`);
  });

  it("renders markup, ampersands and quotes in a name or address as text", () => {
    const hostile: AddressLabel = {
      position: 1,
      postcode: "100",
      address: `<script>alert("x")</script> 中正路 1 號 & 'B' 棟`,
      name: `<img src=x onerror=alert(1)>"王"`,
      orderNumber: newOrderNumber(printedAt, () => 0.5),
    };
    const html = renderLabelSheet({ batchNumber: BATCH, printedAt, labels: [hostile] });
    expect(html).not.toContain("<script>");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; 中正路 1 號 &amp; &#39;B&#39; 棟");
    expect(html).toContain("&lt;img src=x onerror=alert(1)&gt;&quot;王&quot;");
  });

  it("starts a new sheet after every 14 labels, and a page break only between sheets", () => {
    expect(LABELS_PER_SHEET).toBe(14);
    const html = renderLabelSheet({ batchNumber: BATCH, printedAt, labels: labels(29) });
    const sheets = html.split('<section class="sheet"').slice(1);
    expect(sheets.map((s) => (s.match(/class="label"/g) ?? []).length)).toEqual([14, 14, 1]);
    expect(html).toContain(".sheet + .sheet { break-before: page; }");
  });
});

describe("the label sheet in headless Chromium", () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
    mkdirSync(path.join(root, "test-results"), { recursive: true });
  });
  afterAll(() => browser?.close());

  const countPdfPages = (pdf: Buffer) => (pdf.toString("latin1").match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;

  async function print(html: string) {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: "load" });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    return { page, pdf: await page.pdf({ preferCSSPageSize: true, printBackground: true }) };
  }

  it("prints 15 labels on 2 A4 pages and 14 on one; each label is 99.1 × 38.1 mm and nothing overflows", { timeout: 60_000 }, async () => {
    const fifteen = labels(15);
    // The longest address the form accepts (120 characters) and a long name must still fit their label.
    fifteen[2] = { ...fifteen[2]!, address: "臺北市".padEnd(120, "中正區重慶南路一段一二二號"), name: "Wolfgang Amadeus Theophilus Mozart-Habsburg" };
    const { page, pdf } = await print(renderLabelSheet({ batchNumber: BATCH, printedAt, labels: fifteen }));
    expect(pdf.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(countPdfPages(pdf)).toBe(2);
    // The page size Chromium chose is A4 (595.28 × 841.89 pt).
    const [, width, height] = pdf.toString("latin1").match(/\/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]/)!;
    expect(Math.abs(Number(width) - 595.28)).toBeLessThan(1);
    expect(Math.abs(Number(height) - 841.89)).toBeLessThan(1);

    await page.emulateMedia({ media: "print" });
    const layout = await page.evaluate(() => {
      const mm = 96 / 25.4;
      const header = document.querySelector(".screen-header")!;
      return {
        headerShown: getComputedStyle(header).display !== "none",
        labels: [...document.querySelectorAll<HTMLElement>(".label")].map((el) => ({
          width: el.getBoundingClientRect().width / mm,
          height: el.getBoundingClientRect().height / mm,
          overflows: [...el.children].some((child) => child.getBoundingClientRect().bottom > el.getBoundingClientRect().bottom + 0.5) || el.scrollHeight > el.clientHeight + 1,
          wide: el.scrollWidth > el.clientWidth + 1,
        })),
        secondSheetBreaks: getComputedStyle(document.querySelectorAll(".sheet")[1]!).breakBefore,
      };
    });
    expect(layout.headerShown).toBe(false);
    expect(layout.secondSheetBreaks).toBe("page");
    expect(layout.labels).toHaveLength(15);
    for (const label of layout.labels) {
      expect(label.width).toBeCloseTo(LABEL_STOCK.labelWidthMm, 1);
      expect(label.height).toBeCloseTo(LABEL_STOCK.labelHeightMm, 1);
      expect(label).toMatchObject({ overflows: false, wide: false });
    }

    const { pdf: one } = await print(renderLabelSheet({ batchNumber: BATCH, printedAt, labels: labels(14) }));
    expect(countPdfPages(one)).toBe(1);
    await page.close();
  });

  it("shows the header and the sheets on screen (test-results/labels-sheet.png)", { timeout: 60_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 900, height: 1200 } });
    await page.setContent(renderLabelSheet({ batchNumber: BATCH, printedAt, labels: labels(15) }), { waitUntil: "load" });
    await expect(page.locator(".screen-header").innerText()).resolves.toContain("Contains personal data — delete the file after printing");
    await expect(page.locator(".label").nth(1).innerText()).resolves.toMatch(/^88041\n澎湖縣馬公市治平路 32 號\n收件人2 收/);
    await page.screenshot({ path: path.join(root, "test-results/labels-sheet.png"), fullPage: true });
    await page.close();
  });
});
