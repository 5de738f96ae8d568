import type { Messages } from "./zh-TW";

// Typed as `Messages`: a key missing here, or one zh-TW does not have, fails `tsc`.
export const en: Messages = {
  "site.name": "Citizen Certificate Card Online Reissue",
  "site.agency": "Ministry of the Interior Certificate Authority (MOICA)",
  "site.home": "Citizen certificate card online reissue, home page",

  "layout.skipToContent": "Skip to main content",
  "layout.languageNav": "Language",
  "layout.switchTo": "中文",
  "layout.switchToLabel": "切換為中文",

  "footer.support": "Toll-free support line",
  "footer.supportHours": "Daily, 7 a.m. to 11 p.m.",
  "footer.mail": "Support e-mail",
  "footer.official": "The official MOICA website is the authoritative source for everything about certificates.",

  "unit.days.one": "{count} day",
  "unit.days.other": "{count} days",
  "unit.months.one": "{count} month",
  "unit.months.other": "{count} months",
  "unit.years.one": "{count} year",
  "unit.years.other": "{count} years",
  "unit.amount": "NT${amount}",

  "error.notFound.title": "Page not found",
  "error.notFound.body": "The address may be mistyped, or the page has been removed.",
  "error.request.title": "We could not handle this request",
  "error.request.body": "Please go back to the home page and try again.",
  "error.server.title": "Something went wrong on our side",
  "error.server.body": "Please try again later. If the problem continues, call our toll-free support line on {phone}.",
  "error.unavailable.title": "We cannot complete this right now",
  "error.unavailable.body": "Nothing was done. Please try again later.",
  "error.code": "Error {status}",
  "error.backHome": "Back to the home page",

  "meta.home.title": "Reissue your citizen certificate card online | MOICA",
  "meta.home.description":
    "If your citizen certificate is reaching its final 8-year end, apply for a new card online with your current card, pay NT${total} and get it by registered mail, then activate it online.",

  "home.hero.kicker": "For existing card holders",
  "home.hero.title": "Reissue your citizen certificate card online",
  "home.hero.tagline": "A new card by post, without a trip to the office",
  "home.hero.lead":
    "A citizen certificate can be used for at most 8 years, including its extension. If you qualify, you can apply for a new card online with your current card, pay online, and receive the new card by registered mail. Activate it online when it arrives and it is ready to use.",
  "home.hero.cta": "Log in with your citizen certificate card",
  "home.hero.ctaNote": "To apply or check your progress you need your current card, a card reader and the card's PIN.",
  "home.facts.label": "At a glance",
  "home.facts.price": "Price",
  "home.facts.pay": "Pay within",
  "home.facts.payValue": "2 days of applying",
  "home.facts.delivery": "Delivery",
  "home.facts.deliveryValue": "about 7 working days",

  "home.eligible.title": "Who can apply",
  "home.eligible.holder": "You already have a citizen certificate card.",
  "home.eligible.window":
    "Your current certificate reaches its final end date (8 years, including the extension) within the next {before}, or reached it no more than {after} ago.",
  "home.eligible.windowBeforeOnly":
    "Your current certificate reaches its final end date (8 years, including the extension) within the next {before}.",
  "home.eligible.valid": "The certificate was valid until its end date: it was not suspended or revoked.",
  "home.eligible.oldCard":
    "For {after} after the end date you can still log in here with the old card, to apply and to check your progress (for online reissue only).",

  "home.other.title": "When to use another service instead",
  "home.other.extend.title": "Your card is nearing its 5-year expiry",
  "home.other.extend.body":
    "Extend it for free instead of replacing the card. From 60 days before the 5-year expiry until 3 years after it, you can extend online or at a household registration office; the extension gives you 3 more years.",
  "home.other.tooEarly.title": "Your card's 8-year end is more than {before} away",
  "home.other.tooEarly.body":
    "You do not need a new card until {before} before that end. If you try to apply now, you will see “此卡號無法作線上申辦新憑證。訊息代碼：45” (this card cannot apply online for a new certificate, code 45).",
  "home.other.twoCards.title": "You already have two valid cards",
  "home.other.twoCards.body":
    "For example, if you have already reissued and both the old and the new card are still valid, you cannot apply again; you will see “此身份證號目前有效正卡數超過 2 張” (this ID number already has the maximum number of valid cards).",
  "home.other.inPerson.title": "Too late to apply, or the certificate was suspended or revoked",
  "home.other.inPerson.body":
    "Go in person to any household registration office (not only the one where you are registered) with your original national ID card, an e-mail address and NT$250 for the card, and apply for a new citizen certificate there. Do the same if you cannot finish the online application or payment.",

  "home.price.title": "Price and payment",
  "home.price.card": "Citizen certificate card (discounted price)",
  "home.price.postage": "Registered mail and handling",
  "home.price.total": "Total",
  "home.price.methods":
    "Pay by ATM transfer or credit card. Depending on how you pay, your bank may charge a fee on top, at its own rates.",
  "home.price.deadline":
    "Pay within 2 days of a successful application. Applications not paid in time are deleted automatically.",
  "home.price.beforeYouPay": "Check everything before you pay",
  "home.price.noChanges":
    "As soon as you pay, we start making your card and print the envelope, so nothing in your application can be changed after payment.",
  "home.price.noRefund":
    "Your card is made for you alone: it is printed with your name and its validity dates. Once you have paid and the card is made, there is no refund.",

  "home.steps.title": "How it works",
  "home.steps.apply.title": "Apply online",
  "home.steps.apply.body":
    "Log in with your current card, enter your mobile number, e-mail address and a mailing address in Taiwan, and choose a user code.",
  "home.steps.pay.title": "Pay online within 2 days",
  "home.steps.pay.body": "Pay by ATM transfer or credit card.",
  "home.steps.email.title": "Get the payment e-mail",
  "home.steps.email.body":
    "Once payment succeeds we send “線上申請續卡已繳費” (online reissue paid) to the e-mail address you gave. That e-mail means your application is complete.",
  "home.steps.mail.title": "We make and post your card",
  "home.steps.mail.body":
    "It goes by registered mail: about 7 working days on Taiwan's main island, 2–3 days more for outlying islands (addresses in Taiwan only). Once it is posted, log in to see the mail number.",
  "home.steps.activate.title": "Activate online",
  "home.steps.activate.body":
    "When the card arrives, activate it online: read the new card, check the certificate details, and enter the user code you chose when you applied. The certificate is valid from then on.",

  "home.needs.title": "What you need",
  "home.needs.computer": "A computer with internet access and a smart-card reader.",
  "home.needs.hicos": "The HiCOS card management tool: download it from the MOICA website under Repository → Downloads.",
  "home.needs.pin":
    "Your current card and its PIN. Unless you changed it, the PIN is your date of birth in the ROC calendar (6 digits); 3 wrong PINs in a row lock the card.",
  "home.needs.contact": "A mobile number, an e-mail address and a mailing address in Taiwan.",

  "home.code.title": "Your user code and activation",
  "home.code.rules":
    "Choose a user code of 6–10 characters. You may mix letters, digits and symbols such as % or @; upper and lower case count as different.",
  "home.code.noCopy": "For your security, the Certification Authority keeps no copy of your user code, so make sure you remember it.",
  "home.code.locked":
    "Entering a wrong user code 4 times locks activation. If you still know your code, call {phone} and support staff will lift the lock so you can activate again.",
  "home.code.forgot":
    "If you have lost or forgotten your code, take your national ID card and the new card to a nearby household registration office (or send someone on your behalf) to change it, then activate the card online yourself. The office cannot activate it for you.",

  "home.help.title": "Checking progress and getting help",
  "home.help.status":
    "Log in to see your payment and the progress of your new card. Once the card is posted you will see its mail number, which you can track on Chunghwa Post's website.",
  "home.help.tracking": "Chunghwa Post tracking (domestic express, registered mail and parcels)",
  "home.help.expired":
    "If your old card has expired and you cannot log in, call the toll-free support line on {phone} and staff will look up the mail number for you.",
  "home.help.notReceived":
    "If the tracking page says the letter was delivered but you have not received your card, call {phone} and support will look into it.",

  "home.cta.title": "Do you qualify?",
  "home.cta.body": "Put your current citizen certificate card in the reader, then log in to apply.",

  "login.title": "Log in with your citizen certificate card",
  "login.intro": "Insert your current citizen certificate card in the reader, enter the card's PIN and press “Log in”. A small HiCOS window opens and the card signs a one-time login challenge.",
  "login.pin": "Card PIN",
  "login.pinHint": "Unless you changed it, the PIN is your date of birth in the ROC calendar (6 digits); a changed PIN has 6 to 8 characters. 3 wrong PINs in a row lock the card.",
  "login.submit": "Log in",
  "login.working": "Reading your card and checking it…",
  "login.needsScript": "Logging in needs JavaScript and permission for this site to open a pop-up window (the HiCOS card component).",
  "login.needsHicos": "You need a card reader and the HiCOS card management tool installed and running.",
  "login.pinRequired": "Please enter your 6- to 8-character PIN.",
  "login.failed": "Login failed",
  "login.sessionEnded": "You have been logged out: the certificate authority says this card's certificate can no longer be used.",
  "login.expiredNote": "For 1 year after your old certificate expired you can still log in with it here to reissue and to follow your order.",
  "reissue.title": "Your online reissue eligibility",
  "reissue.logout": "Log out",
};
