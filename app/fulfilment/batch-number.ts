// Client-safe. A print batch number an operator can read out: P + the ROC date it was made + a daily sequence
// (P1151123-0001), on the label sheet and in the vendor's records.
import { rocDateDigits } from "~/orders/order-number";

export function formatBatchNumber(at: Date, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > 9999) throw new RangeError("a batch sequence is 1–9999");
  return `P${rocDateDigits(at)}-${String(sequence).padStart(4, "0")}`;
}

/** The ROC-date prefix every batch of that (Taipei) day shares, e.g. "P1151123-". */
export function batchNumberPrefix(at: Date): string {
  return `P${rocDateDigits(at)}-`;
}
