// 002: delivery to outlying islands takes 2–3 days longer than the ~7 working days on the main island.
// Postcode prefixes (first 3 digits) of the outlying islands, from the domain brief:
// 連江 209–212, 澎湖 880–885, 金門 890–894 and 896, 琉球 929, 綠島 951, 蘭嶼 952.
const OUTLYING_PREFIXES: ReadonlyArray<readonly [number, number]> = [
  [209, 212], [880, 885], [890, 894], [896, 896], [929, 929], [951, 951], [952, 952],
];

/** A domestic postcode: 3 digits, or 3+2 / 3+3 digits (optionally with a hyphen). */
export const POSTCODE_PATTERN = /^\d{3}(?:-?\d{2,3})?$/;

export function isOutlyingIslandPostcode(postcode: string): boolean {
  const trimmed = postcode.trim();
  if (!POSTCODE_PATTERN.test(trimmed)) throw new RangeError(`not a Taiwanese postcode: ${trimmed}`);
  const prefix = Number(trimmed.slice(0, 3));
  return OUTLYING_PREFIXES.some(([from, to]) => prefix >= from && prefix <= to);
}
