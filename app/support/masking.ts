// Client-safe: how much of a holder's contact data the support desk sees — enough to confirm with a caller
// ("is it the number ending 678?"), not enough to copy down and reuse.

/** The database keeps only the last 4 digits (MOICA publishes them); the first 6 are shown only when typed. */
export function maskStoredNationalId(last4: string): string {
  return `******${last4}`;
}

/** 0912345678 → 0912***678. */
export function maskMobile(mobile: string): string {
  if (mobile.length < 8) return "*".repeat(mobile.length);
  return `${mobile.slice(0, 4)}${"*".repeat(mobile.length - 7)}${mobile.slice(-3)}`;
}

/** applicant@example.tw → a***@example.tw. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf("@");
  if (at < 1) return "***";
  return `${email[0]}***${email.slice(at)}`;
}

const ADDRESS_SHOWN = 6;

/** The city and district (the first 6 characters), never the street or number. */
export function maskAddress(address: string): string {
  const chars = [...address.trim()];
  return chars.length <= ADDRESS_SHOWN ? `${chars.slice(0, Math.max(0, chars.length - 1)).join("")}…` : `${chars.slice(0, ADDRESS_SHOWN).join("")}…`;
}

/** A payment provider's reference, shortened to what is needed to find it at the provider (cs_a1b2…9z8y). */
export function shortenReference(reference: string): string {
  return reference.length <= 14 ? reference : `${reference.slice(0, 8)}…${reference.slice(-4)}`;
}
