/** How long before and after the card's final (8-year) end an online reissue is allowed. */
export type ReissueWindowDays = { before: number; afterMonths: number };
/** Integer NT$. */
export type ReissueFees = { cardNtd: number; postageNtd: number };
