// Client-safe. How long a card's certificates are valid — the rule the CA, the printed card and the test CA share.

/**
 * 001: a certificate is valid 5 years; extended (展期) once, by 3 years counted from that expiry — an 8-year
 * end. Whole seconds, as X.509 stores them. Years are calendar years in UTC (29 February + 5 years → 1 March).
 */
export function cardCertificateValidity({ issuedAt, extended }: { issuedAt: Date; extended: boolean }) {
  const notBefore = new Date(Math.floor(issuedAt.getTime() / 1000) * 1000);
  const fiveYearEnd = addYears(notBefore, 5);
  return { notBefore, notAfter: extended ? addYears(fiveYearEnd, 3) : fiveYearEnd };
}

function addYears(date: Date, years: number): Date {
  const result = new Date(date);
  result.setUTCFullYear(result.getUTCFullYear() + years);
  return result;
}
