// What a citizen reads when card login fails (client-safe: the login page shows these too). zh-TW first.
import type { Bilingual } from "~/lib/errors.server";

export type LoginErrorCode =
  | "REQUEST_MALFORMED" | "CHALLENGE_INVALID" | "CHALLENGE_OTHER_BROWSER" | "CERTIFICATE_MALFORMED" | "SIGNATURE_INVALID" | "CERTIFICATE_UNTRUSTED"
  | "CERTIFICATE_NOT_YET_VALID" | "CERTIFICATE_UNKNOWN" | "NOT_SIGNING_CERTIFICATE" | "CARD_MISMATCH"
  | "CERTIFICATE_REVOKED" | "CERTIFICATE_SUSPENDED" | "CARD_NOT_ACTIVATED" | "CARD_EXPIRED_BEYOND_WINDOW" | "EXTEND_INSTEAD"
  | "TOO_MANY_ATTEMPTS";

const IN_PERSON = {
  "zh-TW": "請本人攜帶身分證正本、IC 卡工本費 250 元及 E-mail 信箱，至任一戶政事務所重新申請自然人憑證（不限戶籍地）。",
  en: "Please bring your national ID card, NT$250 and an e-mail address to any household registration office (戶政事務所) to apply for a new card in person.",
};

// 003: 客服專線 (support line). Written here rather than imported from components: auth must not depend on them.
const SUPPORT_PHONE = "0800-080-117";

// 004 廢止: no longer usable; a new card at any household registration office (in person: 001 allows no proxy for it).
const REVOKED_ADVICE = {
  "zh-TW": `如仍需使用自然人憑證，請本人攜帶身分證正本、IC 卡工本費 250 元及 E-mail 信箱，至任一戶政事務所重新申請（不限戶籍地）。如有疑問，請洽免付費客服專線 ${SUPPORT_PHONE}。`,
  en: `If you still need a citizen certificate, bring your national ID card, NT$250 and an e-mail address to any household registration office (戶政事務所, in any city or county) to apply for a new card in person. Questions: call the toll-free support line ${SUPPORT_PHONE}.`,
};

// 004 停用: resume (復用) first — online on the MOICA site or at any household registration office, where a proxy may
// do it even without the card (001) — then log in again. A card that is lost stays suspended: a new card then.
const SUSPENDED_ADVICE = {
  "zh-TW": `請先申請憑證復用（內政部憑證管理中心網站 moica.nat.gov.tw「憑證作業／憑證復用」，或至任一戶政事務所辦理，可委託他人代辦）後再重新登入；如卡片已遺失，請本人攜帶身分證正本、IC 卡工本費 250 元及 E-mail 信箱，至任一戶政事務所重新申請。如有疑問，請洽免付費客服專線 ${SUPPORT_PHONE}。`,
  en: `Please have the certificate resumed first (復用: on the MOICA website, moica.nat.gov.tw, under 憑證作業 / 憑證復用, or at any household registration office — a proxy may do it for you), then log in again. If the card is lost, bring your national ID card, NT$250 and an e-mail address to any household registration office (戶政事務所) to apply for a new card in person. Questions: call the toll-free support line ${SUPPORT_PHONE}.`,
};

const TRY_AGAIN = { "zh-TW": "請重新操作登入。", en: "Please try logging in again." };

const entry = (status: number, zh: string, en: string, then?: Bilingual) => ({
  status,
  message: { "zh-TW": then ? `${zh}${then["zh-TW"]}` : zh, en: then ? `${en} ${then.en}` : en },
});

export const LOGIN_ERRORS: Record<LoginErrorCode, { status: number; message: Bilingual }> = {
  REQUEST_MALFORMED: entry(400, "登入資料不完整或格式不正確。", "The login data is incomplete or malformed.", TRY_AGAIN),
  CHALLENGE_INVALID: entry(400, "登入驗證碼已使用、已逾時（2 分鐘）或不正確。", "The login challenge was already used, has expired (2 minutes) or is unknown.", TRY_AGAIN),
  CHALLENGE_OTHER_BROWSER: entry(
    403,
    "登入驗證碼不是由這個瀏覽器取得的，或瀏覽器沒有送出登入用的 Cookie。請在同一個瀏覽器、允許本網站使用 Cookie 後重新操作登入。",
    "This login challenge was not requested by this browser, or the browser did not send the login cookie. Please log in again in the same browser, with cookies allowed for this site.",
  ),
  CERTIFICATE_MALFORMED: entry(400, "無法讀取卡片上的憑證。", "The certificate from the card could not be read.", TRY_AGAIN),
  SIGNATURE_INVALID: entry(400, "卡片簽章驗證失敗。", "The card's signature could not be verified.", TRY_AGAIN),
  CERTIFICATE_UNTRUSTED: entry(400, "此憑證並非內政部憑證管理中心所簽發，無法登入。", "This certificate was not issued by the MOICA certificate authority and cannot log in."),
  CERTIFICATE_NOT_YET_VALID: entry(400, "此憑證尚未生效。", "This certificate is not valid yet."),
  CERTIFICATE_UNKNOWN: entry(400, "查無此憑證的簽發紀錄。", "The certificate authority has no record of this certificate."),
  NOT_SIGNING_CERTIFICATE: entry(400, "請使用卡片上的簽章用憑證登入。", "Please log in with the card's signing certificate."),
  CARD_MISMATCH: entry(400, "卡號與憑證不符。", "The card number does not match the certificate.", TRY_AGAIN),
  CERTIFICATE_REVOKED: entry(403, "此憑證已廢止，無法再使用，也無法線上續卡。", "This certificate has been revoked: it can no longer be used, nor reissued online.", REVOKED_ADVICE),
  CERTIFICATE_SUSPENDED: entry(403, "此憑證已停用，暫時無法使用本服務。", "This certificate is suspended, so it cannot use this service for now.", SUSPENDED_ADVICE),
  CARD_NOT_ACTIVATED: entry(403, "此卡尚未開卡，請先至本服務的「線上開卡」頁面（/activate）讀取新卡並輸入用戶代碼完成開卡。", "This card has not been activated yet: activate it first on this service's activation page (/activate) with your user code."),
  CARD_EXPIRED_BEYOND_WINDOW: entry(403, "此憑證已過期超過可線上續卡的期間。", "This certificate expired too long ago to be reissued online.", IN_PERSON),
  EXTEND_INSTEAD: entry(
    403,
    "此憑證為 5 年效期，尚可免費展期 3 年（到期前 60 天至到期後 3 年內），不需線上續卡。請至內政部憑證管理中心網站（moica.nat.gov.tw）辦理展期。",
    "This 5-year certificate can still be extended for free by 3 years (from 60 days before to 3 years after its expiry), so there is no need to reissue. Please extend it on the MOICA website (moica.nat.gov.tw).",
  ),
  TOO_MANY_ATTEMPTS: entry(429, "登入失敗次數過多，請稍後再試。", "Too many failed logins. Please wait a while and try again."),
};

/** Why a session was ended by the service (issue 13: the card was revoked or suspended since login), for the login page. */
export const SESSION_ENDED_CODES = ["CERTIFICATE_REVOKED", "CERTIFICATE_SUSPENDED", "CERTIFICATE_UNKNOWN"] as const satisfies LoginErrorCode[];

export function sessionEndedMessage(code: string | null): Bilingual | null {
  const known = SESSION_ENDED_CODES.find((candidate) => candidate === code);
  return known ? LOGIN_ERRORS[known].message : null;
}
