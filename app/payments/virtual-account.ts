// Client-safe. ATM virtual accounts: 14 digits = the bank-assigned 4-digit prefix + 9 random digits + a check
// digit, so a transfer to a mistyped account is refused by the bank instead of landing on someone else's order.

const WEIGHTS = [3, 7, 1] as const;

/** Weighted 3-7-1 modulus 10, the scheme Taiwanese banks commonly use for virtual-account check digits. */
export function virtualAccountCheckDigit(body: string): string {
  if (!/^\d+$/.test(body)) throw new RangeError("a virtual account is digits only");
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[i]) * WEIGHTS[i % 3]!;
  return String((10 - (sum % 10)) % 10);
}

export function newVirtualAccount(prefix: string, random: () => number = Math.random): string {
  if (!/^\d{4}$/.test(prefix)) throw new RangeError("the virtual-account prefix is 4 digits");
  const body = `${prefix}${String(Math.floor(random() * 1_000_000_000)).padStart(9, "0")}`;
  return `${body}${virtualAccountCheckDigit(body)}`;
}

export function isValidVirtualAccount(account: string): boolean {
  return /^\d{14}$/.test(account) && virtualAccountCheckDigit(account.slice(0, -1)) === account.slice(-1);
}

/** Shown to the payer in groups of four, the way bank apps print it. */
export function formatVirtualAccount(account: string): string {
  return account.replace(/(\d{4})(?=\d)/g, "$1 ");
}
