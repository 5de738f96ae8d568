// Client-safe. An order number a person can read out on the phone: digits only, the ROC date it was made,
// five random digits and a check digit, shown in three groups (1151123-48215-3).

/** 民國 year: Gregorian year − 1911, as Taiwanese forms write dates. */
export function rocDateDigits(at: Date): string {
  const taipei = new Date(at.getTime() + 8 * 3600 * 1000);
  const year = taipei.getUTCFullYear() - 1911;
  const month = String(taipei.getUTCMonth() + 1).padStart(2, "0");
  const day = String(taipei.getUTCDate()).padStart(2, "0");
  return `${year}${month}${day}`;
}

/** Luhn over the digits: catches any single mistyped digit and most swapped neighbours read out over the phone. */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

export function newOrderNumber(at: Date, random: () => number = Math.random): string {
  const body = `${rocDateDigits(at)}${String(Math.floor(random() * 100_000)).padStart(5, "0")}`;
  return `${body}${luhnCheckDigit(body)}`;
}

export const ORDER_NUMBER_PATTERN = /^\d{12,13}$/;

/** Accepts what a person types or reads (spaces, dashes) and answers the stored form, or null when the check fails. */
export function parseOrderNumber(input: string): string | null {
  const digits = input.replace(/[\s-]/g, "");
  if (!ORDER_NUMBER_PATTERN.test(digits)) return null;
  return luhnCheckDigit(digits.slice(0, -1)) === digits.slice(-1) ? digits : null;
}

export function formatOrderNumber(orderNumber: string): string {
  return `${orderNumber.slice(0, -6)}-${orderNumber.slice(-6, -1)}-${orderNumber.slice(-1)}`;
}
