import { z } from "zod";
import { isValidNationalId, normalizeNationalId } from "./national-id";

export const cardNumberSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}\d{14}$/, { error: "卡號格式應為 2 個英文字母加 14 位數字 / A card number is 2 letters and 14 digits" });

export const nationalIdSchema = z
  .string()
  .transform(normalizeNationalId)
  .refine(isValidNationalId, { error: "身分證字號格式或檢查碼不正確 / The ID number's format or check digit is wrong" });
