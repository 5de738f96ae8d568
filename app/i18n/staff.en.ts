import type { Placeholders } from "./placeholders";
import type { StaffMessageKey, StaffMessages, staffZhTW } from "./staff.zh-TW";

// `satisfies`: a key missing here, or one zh-TW does not have, fails `tsc`; the check below compares placeholders.
export const staffEn = {
  "layout.area": "Back office",
  "layout.nav": "Back-office menu",
  "layout.home": "Back-office home",
  "layout.signedInAs": "Signed in: {name} ({username})",
  "layout.roles": "Roles: {roles}",
  "layout.signOut": "Sign out",

  "role.SUPPORT": "Support",
  "role.REGISTRAR": "Registrar",
  "role.FINANCE": "Finance",
  "role.ADMIN": "Administrator",

  "home.title": "Back-office home",
  "home.intro": "Your roles give you:",
  "home.none": "Your roles give you nothing to do here yet; ask an administrator.",
  "area.support.title": "Support desk",
  "area.support.description": "Find an order by registered-mail number, order number, card number or national ID: progress, payment, printing, mail tracking and activation.",
  "area.finance.title": "Finance",
  "area.finance.description": "Daily takings, card and ATM reconciliation, the exception queue and exports.",
  "area.admin.title": "Staff administration",
  "area.admin.description": "Add staff, set roles, disable accounts and reset authenticators.",
  "area.activation.title": "Activation help",
  "area.activation.description": "Look up a card's activation by the new card number or the order number; support lifts a user-code lock, registrars reset a user code.",

  "login.title": "Staff sign-in",
  "login.intro": "For MOICA support staff and household registration office staff only.",
  "login.username": "Username",
  "login.password": "Password",
  "login.submit": "Sign in",
  "login.note": "After 5 wrong tries in a row the account is paused for 15 minutes. Forgot your password? Ask an administrator.",

  "error.usernameRequired": "Enter your username.",
  "error.passwordRequired": "Enter your password.",
  "error.usernameFormat": "The username is 3–64 lower-case letters, digits, dots, dashes or underscores.",
  "error.passwordTooShort": "The password must be at least 12 characters long.",
  "error.passwordTooLong": "The password can be at most 256 characters long.",
  "error.queryRequired": "Enter the new card number or the order number.",
  "error.queryFormat": "Enter a new card number (2 letters and 14 digits) or an order number (e.g. 1151123-48215-3).",
  "error.notFound": "No order matches; check the number.",
  "error.reasonLength": "Give the reason (5–500 characters).",
  "error.remembersCodeRequired": "First confirm that the holder still remembers the user code chosen at application; a forgotten code is reset at a household registration office.",
  "error.userCodeFormat": "The user code is 6–10 letters, digits or symbols (case-sensitive, no spaces).",
  "error.confirmationRequired": "Enter the new user code again.",
  "error.codesDiffer": "The two entries of the new user code differ.",
  "error.nationalIdFormat": "The ID number's format or check digit is wrong.",
  "error.unknownIntent": "Unknown request.",

  "search.title": "Activation help: look-up",
  "search.intro": "Enter the holder's new card number or the reissue order number.",
  "search.query": "New card number or order number",
  "search.queryHint": "For example TP03120111098939 or 1151123-48215-3.",
  "search.submit": "Look up",

  "detail.title": "Activation status",
  "detail.back": "Back to the look-up",
  "detail.orderNumber": "Order number",
  "detail.orderStatus": "Order status",
  "detail.cardNumber": "New card number",
  "detail.holderName": "Holder's name",
  "detail.nationalId": "National ID number",
  "detail.wrongAttempts": "Wrong user codes",
  "detail.wrongAttemptsValue": "{count} / {max}",
  "detail.lockedAt": "Locked at",
  "detail.activatedAt": "Activated at",
  "detail.userCodeResetAt": "User code reset at",
  "detail.mailNumber": "Registered mail number",
  "detail.none": "—",
  "detail.history": "Activation history",
  "detail.historyEmpty": "Nothing yet.",
  "detail.historyAt": "When",
  "detail.historyAction": "Event",
  "detail.historyActor": "Staff",
  "detail.historyReason": "Reason",
  "detail.holder": "Holder",

  "orderStatus.AWAITING_PAYMENT": "Awaiting payment",
  "orderStatus.PAID": "Paid",
  "orderStatus.IN_PRODUCTION": "Card being made",
  "orderStatus.MAILED": "In the post",
  "orderStatus.DELIVERED": "Delivered",
  "orderStatus.ACTIVATED": "Activated",
  "orderStatus.DELETED_UNPAID": "Deleted, unpaid",

  "history.order.activated": "Holder activated the card",
  "history.activation.code_wrong": "Wrong user code",
  "history.activation.locked": "Locked after 4 wrong codes",
  "history.activation.lock_lifted": "Support lifted the lock",
  "history.activation.code_reset": "Registrar reset the user code",

  "lift.title": "Lift the activation lock (support)",
  "lift.intro": "When the holder still remembers the user code chosen at application, lift the lock; the holder then activates online again. Lifting neither shows nor changes the code.",
  "lift.notLocked": "Activation of this order is not locked.",
  "lift.remembersCode": "The holder says they remember the user code they chose at application",
  "lift.reason": "Reason",
  "lift.reasonHint": "5–500 characters, e.g. when they called and how it was confirmed; no ID numbers or other personal data.",
  "lift.submit": "Lift the lock",
  "lift.done": "The activation lock is lifted. The holder can activate again with their user code.",

  "reset.title": "Reset the user code (registrar)",
  "reset.intro": "A holder who forgot the user code comes in person with the original ID card and the IC card (or sends a proxy). The reset also lifts the lock; the holder still activates online themselves.",
  "reset.activated": "This card is already activated; there is no user code to reset.",
  "reset.newCode": "New user code",
  "reset.newCodeHint": "Typed by the holder (or the proxy): 6–10 letters, digits or symbols, case-sensitive.",
  "reset.confirmation": "New user code again",
  "reset.nationalId": "National ID number (as on the ID card shown in person)",
  "reset.nationalIdHint": "Only compared with the applicant's; never shown or kept.",
  "reset.proxy": "Proxy: the proxy's identity and the applicant's signed letter of authorisation (委託書) were checked",
  "reset.reason": "Reason",
  "reset.reasonHint": "5–500 characters; no ID numbers or user codes.",
  "reset.submit": "Reset the user code",
  "reset.done": "The user code is reset and the lock lifted. The holder activates online with the new code.",
} as const satisfies StaffMessages;

type PlaceholderMismatch = {
  [K in StaffMessageKey]: [Placeholders<(typeof staffEn)[K]>] extends [Placeholders<(typeof staffZhTW)[K]>]
    ? [Placeholders<(typeof staffZhTW)[K]>] extends [Placeholders<(typeof staffEn)[K]>]
      ? never
      : K
    : K;
}[StaffMessageKey];
/** Fails `tsc`, naming the key, when a message's placeholders differ between the two languages. */
export const placeholdersMatchZhTW: [PlaceholderMismatch] extends [never] ? true : PlaceholderMismatch = true;
