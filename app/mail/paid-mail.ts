// 002: 繳費成功後，系統會寄送「線上申請續卡已繳費」通知信函…即代表申請完成. The mail, zh-TW first then English.
// Takes only what it shows: never the user code, never the ID number, never the address.
import { SUPPORT_PHONE } from "~/components/support-contact";
import { formatOrderNumber } from "~/orders/order-number";

export const PAID_MAIL_SUBJECT = "【自然人憑證線上續卡】線上申請續卡已繳費";

export interface PaidMailFacts {
  orderNumber: string;
  cardFeeNtd: number;
  postageFeeNtd: number;
  paidAt: Date;
  outlyingIsland: boolean;
  /** Where the applicant logs in to follow progress (the service's status page), when known. */
  statusUrl?: string;
}

const taipeiParts = new Intl.DateTimeFormat("en-CA", {
  timeZone: "Asia/Taipei", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
});

/** 2026/11/23 14:05:09 in Taiwan time, as the applicant's bank statement or receipt would show it. */
export function formatTaipeiDateTime(at: Date): string {
  const part = Object.fromEntries(taipeiParts.formatToParts(at).map((p) => [p.type, p.value]));
  return `${part.year}/${part.month}/${part.day} ${part.hour}:${part.minute}:${part.second}`;
}

/** 002: about 7 working days on the main island; outlying islands 2–3 days more (domestic post only). */
function deliveryEstimate(outlyingIsland: boolean): { "zh-TW": string; en: string } {
  return outlyingIsland
    ? { "zh-TW": "您的收件地址位於離島，約 7 個工作天再加 2–3 天可收到新卡", en: "your address is on an outlying island: about 7 working days plus 2–3 days" }
    : { "zh-TW": "於台灣本島內寄送，約 7 個工作天可收到新卡", en: "on Taiwan's main island: about 7 working days" };
}

export function renderPaidMail(facts: PaidMailFacts): { subject: string; text: string } {
  const number = formatOrderNumber(facts.orderNumber);
  const total = facts.cardFeeNtd + facts.postageFeeNtd;
  const amount = `NT$${total}（IC 卡工本費 ${facts.cardFeeNtd} 元 + 掛號郵資處理費 ${facts.postageFeeNtd} 元）`;
  const amountEn = `NT$${total} (card NT$${facts.cardFeeNtd} + registered post NT$${facts.postageFeeNtd})`;
  const paidAt = formatTaipeiDateTime(facts.paidAt);
  const delivery = deliveryEstimate(facts.outlyingIsland);
  const where = facts.statusUrl ? `：${facts.statusUrl}` : "";
  const whereEn = facts.statusUrl ? `: ${facts.statusUrl}` : "";
  const text = [
    "您好：",
    "",
    "您的自然人憑證線上續卡申請已完成繳費，申請即已完成。",
    "",
    `訂單編號：${number}`,
    `繳費金額：${amount}`,
    `繳費時間：${paidAt}（台灣時間）`,
    "",
    "接下來：",
    "・繳費成功即同時進入製卡流程並印製收件人信封，因此申請時填寫的資料已無法更改。",
    "・自然人憑證 IC 卡為客製化卡片，繳費製卡後即無法退費。",
    `・${delivery["zh-TW"]}（限國內郵遞）。`,
    "",
    `查詢繳費及續卡進度：請以自然人憑證 IC 卡登入本服務${where}。`,
    `若原卡已過期無法登入，請洽免付費客服專線 ${SUPPORT_PHONE}，由客服人員協助查詢（包括掛號郵件號碼）。`,
    "收到新卡後，請以申請時自行設定的用戶代碼完成線上開卡。",
    "",
    "本郵件由系統自動寄出，請勿直接回覆。",
    "",
    "----",
    "",
    "Your application to reissue your citizen digital certificate card online has been paid and is complete.",
    "",
    `Order number: ${number}`,
    `Amount paid: ${amountEn}`,
    `Paid at: ${paidAt} (Taiwan time)`,
    "",
    "What happens next:",
    "- Card making starts at once and the envelope is printed, so the details you entered can no longer change.",
    "- The card is made for you (your name and validity dates are printed on it): no refund once paid.",
    `- Delivery ${delivery.en} (domestic post only).`,
    "",
    `To follow payment and progress, log in to the service with your citizen certificate card${whereEn}.`,
    `If your old card has expired and cannot log in, call the free support line ${SUPPORT_PHONE} (they can also give you the registered mail number).`,
    "When the new card arrives, activate it online with the user code you chose when applying.",
    "",
    "This message was sent automatically; please do not reply.",
  ].join("\n");
  return { subject: `${PAID_MAIL_SUBJECT}（訂單編號 ${number}）Payment received`, text };
}
