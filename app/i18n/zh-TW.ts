// The source catalogue: every key lives here first, in the seeds' own wording (002, 003).
// `en.ts` must provide exactly the same keys; placeholders are `{name}`.
export const zhTW = {
  "site.name": "自然人憑證線上續卡",
  "site.agency": "內政部憑證管理中心",
  "site.home": "自然人憑證線上續卡首頁",

  "layout.skipToContent": "跳到主要內容",
  "layout.languageNav": "語言",
  "layout.switchTo": "English",
  "layout.switchToLabel": "Switch to English",

  "footer.support": "免付費客服專線",
  "footer.supportHours": "每日上午 7 點至晚上 11 點",
  "footer.mail": "客服信箱",
  "footer.official": "憑證相關說明，依內政部憑證管理中心官方網站公告為主。",

  "unit.days.one": "{count} 天",
  "unit.days.other": "{count} 天",
  "unit.months.one": "{count} 個月",
  "unit.months.other": "{count} 個月",
  "unit.years.one": "{count} 年",
  "unit.years.other": "{count} 年",
  "unit.amount": "{amount} 元",

  "error.notFound.title": "找不到這個頁面",
  "error.notFound.body": "網址可能有誤，或頁面已經移除。",
  "error.request.title": "無法處理這個要求",
  "error.request.body": "請回到首頁重新操作。",
  "error.server.title": "系統暫時無法處理您的要求",
  "error.server.body": "請稍後再試。如問題持續發生，請洽免付費客服專線 {phone}。",
  "error.unavailable.title": "暫時無法完成您的要求",
  "error.unavailable.body": "這次操作沒有執行，請稍後再試。",
  "error.code": "錯誤代碼 {status}",
  "error.backHome": "回到首頁",

  "meta.home.title": "自然人憑證線上續卡｜內政部憑證管理中心",
  "meta.home.description":
    "自然人憑證即將 8 年到期（含展期期間）的用戶，可用原卡上網申請新卡，線上繳費 {total} 元後以掛號寄送，收到後上網開卡。",

  "home.hero.kicker": "舊用戶限定",
  "home.hero.title": "自然人憑證線上續卡",
  "home.hero.tagline": "憑證線上換發，得卡全不費功夫",
  "home.hero.lead":
    "自然人憑證使用期限最長為 8 年（含展期期間）。符合資格的用戶，可以用原來的自然人憑證 IC 卡上網申請新卡，線上繳費後以掛號寄送，收到後上網開卡即可使用。",
  "home.hero.cta": "以自然人憑證登入申請",
  "home.hero.ctaNote": "登入申請及查詢，都需要原來的自然人憑證 IC 卡、讀卡機及卡片 PIN 碼。",
  "home.facts.label": "重點摘要",
  "home.facts.price": "費用",
  "home.facts.pay": "繳費期限",
  "home.facts.payValue": "申請成功後二天內",
  "home.facts.delivery": "收件時間",
  "home.facts.deliveryValue": "本島約 7 個工作天",

  "home.eligible.title": "申辦資格",
  "home.eligible.holder": "已有自然人憑證者。",
  "home.eligible.window": "原憑證即將 8 年到期（含展期期間）前 {before}及到期後 {after}內。",
  "home.eligible.windowBeforeOnly": "原憑證已到期（含展期期間）前 {before}之內。",
  "home.eligible.valid": "原憑證到期前為有效的自然人憑證（未經停用或廢止）。",
  "home.eligible.oldCard": "原憑證到期後 {after}內，仍可用原卡登入本服務申請及查詢進度（僅限線上續卡使用）。",

  "home.other.title": "以下情形請改用其他方式",
  "home.other.extend.title": "5 年效期即將到期的憑證",
  "home.other.extend.body":
    "請辦理免費的展期，不需換卡。憑證 5 年到期日前 60 天至有效期限屆滿 3 年內，可線上展期或至戶政事務所臨櫃辦理，展期後可再使用 3 年。",
  "home.other.tooEarly.title": "距離 8 年到期還超過 {before}",
  "home.other.tooEarly.body":
    "表示憑證尚未到期前 {before}，不需申請線上續卡；申請時會看到「此卡號無法作線上申辦新憑證。訊息代碼：45」。",
  "home.other.twoCards.title": "已有二張有效憑證",
  "home.other.twoCards.body":
    "例如已完成線上續卡、新舊卡都還有效，就不能再申請線上續卡，系統會顯示「此身份證號目前有效正卡數超過 2 張」。",
  "home.other.inPerson.title": "已超過申請期限，或憑證已停用、廢止",
  "home.other.inPerson.body":
    "請用戶本人攜帶身分證正本、IC 卡工本費 250 元及 E-mail 信箱，親臨任一戶政事務所，重新申請自然人憑證（不限戶籍地，可跨縣市辦理）。無法順利於線上完成續卡申請或繳費者，也請依此辦理。",

  "home.price.title": "費用與繳費",
  "home.price.card": "自然人憑證 IC 卡工本費（優惠價）",
  "home.price.postage": "掛號郵資處理費",
  "home.price.total": "合計",
  "home.price.methods":
    "可用 ATM 轉帳或信用卡付款。不同付款方式可能產生手續費，手續費用依每間銀行規定金額收取。",
  "home.price.deadline":
    "線上續卡申請成功後，請於二天內完成繳費；未於時間內完成繳費的申請，系統會自動刪除申請資料。",
  "home.price.beforeYouPay": "繳費前請再次確認",
  "home.price.noChanges":
    "繳費成功即同時進入製卡流程並印製收件人信封，故繳費後，申請時填寫的資料即無法更改。",
  "home.price.noRefund":
    "自然人憑證 IC 卡為客製化卡片，卡片上已印製申請人姓名及有效期限，屬於個人專屬卡片，故繳費製卡完成後即無法退費。",

  "home.steps.title": "申辦流程",
  "home.steps.apply.title": "上網申請",
  "home.steps.apply.body": "以原自然人憑證 IC 卡登入，填寫手機號碼、E-mail 信箱及國內收件地址，並自行設定用戶代碼。",
  "home.steps.pay.title": "二天內線上繳費",
  "home.steps.pay.body": "以 ATM 轉帳或信用卡完成繳費。",
  "home.steps.email.title": "收到繳費通知信",
  "home.steps.email.body":
    "繳費成功後，系統會寄送「線上申請續卡已繳費」通知信函至您申請時填寫的 E-mail 信箱，即代表申請完成。",
  "home.steps.mail.title": "製卡寄送",
  "home.steps.mail.body":
    "以掛號寄送：台灣本島內約 7 個工作天收件；離島收件時間延後 2-3 天（限國內郵遞）。寄出後，登入即可查詢郵件號碼。",
  "home.steps.activate.title": "網路開卡",
  "home.steps.activate.body":
    "收到新卡後上網開卡：讀取新卡，確認憑證內容無誤後，輸入申請時自行設定的用戶代碼，完成開卡後憑證即為有效。",

  "home.needs.title": "申請前請準備",
  "home.needs.computer": "可上網的電腦及晶片讀卡機。",
  "home.needs.hicos": "HiCOS 卡片管理工具：請至內政部憑證管理中心網站「儲存庫／檔案下載」下載安裝。",
  "home.needs.pin": "原自然人憑證 IC 卡及 PIN 碼：未更改過者，預設為民國出生年月日共六碼；連續輸入錯誤 3 次會鎖卡。",
  "home.needs.contact": "手機號碼、E-mail 信箱，以及國內的收件地址。",

  "home.code.title": "用戶代碼與開卡",
  "home.code.rules": "用戶代碼請自行設定 6-10 碼，可混合英文、數字或特殊符號（例 %、@ 等），英文大小寫視為不同。",
  "home.code.noCopy": "為維護用戶的權益及安全，憑證管理中心並不留存您設定的用戶代碼，請務必牢記。",
  "home.code.locked":
    "開卡時用戶代碼輸入錯誤 4 次會被鎖定。如還記得用戶代碼，請洽客服專線 {phone}，由客服人員協助解除鎖定後，再進行開卡。",
  "home.code.forgot":
    "如已遺失或忘記用戶代碼，請本人攜帶身分證正本及自然人憑證 IC 卡，至鄰近戶政事務所修改用戶代碼（或委託代辦）後，再自行上網開卡；戶政事務所不會代為開卡。",

  "home.help.title": "查詢進度與客服",
  "home.help.status": "登入後可查詢繳費及續卡進度；卡片寄出後會顯示郵件號碼，可至中華郵政網站查詢寄送情況。",
  "home.help.tracking": "郵局國內快捷／掛號／包裹查詢",
  "home.help.expired": "若原卡已過期無法登入，請洽免付費客服專線 {phone}，由客服人員協助查詢郵件號碼。",
  "home.help.notReceived": "郵件查詢顯示已簽收，但確實未收到卡片時，請洽客服專線 {phone}，由客服人員協助進一步查詢及處理。",

  "home.cta.title": "符合資格了嗎？",
  "home.cta.body": "請將原自然人憑證 IC 卡插入讀卡機，再登入申請。",

  "login.title": "以自然人憑證登入",
  "login.intro": "請將原自然人憑證 IC 卡插入讀卡機，輸入卡片 PIN 碼後按「登入」。系統會開啟 HiCOS 卡片元件的小視窗，由卡片對一次性的登入驗證碼簽章。",
  "login.pin": "卡片 PIN 碼",
  "login.pinHint": "未更改過的預設 PIN 碼為民國出生年月日共 6 碼；已更改者為 6 至 8 碼。連續輸入錯誤 3 次會鎖卡。",
  "login.submit": "登入",
  "login.working": "正在讀取卡片並驗證，請稍候…",
  "login.needsScript": "登入需要瀏覽器執行 JavaScript，並允許本網站開啟彈出視窗（HiCOS 卡片元件）。",
  "login.needsHicos": "需要：讀卡機、已安裝並執行中的 HiCOS 卡片管理工具。",
  "login.pinRequired": "請輸入 6 至 8 碼的 PIN 碼。",
  "login.failed": "登入失敗",
  "login.sessionEnded": "您已被登出：憑證管理中心回覆此卡的憑證已無法使用。",
  "login.expiredNote": "原憑證到期後 1 年內，仍可用原卡登入本服務申請續卡及查詢進度。",
  "reissue.title": "您的線上續卡資格",
  "reissue.logout": "登出",
} as const;

export type MessageKey = keyof typeof zhTW;
export type Messages = Record<MessageKey, string>;
/** The placeholders each message takes, read from the zh-TW source text. */
export type SourceMessages = typeof zhTW;
