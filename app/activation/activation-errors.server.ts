// What a holder (and staff) read when activation (開卡) is refused, zh-TW first, in the words of seed 002's 開卡 Q&A.
import { SUPPORT_PHONE } from "~/components/support-contact";
import { AppError, type Bilingual } from "~/lib/errors.server";
import { ACTIVATION_MAX_WRONG_CODES } from "./schema";

export type ActivationErrorCode =
  | "REQUEST_MALFORMED" | "USER_CODE_FORMAT" | "NOT_ACCEPTED" | "CARD_UNKNOWN" | "NOT_A_REISSUED_CARD" | "NOT_YET_MAILED"
  | "ALREADY_ACTIVATED" | "CERTIFICATES_MISMATCH" | "CERTIFICATES_UNAVAILABLE" | "WRONG_USER_CODE" | "ACTIVATION_LOCKED"
  | "TOO_MANY_ATTEMPTS";

/** 002: remembered → support lifts the lock; forgotten → a household registration office resets it, then the holder activates. */
export const LOCKED_ADVICE: Bilingual = {
  "zh-TW":
    `如您還記得申請時自行設定的用戶代碼，請洽客服專線 ${SUPPORT_PHONE}，由客服人員解除鎖定後再開卡。` +
    "如已忘記用戶代碼，請本人攜帶身分證正本及新的自然人憑證 IC 卡，至任一戶政事務所修改用戶代碼（不限戶籍地，亦可委託他人持委託書代辦），" +
    "再以新的用戶代碼自行上網開卡；戶政事務所不會代為開卡。",
  en:
    `If you remember the user code you chose when applying, call support on ${SUPPORT_PHONE}; they lift the lock and you activate again. ` +
    "If you have forgotten it, take your national ID card and the new IC card to any household registration office (戶政事務所, in any city or county; " +
    "a proxy with your signed letter of authorisation may go for you) to reset the code, then activate online yourself — the office does not activate the card for you.",
};

const MESSAGES: Record<Exclude<ActivationErrorCode, "WRONG_USER_CODE">, { status: number; message: Bilingual }> = {
  REQUEST_MALFORMED: {
    status: 400,
    message: { "zh-TW": "讀到的卡片資料不完整，請重新讀取卡片。", en: "The card data we received is incomplete. Please read the card again." },
  },
  USER_CODE_FORMAT: {
    status: 400,
    message: {
      "zh-TW": "用戶代碼為 6 至 10 個英文字母、數字或符號（區分大小寫）。這次輸入未計入錯誤次數。",
      en: "The user code is 6–10 letters, digits or symbols (case-sensitive). This entry did not count as a wrong try.",
    },
  },
  NOT_ACCEPTED: {
    status: 400,
    message: { "zh-TW": "請先確認憑證內容無誤並勾選同意接受。", en: "Please check the certificates and tick the box to accept them." },
  },
  CARD_UNKNOWN: {
    status: 404,
    message: {
      "zh-TW": `查無此卡號的新卡。請確認讀卡機中是新寄到的自然人憑證；如仍有問題，請洽客服專線 ${SUPPORT_PHONE}。`,
      en: `We have no new card with this number. Check that the reader holds the card that just arrived by post; if it does, call support on ${SUPPORT_PHONE}.`,
    },
  },
  NOT_A_REISSUED_CARD: {
    status: 409,
    message: {
      "zh-TW": "讀卡機中的卡片不是線上續卡寄送的新卡（可能是原來的舊卡）。請改插入新卡後重新讀取。",
      en: "The card in the reader is not a new card from online reissue (perhaps it is your old card). Insert the new card and read it again.",
    },
  },
  NOT_YET_MAILED: {
    status: 409,
    message: {
      "zh-TW": "這張新卡尚未寄出，目前還不能開卡。請於收到掛號信後再開卡。",
      en: "This new card has not been posted yet, so it cannot be activated. Activate it once the registered letter reaches you.",
    },
  },
  ALREADY_ACTIVATED: {
    status: 409,
    message: { "zh-TW": "這張新卡已完成開卡，憑證已經生效，不需要再開卡。", en: "This card is already activated; its certificates are valid. Nothing more to do." },
  },
  CERTIFICATES_MISMATCH: {
    status: 409,
    message: {
      "zh-TW": `卡片中的憑證與本中心簽發給這張卡的憑證不一致，無法開卡。請勿再嘗試，並洽客服專線 ${SUPPORT_PHONE}。`,
      en: `The certificates on the card differ from the ones issued to it, so it cannot be activated. Please stop here and call support on ${SUPPORT_PHONE}.`,
    },
  },
  CERTIFICATES_UNAVAILABLE: {
    status: 409,
    message: {
      "zh-TW": `這張新卡的憑證已停用或廢止，無法開卡。請洽客服專線 ${SUPPORT_PHONE}。`,
      en: `This card's certificates are suspended or revoked, so it cannot be activated. Please call support on ${SUPPORT_PHONE}.`,
    },
  },
  ACTIVATION_LOCKED: {
    status: 423,
    message: {
      "zh-TW": `用戶代碼已輸入錯誤 ${ACTIVATION_MAX_WRONG_CODES} 次，開卡已鎖定。${LOCKED_ADVICE["zh-TW"]}`,
      en: `The user code was entered wrongly ${ACTIVATION_MAX_WRONG_CODES} times, so activation is locked. ${LOCKED_ADVICE.en}`,
    },
  },
  TOO_MANY_ATTEMPTS: {
    status: 429,
    message: { "zh-TW": "嘗試次數過多，請稍後再試。", en: "Too many attempts. Please wait a while and try again." },
  },
};

export function activationError(code: Exclude<ActivationErrorCode, "WRONG_USER_CODE">, options?: { retryAfterSeconds?: number }): AppError {
  const { status, message } = MESSAGES[code];
  return new AppError(code, message, status, options);
}

/** A wrong code that did not lock: how many tries remain before it does. */
export function wrongUserCodeError(attemptsLeft: number): AppError {
  return new AppError(
    "WRONG_USER_CODE",
    {
      "zh-TW": `用戶代碼錯誤，還可以再試 ${attemptsLeft} 次；錯誤達 ${ACTIVATION_MAX_WRONG_CODES} 次將鎖定開卡。請輸入申請線上續卡時自行設定的用戶代碼（區分大小寫）。`,
      en: `Wrong user code. ${attemptsLeft} ${attemptsLeft === 1 ? "try" : "tries"} left; ${ACTIVATION_MAX_WRONG_CODES} wrong codes lock activation. Enter the user code you chose when applying (case-sensitive).`,
    },
    400,
  );
}
