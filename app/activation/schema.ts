import { z } from "zod";

/**
 * 003: 用戶代碼 — 6 to 10 characters, letters, digits and symbols, case-sensitive, chosen by the holder.
 * Printable ASCII without the space: what a card-reader page and a household-office form can both take.
 */
export const userCodeSchema = z
  .string()
  .regex(/^[\x21-\x7E]{6,10}$/, {
    error: "用戶代碼須為 6 至 10 個英文字母、數字或符號（區分大小寫，不可有空白）/ The user code is 6–10 letters, digits or symbols (case-sensitive, no spaces)",
  });
