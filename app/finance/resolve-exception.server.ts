// Finance closes an exception: a refund was issued, the money was matched to an order by hand, or nothing needs
// doing. Who, when, what and why are kept on the row and in the audit trail; a resolved exception stays resolved.
import { z } from "zod";
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { parseOrderNumber } from "~/orders/order-number";
import { assertFinanceStaff, type FinanceStaff } from "./reconciliation/runs.server";
import { EXCEPTION_RESOLUTIONS, RESOLUTION_NOTE_MAX, RESOLUTION_NOTE_MIN, type ExceptionResolution } from "./reconciliation/schema";

const error = (code: string, status: number, zh: string, en: string) => new AppError(code, { "zh-TW": zh, en }, status);

const NOT_FOUND = error("EXCEPTION_NOT_FOUND", 404, "找不到這筆異常款項。", "No such exception.");
const ALREADY_RESOLVED = error("ALREADY_RESOLVED", 409, "這筆異常款項已經處理完畢。", "This exception has already been resolved.");
const NOTE_REQUIRED = error("NOTE_REQUIRED", 400, "請填寫處理說明（5 至 500 字）。", "Describe what was done (5–500 characters).");
const RESOLUTION_INVALID = error("RESOLUTION_INVALID", 400, "請選擇處理方式。", "Choose a resolution.");
const ORDER_REQUIRED = error("ORDER_REQUIRED", 400, "人工對帳須填寫款項所屬的訂單編號。", "Matching by hand needs the number of the order the money belongs to.");
const ORDER_NOT_FOUND = error("ORDER_NOT_FOUND", 400, "查無此訂單編號。", "No order has this number.");

const noteSchema = z.string().trim().min(RESOLUTION_NOTE_MIN).max(RESOLUTION_NOTE_MAX);

export interface ResolvedFinanceException {
  id: string;
  resolution: ExceptionResolution;
  resolvedAt: Date;
  resolvedBy: string;
  orderId: string | null;
}

export async function resolveFinanceException({ staff, exceptionId, resolution, note, orderNumber, now = new Date() }: {
  staff: FinanceStaff;
  exceptionId: string;
  resolution: ExceptionResolution;
  note: string;
  /** MATCHED_BY_HAND: the order the money belongs to (with or without dashes). */
  orderNumber?: string;
  now?: Date;
}): Promise<ResolvedFinanceException> {
  assertFinanceStaff(staff);
  if (!EXCEPTION_RESOLUTIONS.includes(resolution)) throw RESOLUTION_INVALID;
  const parsedNote = noteSchema.safeParse(note);
  if (!parsedNote.success) throw NOTE_REQUIRED;
  if (!z.uuid().safeParse(exceptionId).success) throw NOT_FOUND;

  return prisma.$transaction(async (tx) => {
    const exception = await tx.financeException.findUnique({
      where: { id: exceptionId },
      select: { id: true, kind: true, orderId: true, resolvedAt: true, payment: { select: { id: true, outcome: true } } },
    });
    if (!exception) throw NOT_FOUND;
    if (exception.resolvedAt) throw ALREADY_RESOLVED;

    let orderId = exception.orderId;
    if (resolution === "MATCHED_BY_HAND") {
      if (!orderNumber) throw ORDER_REQUIRED;
      const number = parseOrderNumber(orderNumber);
      const order = number ? await tx.reissueOrder.findUnique({ where: { orderNumber: number }, select: { id: true } }) : null;
      if (!order) throw ORDER_NOT_FOUND;
      // The money now belongs to the order named; the audit event keeps the one it was first tied to.
      orderId = order.id;
    }
    // Conditional: of two people resolving at once, the second finds it resolved.
    const { count } = await tx.financeException.updateMany({
      where: { id: exceptionId, resolvedAt: null },
      data: { resolvedAt: now, resolvedBy: staff.id, resolution, resolutionNote: parsedNote.data, orderId },
    });
    if (count === 0) throw ALREADY_RESOLVED;
    // The money went back: its payment (one that paid no order — a late, wrong or duplicate payment) is REFUNDED,
    // so the day's totals and the export show it. A payment that paid an order is never un-paid from here.
    const refunded = resolution === "REFUND_ISSUED" && exception.payment && exception.payment.outcome !== "APPLIED";
    if (refunded) await tx.payment.update({ where: { id: exception.payment!.id }, data: { status: "REFUNDED" } });
    await recordAuditEvent(
      {
        actor: { type: "STAFF", id: staff.id },
        action: "finance.exception_resolved",
        subject: { type: "finance_exception", id: exceptionId },
        reason: parsedNote.data,
        details: { resolution, kind: exception.kind, orderId, previousOrderId: exception.orderId, paymentRefunded: Boolean(refunded) },
      },
      tx,
    );
    return { id: exceptionId, resolution, resolvedAt: now, resolvedBy: staff.id, orderId };
  });
}
