import { isValidNationalId } from "../../app/cards/national-id";

/** Completes a 9-character prefix (letter + 8 digits) with the check digit that makes it a valid ID. */
export function nationalIdWithCheckDigit(prefix: string): string {
  for (let d = 0; d <= 9; d++) {
    const candidate = `${prefix}${d}`;
    if (isValidNationalId(candidate)) return candidate;
  }
  throw new Error(`no check digit completes ${prefix}`);
}
