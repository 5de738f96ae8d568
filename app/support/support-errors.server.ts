// The support desk's refusals, each with a stable code (the page puts it on the field it concerns) and both languages.
import type { StaffActor } from "~/activation/staff-activation.server";
import { AppError } from "~/lib/errors.server";

const error = (code: string, status: number, zh: string, en: string) => new AppError(code, { "zh-TW": zh, en }, status);

export const FORBIDDEN = () => error("FORBIDDEN", 403, "您的角色不能執行這項作業。", "Your role does not allow this action.");
export const ORDER_NOT_FOUND = () => error("ORDER_NOT_FOUND", 404, "找不到這筆訂單。", "We cannot find this order.");
export const QUERY_FORMAT = () =>
  error("QUERY_FORMAT", 400, "請輸入掛號郵件號碼、訂單編號、卡號或身分證字號。", "Enter a registered-mail number, an order number, a card number or a national ID.");
export const REASON_REQUIRED = () => error("REASON_REQUIRED", 400, "請填寫原因（5 至 500 字）。", "Give the reason (5–500 characters).");
export const NOTE_LENGTH = () => error("NOTE_LENGTH", 400, "備註須為 1 至 2000 字。", "A note is 1–2000 characters.");
export const MAIL_NOT_WRITTEN = () =>
  error("MAIL_NOT_WRITTEN", 409, "這筆訂單還沒有這封通知信，無法重寄。", "This order has no such e-mail yet, so it cannot be sent again.");
export const NO_RECIPIENT = () =>
  error("NO_RECIPIENT", 409, "這筆訂單的申請資料已刪除，沒有收件地址。", "This order's application was deleted; there is no address to write to.");
export const NOT_DELIVERED = () =>
  error("NOT_DELIVERED", 409, "郵局尚未顯示這封掛號信已送達（或新卡已開卡），不能登記「已送達但未收到」。", "The post does not show this letter delivered (or the card is activated), so it cannot be recorded as delivered but not received.");
export const CASE_NOT_FOUND = () => error("CASE_NOT_FOUND", 404, "這筆訂單沒有這個客服案件。", "This order has no such support case.");
export const CASE_RESOLVED = () => error("CASE_RESOLVED", 409, "這個客服案件已經結案。", "This support case is already resolved.");

/** The support desk's own check, whatever the page showed: a hidden button is no permission. */
export function assertSupportDesk(staff: StaffActor): void {
  if (!staff.roles.includes("SUPPORT")) throw FORBIDDEN();
}
