// What finance staff read (app/routes/staff.finance*.tsx, app/components/staff/finance/). The source catalogue;
// `finance.en.ts` has exactly the same keys and placeholders (checked by tsc). Amounts arrive formatted as NT$.
import type { VarsFor } from "./placeholders";

export const financeZhTW = {
  "area": "財務對帳",
  "nav.label": "財務選單",
  "nav.overview": "總覽",
  "nav.payments": "收款明細",
  "nav.reconcile": "對帳",
  "nav.exceptions": "異常款項",
  "nav.bankFiles": "匯入銀行對帳檔",

  "method.CARD": "信用卡",
  "method.ATM": "ATM 轉帳",
  "method.all": "全部",
  "status.PENDING": "處理中",
  "status.SUCCEEDED": "成功",
  "status.FAILED": "失敗",
  "status.EXPIRED": "逾期未付",
  "status.REFUNDED": "已退款",
  "outcome.APPLIED": "已入帳",
  "outcome.LATE_PAYMENT": "逾期付款（異常）",
  "outcome.WRONG_AMOUNT": "金額不符（異常）",
  "outcome.DUPLICATE_PAYMENT": "重複付款（異常）",
  "none": "—",

  "overview.title": "每日收款總覽",
  "overview.intro": "依台灣日期統計已入帳的信用卡與 ATM 轉帳款項；逾期、金額不符及重複付款另列為異常款項，不計入已入帳。",
  "range.legend": "日期範圍",
  "range.from": "開始日期",
  "range.to": "結束日期",
  "range.hint": "台灣日期（YYYY-MM-DD），含首尾，最長 366 天。",
  "range.submit": "顯示",

  "chart.heading": "{from} 至 {to} 每日已入帳金額",
  "chart.desc": "堆疊長條圖，每天一條：下段為信用卡、上段為 ATM 轉帳的已入帳金額（新臺幣）。共 {days} 天，合計 {total}，單日最高 {max}。各日數字列於下表。",
  "chart.axis": "新臺幣",
  "chart.bar": "{day}：信用卡 {card}，ATM 轉帳 {atm}",

  "table.caption": "{from} 至 {to} 每日收款（金額為新臺幣，括號內為筆數）",
  "table.day": "日期",
  "table.cardPaid": "信用卡已入帳",
  "table.atmPaid": "ATM 已入帳",
  "table.totalPaid": "已入帳合計",
  "table.exceptions": "異常款項",
  "table.sum": "合計",
  "table.amountCount": "{amount}（{count} 筆）",

  "export.title": "匯出收款 CSV",
  "export.intro": "逐筆列出範圍內的收款：付款時間（台灣時間）、訂單編號、方式、金額、狀態及金流參考號，不含個人資料。檔案為 UTF-8，可直接以 Excel 開啟。匯出會記錄於稽核紀錄。",
  "export.method": "付款方式",
  "export.submit": "下載 CSV",

  "payments.title": "收款明細",
  "payments.intro": "一天內的每筆收款，依付款時間排序。",
  "payments.day": "日期",
  "payments.dayHint": "台灣日期（YYYY-MM-DD）。",
  "payments.method": "付款方式",
  "payments.submit": "顯示",
  "payments.caption": "{day} 的收款：{method}",
  "payments.empty": "這一天沒有符合的收款。",
  "payments.next": "下一頁",
  "payments.first": "回到第一頁",
  "payments.pager": "分頁",
  "col.paidAt": "付款時間",
  "col.orderNumber": "訂單編號",
  "col.method": "方式",
  "col.amount": "金額",
  "col.status": "狀態",
  "col.outcome": "結果",
  "col.reference": "金流參考號",

  "error.dayFormat": "請以 YYYY-MM-DD 格式輸入有效日期。",
  "error.method": "付款方式請選擇信用卡、ATM 轉帳或全部。",
  "error.rangeReversed": "結束日期不可早於開始日期。",
  "error.rangeTooLong": "日期範圍最長 366 天。",
  "error.notValid": "查詢條件有誤，已改為顯示預設範圍。",
} as const;

export type FinanceMessageKey = keyof typeof financeZhTW;
export type FinanceMessages = Record<FinanceMessageKey, string>;

/** The values each message takes, read from this source text. */
export type FinanceVars<K extends FinanceMessageKey> = VarsFor<(typeof financeZhTW)[K]>;
