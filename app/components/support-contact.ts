// 003: 客服專線 0800-080-117（每日上午7點至晚上11點）, 客服信箱 cse@moica.nat.gov.tw
export const SUPPORT_PHONE = "0800-080-117";
export const SUPPORT_PHONE_HREF = "tel:+886800080117";
export const SUPPORT_EMAIL = "cse@moica.nat.gov.tw";
export const MOICA_SITE = "https://moica.nat.gov.tw";
export const POST_TRACKING_URL = "https://postserv.post.gov.tw/pstmail/main_mail.html";
