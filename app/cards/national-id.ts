// 身分證字號 / resident-certificate numbers: letter + [12] (citizens) or [89] (residents since 2021) + 8 digits.
// Client-safe: no secrets here. The keyed look-up hash lives in national-id.server.ts.

const LETTER_VALUES: Record<string, number> = {
  A: 10, B: 11, C: 12, D: 13, E: 14, F: 15, G: 16, H: 17, I: 34, J: 18, K: 19, L: 20, M: 21,
  N: 22, O: 35, P: 23, Q: 24, R: 25, S: 26, T: 27, U: 28, V: 29, W: 32, X: 30, Y: 31, Z: 33,
};

const SHAPE = /^[A-Z][1289]\d{8}$/;

export function normalizeNationalId(input: string): string {
  return input.trim().toUpperCase();
}

/** Checksum: tens×1 + units×9 + digits 2–9 × 8..1 + check digit ≡ 0 (mod 10). */
export function isValidNationalId(input: string): boolean {
  const id = normalizeNationalId(input);
  if (!SHAPE.test(id)) return false;
  const letter = LETTER_VALUES[id[0]!]!;
  const digits = id.slice(1).split("").map(Number);
  let sum = Math.floor(letter / 10) + (letter % 10) * 9;
  for (let i = 0; i < 8; i++) sum += digits[i]! * (8 - i);
  sum += digits[8]!;
  return sum % 10 === 0;
}

export function nationalIdLast4(id: string): string {
  return normalizeNationalId(id).slice(-4);
}

/** Staff views show A12345****: enough to confirm with a caller, not enough to reuse. */
export function maskNationalId(id: string): string {
  const normalized = normalizeNationalId(id);
  return normalized.slice(0, 6) + "*".repeat(Math.max(0, normalized.length - 6));
}
