// What a holder reads on the activation page (/activate, app/components/activation/*), in the seeds' own wording
// (002 開卡). `activation.en.ts` has exactly the same keys and placeholders (checked by tsc). Dates arrive
// formatted in Asia/Taipei.
import type { VarsFor } from "./placeholders";

export const activationZhTW = {
  "page.title": "線上續卡開卡",
  "page.intro":
    "收到以掛號寄送的新卡後，請在這裡開卡。新卡上的憑證要在您檢視內容、輸入申請線上續卡時自行設定的用戶代碼並點選「開卡」表示接受後，才會生效。",
  "page.stepsTitle": "開卡步驟",
  "page.step.insert": "將新的自然人憑證 IC 卡插入讀卡機。",
  "page.step.read": "按「讀取卡片」，讀取新卡的卡號及憑證。",
  "page.step.check": "檢視卡號、姓名及憑證內容（憑證序號、有效期間）是否正確。",
  "page.step.code": "輸入申請線上續卡時自行設定的用戶代碼。",
  "page.step.confirm": "勾選同意接受所簽發的憑證，按「開卡」。完成後憑證即為有效，並可列印或儲存收執聯。",
  "page.needsHicos": "需使用電腦、晶片讀卡機及 HiCOS 卡片管理工具。開卡不需要登入。",
  "page.pinLater": "開卡不需要輸入卡片的 PIN 碼；日後以新卡登入或簽章時才需要。",
  "page.oldCard": "舊卡不受影響，維持原狀，可使用至其本身的效期屆滿。",
  "page.needsScript": "開卡需要瀏覽器執行 JavaScript 才能讀取卡片，請開啟 JavaScript 後重新整理本頁。",

  "read.button": "讀取卡片",
  "read.again": "重新讀卡",
  "read.reading": "正在讀取卡片，請依 HiCOS 視窗的指示操作…",
  "read.checking": "正在查詢這張卡片的開卡資料…",
  "read.failed": "無法讀取或查詢這張卡片",
  "read.noCertificates": "這張卡片上沒有讀到憑證。請確認插入的是收到的新卡後再試。",
  "read.againHint": "換了卡片或想重新確認時，可以重新讀卡。",

  "error.network": "無法連線到本服務，請檢查網路連線後再試。",
  "error.unexpected": "系統暫時無法處理，請稍後再試。",

  "preview.title": "請檢視憑證內容",
  "preview.intro": "以下是新卡上的憑證內容，請確認無誤後再開卡。",
  "preview.orderNumber": "訂單編號",
  "preview.cardNumber": "卡號",
  "preview.holderName": "姓名",
  "preview.attemptsLeft": "用戶代碼還可以輸入 {count} 次；輸入錯誤達 4 次，開卡即會鎖住。",

  "certificate.usage.SIGNING": "簽章用憑證",
  "certificate.usage.ENCRYPTION": "加密用憑證",
  "certificate.serial": "憑證序號",
  "certificate.validity": "有效期間",
  "certificate.validityRange": "{from} 至 {to}",
  "certificate.timeZone": "時間均為台灣時間。",

  "form.title": "輸入用戶代碼並確認",
  "form.userCode": "用戶代碼",
  "form.userCodeHint": "申請線上續卡時自行設定的 6 至 10 個英文字母、數字或符號，區分大小寫。",
  "form.userCodeRequired": "請輸入 6 至 10 碼的用戶代碼（區分大小寫，不可有空白）。",
  "form.accept": "我已檢視上列憑證內容無誤，同意接受所簽發的憑證",
  "form.acceptRequired": "請先勾選同意接受所簽發的憑證。",
  "form.submit": "開卡",
  "form.working": "正在開卡，請稍候…",
  "form.failed": "開卡未完成",

  "locked.title": "用戶代碼輸入錯誤已達 4 次，開卡已鎖住",
  "locked.intro": "為保護您的憑證，這張卡片暫時無法線上開卡。請依您的情況處理：",
  "locked.remember.title": "還記得申請時設定的用戶代碼",
  "locked.remember.body": "請洽客服中心專線 {phone}（每日上午 7 點至晚上 11 點），由客服人員協助解除用戶代碼鎖定後，再回到本頁進行開卡。",
  "locked.forgot.title": "忘記或遺失用戶代碼",
  "locked.forgot.body":
    "請本人攜帶身分證正本及新的自然人憑證 IC 卡，至任一戶政事務所修改用戶代碼（不限戶籍地，可跨縣市辦理），或委託他人持您簽名的委託書代為辦理。",
  "locked.forgot.then": "修改後，請以新的用戶代碼自行回到本頁開卡：戶政事務所不會代為開卡。",
  "locked.noCodeKept": "本中心不留存您的用戶代碼，客服人員也無法告訴您用戶代碼。",

  "receipt.title": "自然人憑證線上續卡開卡收執聯",
  "receipt.issuer": "內政部憑證管理中心",
  "receipt.done": "開卡完成，新卡的憑證已生效。",
  "receipt.activatedAt": "開卡時間",
  "receipt.certificates": "已接受的憑證",
  "receipt.registerNote":
    "如您曾在其他機關的網站或系統（例如公文系統）登記舊卡的憑證，請以新卡的憑證序號重新辦理「使用者憑證登記」，才能以新卡使用這些服務。",
  "receipt.oldCardNote": "舊卡不受影響，維持原狀，可使用至其本身的效期屆滿。",
  "receipt.pinNote": "日後以新卡登入或簽章時，需輸入新卡的 PIN 碼。",
  "receipt.print": "列印或存成 PDF",
  "receipt.printHint": "在列印視窗選擇「另存為 PDF」即可存成檔案。",
} as const;

export type ActivationMessageKey = keyof typeof activationZhTW;
export type ActivationMessages = Record<ActivationMessageKey, string>;

/** The values each message takes, read from this source text. */
export type ActivationVars<K extends ActivationMessageKey> = VarsFor<(typeof activationZhTW)[K]>;
