import type { ActivationMessageKey, ActivationMessages, activationZhTW } from "./activation.zh-TW";
import type { Placeholders } from "./placeholders";

// `satisfies`: a key missing here, or one zh-TW does not have, fails `tsc`; the check below compares placeholders.
export const activationEn = {
  "page.title": "Activate your new card",
  "page.intro":
    "Once the new card has arrived by registered mail, activate it here. Its certificates become valid only after you have checked them, entered the user code you chose when applying, and pressed “Activate” to accept them.",
  "page.stepsTitle": "How activation works",
  "page.step.insert": "Put the new citizen certificate card in the card reader.",
  "page.step.read": "Press “Read card” to read the new card's number and certificates.",
  "page.step.check": "Check the card number, your name and the certificates (serial numbers, validity).",
  "page.step.code": "Enter the user code (用戶代碼) you chose when you applied.",
  "page.step.confirm": "Tick that you accept the certificates and press “Activate”. They are valid from then on, and you can print or save the receipt.",
  "page.needsHicos": "You need a computer, a card reader and the HiCOS card tool. You do not need to log in to activate.",
  "page.pinLater": "Activation does not ask for the card's PIN; you need it later, to log in or sign with the new card.",
  "page.oldCard": "Your old card is not affected: it stays as it is and works until its own end date.",
  "page.needsScript": "Reading the card needs JavaScript. Turn JavaScript on and reload this page.",

  "read.button": "Read card",
  "read.again": "Read the card again",
  "read.reading": "Reading the card; follow the HiCOS window…",
  "read.checking": "Looking up this card's activation…",
  "read.failed": "The card could not be read or looked up",
  "read.noCertificates": "No certificates were found on this card. Check that it is the new card you received, then try again.",
  "read.againHint": "If you changed cards or want to check again, read the card again.",

  "error.network": "Could not reach this service. Check your internet connection and try again.",
  "error.unexpected": "Something went wrong on our side. Please try again later.",

  "preview.title": "Check the certificates",
  "preview.intro": "These are the certificates on the new card. Check them before you activate.",
  "preview.orderNumber": "Order number",
  "preview.cardNumber": "Card number",
  "preview.holderName": "Name",
  "preview.attemptsLeft": "You can enter the user code {count} more times; 4 wrong codes lock activation.",

  "certificate.usage.SIGNING": "Signing certificate (簽章用)",
  "certificate.usage.ENCRYPTION": "Encryption certificate (加密用)",
  "certificate.serial": "Serial number (憑證序號)",
  "certificate.validity": "Valid",
  "certificate.validityRange": "from {from} to {to}",
  "certificate.timeZone": "All times are Taiwan time.",

  "form.title": "Enter your user code and confirm",
  "form.userCode": "User code (用戶代碼)",
  "form.userCodeHint": "The 6 to 10 letters, digits or symbols you chose when applying. Upper and lower case differ.",
  "form.userCodeRequired": "Enter your user code: 6 to 10 characters, case-sensitive, no spaces.",
  "form.accept": "I have checked the certificates above and accept them",
  "form.acceptRequired": "Tick the box to accept the certificates first.",
  "form.submit": "Activate",
  "form.working": "Activating, please wait…",
  "form.failed": "The card was not activated",

  "locked.title": "Four wrong user codes: activation of this card is locked",
  "locked.intro": "To protect your certificates, this card cannot be activated online for now. What to do depends on your case:",
  "locked.remember.title": "You remember the user code you chose",
  "locked.remember.body": "Call the support line on {phone} (daily, 7 a.m. to 11 p.m.). Support lifts the lock; then come back to this page and activate.",
  "locked.forgot.title": "You forgot or lost the user code",
  "locked.forgot.body":
    "Go in person with your national ID card and the new citizen certificate card to any household registration office (戶政事務所; not only the one where you are registered) to have the user code reset, or send someone with a letter of authorisation you have signed.",
  "locked.forgot.then": "Then come back to this page and activate with the new user code yourself: the office does not activate the card for you.",
  "locked.noCodeKept": "We keep no copy of your user code, so support cannot tell you what it is.",

  "receipt.title": "Activation receipt (自然人憑證線上續卡開卡收執聯)",
  "receipt.issuer": "Ministry of the Interior Certificate Authority (MOICA)",
  "receipt.done": "Activation complete: the new card's certificates are valid.",
  "receipt.activatedAt": "Activated",
  "receipt.certificates": "Certificates accepted",
  "receipt.registerNote":
    "If you registered your old card's certificate with another agency's website or system (a document system, say), register the new card's serial numbers there (使用者憑證登記) to use those services with the new card.",
  "receipt.oldCardNote": "Your old card is not affected: it stays as it is and works until its own end date.",
  "receipt.pinNote": "To log in or sign with the new card later, you need the new card's PIN.",
  "receipt.print": "Print or save as PDF",
  "receipt.printHint": "To save a file, choose “Save as PDF” in the print window.",
} as const satisfies ActivationMessages;

type PlaceholderMismatch = {
  [K in ActivationMessageKey]: [Placeholders<(typeof activationEn)[K]>] extends [Placeholders<(typeof activationZhTW)[K]>]
    ? [Placeholders<(typeof activationZhTW)[K]>] extends [Placeholders<(typeof activationEn)[K]>]
      ? never
      : K
    : K;
}[ActivationMessageKey];
/** Fails `tsc`, naming the key, when a message's placeholders differ between the two languages. */
export const placeholdersMatchZhTW: [PlaceholderMismatch] extends [never] ? true : PlaceholderMismatch = true;
