import type { EligibilityMessageKey, EligibilityMessages, eligibilityZhTW } from "./eligibility.zh-TW";
import type { Placeholders } from "./placeholders";

// `satisfies`: a key missing here, or one zh-TW does not have, fails `tsc`; `as const` keeps the texts literal so
// the check below can compare placeholders too.
export const eligibilityEn = {
  "eligibility.ELIGIBLE.title": "You can apply for a new card online",
  "eligibility.ELIGIBLE.body":
    "Your citizen certificate reaches its final end (extension included) on {finalEnd}. You are within the online reissue period and can apply until {closesAt}.",
  "eligibility.ELIGIBLE.expiredBody":
    "Your citizen certificate reached its final end (extension included) on {finalEnd}. You can still log in with the old card to apply for a new one — for this service only — until {closesAt}.",
  "eligibility.ELIGIBLE.action": "Apply for a new card",
  "eligibility.ELIGIBLE.payNote":
    "Pay within 2 days of applying; applications not paid in time are deleted automatically.",

  "eligibility.ALREADY_APPLIED.title": "You have already applied",
  "eligibility.ALREADY_APPLIED.body":
    "Your online reissue application (order number {orderNumber}) is in progress, so there is no need to apply again.",
  "eligibility.ALREADY_APPLIED.action": "See payment and progress",

  "eligibility.REVOKED.title": "This certificate has been revoked and cannot be reissued online",
  "eligibility.REVOKED.body":
    "Online reissue is only for citizen certificates that were valid up to their end; a revoked certificate does not qualify.",
  "eligibility.SUSPENDED.title": "This certificate is suspended and cannot be reissued online",
  "eligibility.SUSPENDED.body":
    "Online reissue is only for citizen certificates that were valid up to their end; a suspended certificate does not qualify.",

  "eligibility.AWAITING_ACTIVATION.title": "This card has not been activated yet",
  "eligibility.AWAITING_ACTIVATION.body":
    "A new card's certificate becomes valid only once it is activated. Activate it online: read the new card, check the certificate details, then enter the user code you chose when you applied.",

  "eligibility.TOO_MANY_VALID_CARDS.title": "You already have two valid certificates, so you cannot apply again",
  "eligibility.TOO_MANY_VALID_CARDS.seed": "This ID number already has more than 2 valid cards",
  "eligibility.TOO_MANY_VALID_CARDS.body":
    "The reason: this ID already has two valid certificates — usually the old card and the new one from an earlier reissue — and cannot apply for another.",
  "eligibility.TOO_MANY_VALID_CARDS.action":
    "There is nothing more to do. If you never applied for a new card, call the toll-free support line on {phone}.",

  "eligibility.EXTEND_INSTEAD.title": "Extend your certificate for free instead — no new card needed",
  "eligibility.EXTEND_INSTEAD.body":
    "Your certificate is a 5-year certificate, not yet extended, and expires on {notAfter}.",
  "eligibility.EXTEND_INSTEAD.expiredBody":
    "Your certificate is a 5-year certificate, not yet extended, and expired on {notAfter}.",
  "eligibility.EXTEND_INSTEAD.how":
    "A certificate can be extended once, free of charge, from 60 days before its 5-year expiry until 3 years after it ({opensAt} to {closesAt}). The extension runs 3 years from the original expiry date, to {finalEnd}.",
  "eligibility.EXTEND_INSTEAD.online":
    "Online: on the MOICA website (Certificate services); you enter your PIN twice during the extension.",
  "eligibility.EXTEND_INSTEAD.office":
    "In person: take your national ID card and your citizen certificate card to any household registration office (not limited to where your household is registered).",
  "eligibility.EXTEND_INSTEAD.later":
    "When the extended certificate nears its 8-year end, you can apply for a new card online from {opensAt}.",

  "eligibility.TOO_EARLY.title": "There is no need to apply yet",
  "eligibility.TOO_EARLY.seed": "This card number cannot be used to apply for a new certificate online. Message code: {code}",
  "eligibility.TOO_EARLY.body":
    "It means your certificate is not yet within {before} of its 8-year end, so there is no need to apply online.",
  "eligibility.TOO_EARLY.wait": "You can apply for a new card online from {opensAt}.",
  "eligibility.TOO_EARLY.extendFirst":
    "Your certificate has not been extended: from 60 days before its 5-year expiry, that is from {opensAt}, you can first extend it for free.",

  "eligibility.WINDOW_CLOSED.title": "The period for reissuing online has ended",
  "eligibility.WINDOW_CLOSED.body":
    "Your citizen certificate reached its final end (extension included) on {finalEnd}, and the online reissue period closed on {closesAt}. An expired certificate stops working and can no longer prove who you are online.",

  "eligibility.inPerson.title": "Apply again in person at a household registration office",
  "eligibility.inPerson.body":
    "Go in person to any household registration office — not limited to where your household is registered — with the following, and apply for a new citizen certificate. It is issued on the spot.",
  "eligibility.inPerson.id": "Your national ID card (the original)",
  "eligibility.inPerson.fee": "The card fee of NT${amount}",
  "eligibility.inPerson.email": "An e-mail address",

  "eligibility.nextStep": "What to do next",
  "eligibility.systemMessage": "System message",
  "eligibility.moicaSite": "MOICA website",
  "eligibility.dates": "Certificate validity",
  "eligibility.finalEnd": "Final end (extension included)",
  "eligibility.finalEndIfExtended": "End after the extension (8 years)",
  "eligibility.currentEnd": "Current 5-year end",
  "eligibility.window": "Online reissue period",
  "eligibility.windowRange": "{opensAt} to {closesAt}",
  "eligibility.dateTime": "{date} at {time}",
  "eligibility.timeZoneNote": "All times are Taiwan time.",
} as const satisfies EligibilityMessages;

type PlaceholderMismatch = {
  [K in EligibilityMessageKey]: [Placeholders<(typeof eligibilityEn)[K]>] extends [Placeholders<(typeof eligibilityZhTW)[K]>]
    ? [Placeholders<(typeof eligibilityZhTW)[K]>] extends [Placeholders<(typeof eligibilityEn)[K]>]
      ? never
      : K
    : K;
}[EligibilityMessageKey];
/** Fails `tsc`, naming the key, when a message's placeholders differ between the two languages. */
export const placeholdersMatchZhTW: [PlaceholderMismatch] extends [never] ? true : PlaceholderMismatch = true;
