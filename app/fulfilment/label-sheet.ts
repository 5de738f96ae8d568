// Client-safe, pure. The address labels of one print batch as a self-contained printable HTML page.
// 002: 完成繳費後即同時進入製卡流程並印製收件人信封 — the envelope is printed with the card, so each label carries
// the order number, batch number and position the mailroom matches to the card of the same position.
// Personal data leaves the system only here and in the vendor hand-off: no assets are fetched, and a
// Content-Security-Policy forbids scripts and every network request even if a value slipped past escaping.
import { formatOrderNumber } from "~/orders/order-number";

export interface AddressLabel {
  /** 1-based place in the batch, as PrintItem.position. */
  position: number;
  /** As stored: 3, 5 or 6 digits (3+2 / 3+3). */
  postcode: string;
  address: string;
  name: string;
  orderNumber: string;
}

/**
 * The label stock: A4 with 2 × 7 labels of 99.1 × 38.1 mm (the common 14-up sheet, Avery L7163 layout):
 * 15.1 mm top and bottom margins, 4.65 mm side margins, a 2.5 mm gap between the columns, none between rows.
 */
export const LABEL_STOCK = {
  name: "A4 14-up, 99.1 × 38.1 mm (Avery L7163 layout)",
  columns: 2,
  rows: 7,
  labelWidthMm: 99.1,
  labelHeightMm: 38.1,
  columnGapMm: 2.5,
  marginTopMm: 15.1,
  marginSideMm: 4.65,
} as const;

export const LABELS_PER_SHEET = LABEL_STOCK.columns * LABEL_STOCK.rows;

const PERSONAL_DATA_NOTE = "本頁含個人資料，列印後請立即刪除檔案 / Contains personal data — delete the file after printing";

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);
}

const taipeiTime = (at: Date) => `${at.toLocaleString("sv-SE", { timeZone: "Asia/Taipei", hour12: false }).slice(0, 16)} (Asia/Taipei)`;

// Addresses run up to 120 characters (app/orders/schema.ts) and names up to 100: step the type down so a long
// one still fits its 38.1 mm label instead of being cut off — a clipped address is a lost letter.
function addressSize(address: string): string {
  const length = [...address].length;
  return length <= 32 ? "" : length <= 60 ? " long" : " very-long";
}

function nameSize(name: string): string {
  const length = [...name].length;
  return length <= 12 ? "" : length <= 28 ? " long" : " very-long";
}

function renderLabel(label: AddressLabel, batchNumber: string): string {
  return `<div class="label" data-position="${label.position}">
<div class="postcode">${escapeHtml(label.postcode)}</div>
<div class="address${addressSize(label.address)}">${escapeHtml(label.address)}</div>
<div class="name${nameSize(label.name)}">${escapeHtml(label.name)}<span class="honorific"> 收</span></div>
<div class="match">訂單 ${escapeHtml(formatOrderNumber(label.orderNumber))} · ${escapeHtml(batchNumber)} · #${label.position}</div>
</div>`;
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

const s = LABEL_STOCK;
const STYLE = `
@page { size: A4; margin: ${s.marginTopMm}mm ${s.marginSideMm}mm; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: "Noto Sans TC", "Noto Sans CJK TC", "PingFang TC", "Microsoft JhengHei", sans-serif; color: #000; }
.screen-header { padding: 12px 16px; background: #fff8e1; border-bottom: 2px solid #f0b400; font-size: 14px; line-height: 1.6; }
.screen-header h1 { font-size: 18px; margin: 0 0 4px; }
.screen-header .warning { font-weight: bold; color: #8a1c00; }
.sheet {
  display: grid;
  grid-template-columns: repeat(${s.columns}, ${s.labelWidthMm}mm);
  grid-auto-rows: ${s.labelHeightMm}mm;
  column-gap: ${s.columnGapMm}mm;
  width: ${s.columns * s.labelWidthMm + (s.columns - 1) * s.columnGapMm}mm;
  break-inside: avoid;
}
.sheet + .sheet { break-before: page; }
.label {
  width: ${s.labelWidthMm}mm; height: ${s.labelHeightMm}mm; overflow: hidden;
  padding: 2.6mm 5mm 2mm; display: flex; flex-direction: column;
  overflow-wrap: anywhere; line-height: 1.25;
}
.postcode { font-size: 15pt; font-weight: 700; letter-spacing: 0.12em; font-variant-numeric: tabular-nums; }
.address { font-size: 11pt; margin-top: 0.8mm; }
.address.long { font-size: 9.5pt; }
.address.very-long { font-size: 8pt; }
.name { font-size: 13pt; font-weight: 700; margin-top: auto; }
.name.long { font-size: 10.5pt; }
.name.very-long { font-size: 8pt; }
.honorific { font-weight: 400; }
.match { font-size: 6.5pt; color: #333; margin-top: 0.6mm; white-space: nowrap; }
@media screen {
  body { background: #e8e8e8; }
  .sheet {
    box-sizing: content-box; background: #fff; margin: 16px auto;
    padding: ${s.marginTopMm}mm ${s.marginSideMm}mm; min-height: ${s.rows * s.labelHeightMm}mm;
    box-shadow: 0 1px 4px rgba(0, 0, 0, 0.3);
  }
  /* Outlines only on screen: label stock is pre-cut, a printed border would land off the die line. */
  .label { outline: 1px dashed #bbb; outline-offset: -1px; }
}
@media print { .screen-header { display: none; } }
`;

/** The printable page: one A4 sheet per 14 labels, in batch order, with a screen-only header and warning. */
export function renderLabelSheet(input: { batchNumber: string; printedAt: Date; labels: AddressLabel[] }): string {
  const labels = [...input.labels].sort((a, b) => a.position - b.position);
  const batch = escapeHtml(input.batchNumber);
  const sheets = chunk(labels, LABELS_PER_SHEET).map(
    (onSheet, index) => `<section class="sheet" aria-label="第 ${index + 1} 張 sheet ${index + 1}">\n${onSheet.map((l) => renderLabel(l, input.batchNumber)).join("\n")}\n</section>`,
  );
  const sheetCount = sheets.length;
  return `<!DOCTYPE html>
<html lang="zh-Hant-TW">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="robots" content="noindex">
<title>地址標籤 Address labels ${batch}</title>
<style>${STYLE}</style>
</head>
<body>
<header class="screen-header">
<h1>製卡批次 ${batch} 收件人地址標籤 / Address labels for print batch ${batch}</h1>
<div>共 ${labels.length} 張標籤，${sheetCount} 頁 A4 / ${labels.length} label(s) on ${sheetCount} A4 sheet(s) · ${escapeHtml(s.name)} · 產生於 generated ${escapeHtml(taipeiTime(input.printedAt))}</div>
<div>列印時請選「實際大小 / 100%」，勿縮放 / Print at actual size (100%), no scaling.</div>
<div class="warning">${escapeHtml(PERSONAL_DATA_NOTE)}</div>
</header>
<main>
${sheets.join("\n")}
</main>
</body>
</html>
`;
}
