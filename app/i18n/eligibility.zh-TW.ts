// What a holder reads about where they stand (app/components/eligibility-result.tsx). The source catalogue:
// keys live here first, in the seeds' own wording (001, 002, 003); `eligibility.en.ts` has exactly the same keys
// and placeholders (checked by tsc). Dates arrive formatted in Asia/Taipei.
import type { VarsFor } from "./placeholders";

export const eligibilityZhTW = {
  "eligibility.ELIGIBLE.title": "您可以申請線上續卡",
  "eligibility.ELIGIBLE.body": "您的自然人憑證將於 {finalEnd} 到期（含展期期間），已進入線上續卡申請期間，可申請至 {closesAt} 止。",
  "eligibility.ELIGIBLE.expiredBody":
    "您的自然人憑證已於 {finalEnd} 到期（含展期期間）。到期後仍可用原卡登入申請線上續卡（原卡僅限線上續卡使用），申請期限至 {closesAt} 止。",
  "eligibility.ELIGIBLE.action": "申請線上續卡",
  "eligibility.ELIGIBLE.payNote": "申請成功後請於二天內完成繳費，未於時間內完成繳費的申請，系統會自動刪除申請資料。",

  "eligibility.ALREADY_APPLIED.title": "您已申請線上續卡",
  "eligibility.ALREADY_APPLIED.body": "您的線上續卡申請（訂單編號 {orderNumber}）正在處理中，不需要再次申請。",
  "eligibility.ALREADY_APPLIED.action": "查詢繳費及續卡進度",

  "eligibility.REVOKED.title": "此憑證已廢止，無法申請線上續卡",
  "eligibility.REVOKED.body": "線上續卡僅限到期前為有效的自然人憑證；已廢止的憑證不能申請。",
  "eligibility.SUSPENDED.title": "此憑證已停用，無法申請線上續卡",
  "eligibility.SUSPENDED.body": "線上續卡僅限到期前為有效的自然人憑證；已停用的憑證不能申請。",

  "eligibility.AWAITING_ACTIVATION.title": "這張卡片尚未開卡",
  "eligibility.AWAITING_ACTIVATION.body":
    "新卡的憑證要完成開卡後才會生效。請上網開卡：讀取新卡，確認憑證內容無誤後，輸入申請線上續卡時自行設定的用戶代碼。",

  "eligibility.TOO_MANY_VALID_CARDS.title": "您已有二張有效憑證，不能再申請線上續卡",
  "eligibility.TOO_MANY_VALID_CARDS.seed": "此身份證號目前有效正卡數超過 2 張",
  "eligibility.TOO_MANY_VALID_CARDS.body":
    "原因：用戶已有二張有效憑證，不能再申請線上續卡（有可能是用戶已有一張為舊卡、一張為新卡，又重覆申請線上續卡）。",
  "eligibility.TOO_MANY_VALID_CARDS.action": "您不需要再申請。如您並未申請過新卡，請洽免付費客服專線 {phone}。",

  "eligibility.EXTEND_INSTEAD.title": "請辦理免費的展期，不需換卡",
  "eligibility.EXTEND_INSTEAD.body": "您的憑證為 5 年效期，尚未展期，將於 {notAfter} 到期。",
  "eligibility.EXTEND_INSTEAD.expiredBody": "您的憑證為 5 年效期，尚未展期，已於 {notAfter} 到期。",
  "eligibility.EXTEND_INSTEAD.how":
    "憑證 5 年到期日前 60 天至有效期限屆滿後 3 年內（{opensAt} 起至 {closesAt} 止）可辦理展期，每張憑證限一次，不收取費用。展期後有效期限自原到期日起算 3 年，至 {finalEnd} 止。",
  "eligibility.EXTEND_INSTEAD.online": "線上展期：至內政部憑證管理中心網站（憑證作業）辦理，過程中需輸入二次 PIN 碼。",
  "eligibility.EXTEND_INSTEAD.office":
    "臨櫃辦理：本人攜帶國民身分證與自然人憑證 IC 卡，至任一戶政事務所辦理（不限戶籍地，可跨縣市辦理）。",
  "eligibility.EXTEND_INSTEAD.later": "展期後的憑證即將 8 年到期時，可於 {opensAt} 起申請線上續卡。",

  "eligibility.TOO_EARLY.title": "還不需要申請線上續卡",
  "eligibility.TOO_EARLY.seed": "此卡號無法作線上申辦新憑證。訊息代碼：{code}",
  "eligibility.TOO_EARLY.body": "表示您的憑證未滿 8 年到期前 {before}，不需申請線上續卡。",
  "eligibility.TOO_EARLY.wait": "您可於 {opensAt} 起申請線上續卡。",
  "eligibility.TOO_EARLY.extendFirst": "您的憑證尚未展期：5 年效期到期日前 60 天，即 {opensAt} 起，可先辦理免費的展期。",

  "eligibility.WINDOW_CLOSED.title": "已超過線上續卡申請期限",
  "eligibility.WINDOW_CLOSED.body":
    "您的自然人憑證已於 {finalEnd} 到期（含展期期間），線上續卡申請期限已於 {closesAt} 截止。原憑證到期後將自動失效，無法進行網路身分驗證。",

  "eligibility.inPerson.title": "請親臨戶政事務所重新申請",
  "eligibility.inPerson.body":
    "請用戶本人攜帶下列物品，親臨任一戶政事務所，重新申請自然人憑證（不限戶籍地，可跨縣市辦理），當場即可完成憑證簽發。",
  "eligibility.inPerson.id": "國民身分證正本",
  "eligibility.inPerson.fee": "IC 卡工本費 {amount} 元",
  "eligibility.inPerson.email": "一組 E-mail 信箱",

  "eligibility.nextStep": "接下來怎麼做",
  "eligibility.systemMessage": "系統訊息",
  "eligibility.moicaSite": "內政部憑證管理中心網站",
  "eligibility.dates": "憑證效期",
  "eligibility.finalEnd": "到期日（含展期期間）",
  "eligibility.finalEndIfExtended": "展期後的到期日（8 年）",
  "eligibility.currentEnd": "目前的 5 年到期日",
  "eligibility.window": "線上續卡申請期間",
  "eligibility.windowRange": "{opensAt} 起至 {closesAt} 止",
  "eligibility.dateTime": "{date} {time}",
  "eligibility.timeZoneNote": "時間均為臺灣時間。",
} as const;

export type EligibilityMessageKey = keyof typeof eligibilityZhTW;
export type EligibilityMessages = Record<EligibilityMessageKey, string>;

/** The values each message takes, read from this source text. */
export type EligibilityVars<K extends EligibilityMessageKey> = VarsFor<(typeof eligibilityZhTW)[K]>;
