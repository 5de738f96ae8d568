// Client-safe: the landing page and the order both read the price from here.

/** 002: NT$200 card (discounted price) + NT$28 registered-mail handling; bank fees, if any, are on top. */
export function reissueFees() {
  const cardNtd = 200;
  const postageNtd = 28;
  return { cardNtd, postageNtd, totalNtd: cardNtd + postageNtd } as const;
}

/** 002: 線上續卡申請成功後請於二天內完成繳費 — an exact 48 hours from the successful application. */
export const PAYMENT_WINDOW_MS = 48 * 60 * 60 * 1000;

export function paymentDeadline(appliedAt: Date): Date {
  return new Date(appliedAt.getTime() + PAYMENT_WINDOW_MS);
}
