// 002: 如狀態為郵遞運送中將會顯示郵件號碼，申請人可至郵局國內快捷/掛號/包裹查詢網頁輸入郵件號碼. The e-mail that follows
// the paid one once the card is in the post, zh-TW first then English. Takes only what it shows: never the user
// code, the ID number or the address.
import { SUPPORT_PHONE } from "~/components/support-contact";
import { CHUNGHWA_POST_TRACKING_URL, formatMailNumber } from "~/fulfilment/post-tracking-link";
import { parseCalendarDate } from "~/fulfilment/working-days";
import { formatOrderNumber } from "~/orders/order-number";
import { formatTaipeiDateTime } from "./paid-mail";

export const MAILED_MAIL_SUBJECT = "【自然人憑證線上續卡】新卡已掛號寄出";

export interface MailedMailFacts {
  orderNumber: string;
  mailNumber: string;
  dispatchedAt: Date;
  /** Taipei calendar dates (YYYY-MM-DD) from estimateDelivery. */
  estimate: { from: string; to: string };
  outlyingIsland: boolean;
  /** Where the applicant logs in to follow progress (the service's status page), when known. */
  statusUrl?: string;
}

const ZH_WEEKDAYS = ["日", "一", "二", "三", "四", "五", "六"];
const EN_WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const EN_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** 2026/03/17（二） and Tue 17 Mar 2026: a Taipei calendar date as people in Taiwan and abroad write it. */
export function formatEstimateDate(date: string): { "zh-TW": string; en: string } {
  const day = new Date(parseCalendarDate(date));
  return {
    "zh-TW": `${date.replaceAll("-", "/")}（${ZH_WEEKDAYS[day.getUTCDay()]}）`,
    en: `${EN_WEEKDAYS[day.getUTCDay()]} ${day.getUTCDate()} ${EN_MONTHS[day.getUTCMonth()]} ${day.getUTCFullYear()}`,
  };
}

/** 002: about 7 working days on the main island; outlying islands 2–3 days more — shown as dates. */
function expectedArrival(facts: MailedMailFacts): { "zh-TW": string; en: string } {
  const from = formatEstimateDate(facts.estimate.from);
  const to = formatEstimateDate(facts.estimate.to);
  const range = facts.estimate.from === facts.estimate.to
    ? { "zh-TW": `${from["zh-TW"]}前後`, en: `around ${from.en}` }
    : { "zh-TW": `${from["zh-TW"]}至${to["zh-TW"]}`, en: `between ${from.en} and ${to.en}` };
  return facts.outlyingIsland
    ? { "zh-TW": `${range["zh-TW"]}（離島，約 7 個工作天再加 2–3 天）`, en: `${range.en} (outlying island: about 7 working days plus 2–3 days)` }
    : { "zh-TW": `${range["zh-TW"]}（台灣本島，約 7 個工作天）`, en: `${range.en} (Taiwan's main island: about 7 working days)` };
}

export function renderMailedMail(facts: MailedMailFacts): { subject: string; text: string } {
  const number = formatOrderNumber(facts.orderNumber);
  const mailNumber = formatMailNumber(facts.mailNumber);
  const dispatchedAt = formatTaipeiDateTime(facts.dispatchedAt);
  const arrival = expectedArrival(facts);
  const where = facts.statusUrl ? `：${facts.statusUrl}` : "";
  const whereEn = facts.statusUrl ? `: ${facts.statusUrl}` : "";
  const text = [
    "您好：",
    "",
    "您申請線上續卡的自然人憑證新卡已製作完成，並以掛號郵件寄出。",
    "",
    `訂單編號：${number}`,
    `掛號郵件號碼：${mailNumber}`,
    `交寄時間：${dispatchedAt}（台灣時間）`,
    `預計送達：${arrival["zh-TW"]}`,
    "",
    `查詢寄送進度：請至中華郵政「國內快捷/掛號/包裹查詢」網頁 ${CHUNGHWA_POST_TRACKING_URL} 輸入上列郵件號碼（不含空格）。`,
    `續卡進度也可以自然人憑證 IC 卡登入本服務查詢${where}。`,
    "",
    "收到新卡後：",
    "・請以新卡至線上開卡頁面，確認 IC 卡中的憑證內容無誤後，輸入申請線上續卡時自行設定的用戶代碼完成開卡；開卡後憑證才會生效。",
    `・用戶代碼輸入錯誤達 4 次會被鎖定；如仍記得用戶代碼，請洽客服專線 ${SUPPORT_PHONE} 協助解除鎖定。`,
    `・若郵局查詢顯示已簽收，但您確實仍未收到卡片，請洽免付費客服專線 ${SUPPORT_PHONE}，由客服人員協助查詢及處理。`,
    "",
    "本郵件由系統自動寄出，請勿直接回覆。",
    "",
    "----",
    "",
    "Your new citizen digital certificate card has been made and sent to you by registered mail.",
    "",
    `Order number: ${number}`,
    `Registered mail number: ${mailNumber}`,
    `Posted at: ${dispatchedAt} (Taiwan time)`,
    `Expected delivery: ${arrival.en}`,
    "",
    `To follow the letter, enter the mail number above (without spaces) on Chunghwa Post's tracking page: ${CHUNGHWA_POST_TRACKING_URL}`,
    `You can also log in to the service with your citizen certificate card to see the progress${whereEn}.`,
    "",
    "When the card arrives:",
    "- Open the online activation page with the new card, check the certificates on it, and enter the user code you chose when applying. The certificates become valid only once activated.",
    `- Four wrong user codes lock activation; if you still know your code, call ${SUPPORT_PHONE} to have the lock lifted.`,
    `- If the post office shows the letter as delivered but you have not received the card, call the free support line ${SUPPORT_PHONE}; they will look into it.`,
    "",
    "This message was sent automatically; please do not reply.",
  ].join("\n");
  return { subject: `${MAILED_MAIL_SUBJECT}（訂單編號 ${number}）Your new card is in the post`, text };
}
