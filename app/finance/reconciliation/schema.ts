// Client-safe: the reconcile and exception forms. Field errors are keys of the reconciliation catalogue
// (app/i18n/reconciliation.*.ts), so each form shows them in the reader's language.
import { z } from "zod";
import { FinanceExceptionKind } from "~/generated/prisma/enums";
import { parseOrderNumber } from "~/orders/order-number";

export const RECONCILIATION_SOURCES = ["STRIPE", "BANK_FILE"] as const;
export const EXCEPTION_RESOLUTIONS = ["REFUND_ISSUED", "MATCHED_BY_HAND", "NO_ACTION_NEEDED"] as const;
export type ExceptionResolution = (typeof EXCEPTION_RESOLUTIONS)[number];
export const EXCEPTION_STATUSES = ["open", "resolved", "all"] as const;
export type ExceptionStatusFilter = (typeof EXCEPTION_STATUSES)[number];

export const RESOLUTION_NOTE_MIN = 5;
export const RESOLUTION_NOTE_MAX = 500;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const reconcileFormSchema = z.object({
  day: z.string().trim().regex(DAY, { error: "error.day" }),
  source: z.enum(RECONCILIATION_SOURCES, { error: "error.source" }),
});

export const resolveFormSchema = z
  .object({
    resolution: z.enum(EXCEPTION_RESOLUTIONS, { error: "error.resolution" }),
    note: z.string().trim().min(RESOLUTION_NOTE_MIN, { error: "error.note" }).max(RESOLUTION_NOTE_MAX, { error: "error.note" }),
    orderNumber: z.string().trim().max(40).optional().transform((value) => (value ? value : undefined)),
  })
  .superRefine((form, ctx) => {
    if (form.resolution !== "MATCHED_BY_HAND") return;
    if (!form.orderNumber) ctx.addIssue({ code: "custom", path: ["orderNumber"], message: "error.orderNumberRequired" });
    else if (!parseOrderNumber(form.orderNumber)) ctx.addIssue({ code: "custom", path: ["orderNumber"], message: "error.orderNumberFormat" });
  });

export const exceptionQueueSchema = z.object({
  kind: z.enum(FinanceExceptionKind).optional().catch(undefined),
  status: z.enum(EXCEPTION_STATUSES).catch("open"),
  cursor: z.uuid().optional().catch(undefined),
});

export const uuidSchema = z.uuid();

/** Approving or rejecting an unsigned bank import (app/routes/staff.finance.bank-files_.$importId.tsx). */
export const BANK_DECISIONS = ["approve", "reject"] as const;
export const bankDecisionSchema = z.object({
  intent: z.enum(BANK_DECISIONS),
  reason: z.string().trim().min(1).max(500),
});
