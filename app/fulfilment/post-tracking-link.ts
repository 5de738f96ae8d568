// Client-safe. Chunghwa Post's public tracking page for domestic registered mail (郵局國內快捷/掛號/包裹查詢):
// it takes no number in its address, so pages and e-mails show the number beside the link for the holder to enter.
export const CHUNGHWA_POST_TRACKING_URL = "https://postserv.post.gov.tw/pstmail/main_mail.html";

/** Registered-mail numbers in groups of four, easier to read out and type (20 digits → 5 groups). */
export function formatMailNumber(mailNumber: string): string {
  return mailNumber.replace(/(\d{4})(?=\d)/g, "$1 ");
}
