import type { Placeholders } from "./placeholders";
import type { FinanceMessageKey, FinanceMessages, financeZhTW } from "./finance.zh-TW";

// `satisfies`: a key missing here, or one zh-TW does not have, fails `tsc`; the check below compares placeholders.
export const financeEn = {
  "area": "Finance",
  "nav.label": "Finance menu",
  "nav.overview": "Overview",
  "nav.payments": "Payments",
  "nav.reconcile": "Reconcile",
  "nav.exceptions": "Exceptions",
  "nav.bankFiles": "Import bank file",

  "method.CARD": "Card",
  "method.ATM": "ATM transfer",
  "method.all": "All",
  "status.PENDING": "Pending",
  "status.SUCCEEDED": "Succeeded",
  "status.FAILED": "Failed",
  "status.EXPIRED": "Expired",
  "status.REFUNDED": "Refunded",
  "outcome.APPLIED": "Paid the order",
  "outcome.LATE_PAYMENT": "Late payment (exception)",
  "outcome.WRONG_AMOUNT": "Wrong amount (exception)",
  "outcome.DUPLICATE_PAYMENT": "Duplicate payment (exception)",
  "none": "—",

  "overview.title": "Daily takings",
  "overview.intro": "Card and ATM payments that paid their order, per Taiwan calendar day. Late, wrong-amount and duplicate payments are listed apart as exceptions and are not counted as paid.",
  "range.legend": "Date range",
  "range.from": "From",
  "range.to": "To",
  "range.hint": "Taiwan dates (YYYY-MM-DD), both included, at most 366 days.",
  "range.submit": "Show",

  "chart.heading": "Paid per day, {from} to {to}",
  "chart.desc": "Stacked bar chart, one bar a day: card payments below, ATM transfers above, in NT$. {days} days, {total} in all, at most {max} in a day. The table below has every day's figures.",
  "chart.axis": "NT$",
  "chart.bar": "{day}: card {card}, ATM {atm}",

  "table.caption": "Takings per day, {from} to {to} (NT$; number of payments in brackets)",
  "table.day": "Day",
  "table.cardPaid": "Card, paid",
  "table.atmPaid": "ATM, paid",
  "table.totalPaid": "Paid in all",
  "table.exceptions": "Exceptions",
  "table.sum": "Total",
  "table.amountCount": "{amount} ({count})",

  "export.title": "Export payments as CSV",
  "export.intro": "Every payment in the range: time paid (Taiwan time), order number, method, amount, status and provider reference; no personal data. UTF-8, opens directly in Excel. Exports are written to the audit log.",
  "export.method": "Method",
  "export.submit": "Download CSV",

  "payments.title": "Payments",
  "payments.intro": "Each payment of one day, in the order they were paid.",
  "payments.day": "Day",
  "payments.dayHint": "A Taiwan date (YYYY-MM-DD).",
  "payments.method": "Method",
  "payments.submit": "Show",
  "payments.caption": "Payments on {day}: {method}",
  "payments.empty": "No payments match on this day.",
  "payments.next": "Next page",
  "payments.first": "Back to the first page",
  "payments.pager": "Pages",
  "col.paidAt": "Paid at",
  "col.orderNumber": "Order number",
  "col.method": "Method",
  "col.amount": "Amount",
  "col.status": "Status",
  "col.outcome": "Outcome",
  "col.reference": "Provider reference",

  "error.dayFormat": "Enter a valid date as YYYY-MM-DD.",
  "error.method": "Choose card, ATM transfer or all.",
  "error.rangeReversed": "The end date cannot be before the start date.",
  "error.rangeTooLong": "A date range can cover at most 366 days.",
  "error.notValid": "The query was not valid; showing the default range instead.",
} as const satisfies FinanceMessages;

type PlaceholderMismatch = {
  [K in FinanceMessageKey]: [Placeholders<(typeof financeEn)[K]>] extends [Placeholders<(typeof financeZhTW)[K]>]
    ? [Placeholders<(typeof financeZhTW)[K]>] extends [Placeholders<(typeof financeEn)[K]>]
      ? never
      : K
    : K;
}[FinanceMessageKey];
/** Fails `tsc`, naming the key, when a message's placeholders differ between the two languages. */
export const placeholdersMatchZhTW: [PlaceholderMismatch] extends [never] ? true : PlaceholderMismatch = true;
