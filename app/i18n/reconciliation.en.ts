import type { Placeholders } from "./placeholders";
import type { ReconciliationMessageKey, ReconciliationMessages, reconciliationZhTW } from "./reconciliation.zh-TW";

// `satisfies`: a key missing here, or one zh-TW does not have, fails `tsc`; the check below compares placeholders.
export const reconciliationEn = {
  "reconcile.title": "Daily reconciliation",
  "reconcile.intro": "Choose a day (Taipei time) and a source: card payments against Stripe's balance transactions, ATM transfers against the imported bank files. A day can be run again; it never opens the same exception twice.",
  "reconcile.day": "Day",
  "reconcile.dayHint": "A Taipei calendar day, YYYY-MM-DD; yesterday by default.",
  "reconcile.source": "Source",
  "reconcile.submit": "Reconcile",
  "source.STRIPE": "Card (Stripe)",
  "source.BANK_FILE": "ATM transfer (bank file)",

  "run.title": "Reconciliation: {source}, {day}",
  "run.startedBy": "Run by",
  "run.finishedAt": "Finished",
  "run.matched": "Matched",
  "run.gross": "Matched amount",
  "run.fees": "Fees",
  "run.net": "Net",
  "run.exceptions": "Exceptions",
  "run.noExceptions": "This run found no exceptions.",
  "run.exceptionsTitle": "Exceptions found",
  "run.noFile": "No imported bank file covers this day yet: {count} transfers known only from the bank's callback are not judged. Reconcile again after importing the file.",
  "run.others": "Other Stripe transactions (refunds, payouts …; listed, not matched)",

  "runs.title": "Past runs",
  "runs.empty": "No reconciliation has been run yet.",
  "runs.more": "Older runs",
  "runs.view": "View",

  "exceptions.title": "Payment exceptions",
  "exceptions.intro": "Money that could not simply pay its order: late payments, payments to deleted orders, wrong amounts, duplicate payments, unmatched transfers, and differences found by reconciliation.",
  "exceptions.kind": "Kind",
  "exceptions.kindAll": "All kinds",
  "exceptions.status": "Status",
  "exceptions.apply": "Filter",
  "exceptions.empty": "No exceptions match.",
  "exceptions.next": "Next page (older)",
  "exceptions.first": "Back to the first page",
  "exceptions.open": "Open",
  "exceptions.resolvedAs": "Resolved: {resolution}",

  "status.open": "Open",
  "status.resolved": "Resolved",
  "status.all": "All",

  "col.kind": "Kind",
  "col.amount": "Amount",
  "col.paidAt": "Paid at",
  "col.orderNumber": "Order number",
  "col.detectedAt": "Detected",
  "col.status": "Status",
  "col.day": "Day",
  "col.source": "Source",
  "col.type": "Type",
  "col.createdAt": "Created",
  "col.fee": "Fee",
  "col.net": "Net",
  "col.reference": "Transaction",

  "kind.LATE_PAYMENT": "Late payment (or to a deleted order)",
  "kind.WRONG_AMOUNT": "Wrong amount",
  "kind.DUPLICATE_PAYMENT": "Duplicate payment",
  "kind.UNMATCHED_TRANSFER": "Transfer matching no order",
  "kind.CARD_NOT_IN_STRIPE": "Card payment missing at Stripe",
  "kind.STRIPE_CHARGE_UNMATCHED": "Stripe charge with no payment",
  "kind.STRIPE_AMOUNT_MISMATCH": "Stripe charge amount differs",
  "kind.TRANSFER_NOT_IN_BANK_FILE": "Transfer missing from the bank file",

  "method.CARD": "Card",
  "method.ATM": "ATM transfer",

  "resolution.REFUND_ISSUED": "Refund issued",
  "resolution.MATCHED_BY_HAND": "Matched by hand",
  "resolution.NO_ACTION_NEEDED": "No action needed",

  "detail.title": "Payment exception",
  "detail.kind": "Kind",
  "detail.method": "Method",
  "detail.amount": "Amount",
  "detail.paidAt": "Paid at",
  "detail.orderNumber": "Order number",
  "detail.reference": "Provider reference",
  "detail.detail": "Detail",
  "detail.detectedAt": "Detected",
  "detail.run": "Found by reconciliation",
  "detail.status": "Status",
  "detail.resolution": "Resolution",
  "detail.resolvedBy": "Resolved by",
  "detail.resolvedAt": "Resolved at",
  "detail.note": "Note",
  "detail.none": "—",
  "detail.back": "Back to the exceptions",

  "resolve.title": "Resolve this exception",
  "resolve.resolution": "Resolution",
  "resolve.note": "Note",
  "resolve.noteHint": "5–500 characters, e.g. the refund reference or how it was checked; no card or ID numbers.",
  "resolve.orderNumber": "Order the money belongs to (for matched by hand)",
  "resolve.orderNumberHint": "e.g. 1151123-48215-3.",
  "resolve.submit": "Record the resolution",
  "resolve.done": "The resolution is recorded.",

  "error.day": "Enter a valid date (YYYY-MM-DD).",
  "error.source": "Choose a source.",
  "error.resolution": "Choose a resolution.",
  "error.note": "Describe what was done (5–500 characters).",
  "error.orderNumberRequired": "Matching by hand needs the number of the order the money belongs to.",
  "error.orderNumberFormat": "That is not an order number (e.g. 1151123-48215-3).",
} as const satisfies ReconciliationMessages;

type PlaceholderMismatch = {
  [K in ReconciliationMessageKey]: [Placeholders<(typeof reconciliationEn)[K]>] extends [Placeholders<(typeof reconciliationZhTW)[K]>]
    ? [Placeholders<(typeof reconciliationZhTW)[K]>] extends [Placeholders<(typeof reconciliationEn)[K]>]
      ? never
      : K
    : K;
}[ReconciliationMessageKey];
/** Fails `tsc`, naming the key, when a message's placeholders differ between the two languages. */
export const placeholdersMatchZhTW: [PlaceholderMismatch] extends [never] ? true : PlaceholderMismatch = true;
