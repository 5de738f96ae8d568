// Staff and the activation lock (002 開卡 Q&A): support (0800-080-117) lifts the lock for a holder who still knows
// the user code, without seeing or changing it; a household registration office (registrar) resets a forgotten
// code after checking the holder's ID card in person (or a proxy's signed letter), which lifts the lock too. The
// holder then activates online themselves. Every look-up and action is audited with who, when and why.
import { z } from "zod";
import { recordAuditEvent } from "~/audit/audit.server";
import { nationalIdHash } from "~/cards/national-id.server";
import { cardNumberSchema, nationalIdSchema } from "~/cards/schema";
import type { StaffRole } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { parseOrderNumber } from "~/orders/order-number";
import { ACTIVATION_MAX_LOCK_LIFTS, userCodeSchema } from "./schema";
import { hashUserCode } from "./user-code.server";

export interface StaffActor {
  id: string;
  username: string;
  roles: StaffRole[];
}

export interface StaffActivationView {
  orderId: string;
  orderNumber: string;
  orderStatus: string;
  cardNumber: string | null;
  holderName: string;
  /** Only the last 4 digits are stored (MOICA publishes them in the certificate); the rest is never shown. */
  nationalIdMasked: string;
  wrongAttempts: number;
  lockedAt: string | null;
  /** Locks support lifted since the code was last set, of ACTIVATION_MAX_LOCK_LIFTS. */
  lockLifts: number;
  maxLockLifts: number;
  activatedAt: string | null;
  userCodeResetAt: string | null;
  mailNumber: string | null;
  history: Array<{ at: string; action: string; actor: string | null; reason: string | null }>;
}

const HISTORY_ACTIONS = ["order.activated", "activation.code_wrong", "activation.locked", "activation.lock_lifted", "activation.code_reset"];

const error = (code: string, status: number, zh: string, en: string) => new AppError(code, { "zh-TW": zh, en }, status);

const FORBIDDEN = error("FORBIDDEN", 403, "您的角色不能執行這項作業。", "Your role does not allow this action.");
const ORDER_NOT_FOUND = error("ORDER_NOT_FOUND", 404, "找不到這筆訂單。", "We cannot find this order.");
const NOT_LOCKED = error("NOT_LOCKED", 409, "這筆訂單的開卡目前沒有鎖定，不需要解除。", "Activation of this order is not locked; there is nothing to lift.");
const LIFT_LIMIT_REACHED = error(
  "LIFT_LIMIT_REACHED", 409,
  `客服已為這筆訂單解除開卡鎖定 ${ACTIVATION_MAX_LOCK_LIFTS} 次，不能再解除。請持卡人攜帶身分證到任一戶政事務所重設用戶代碼（或委託他人持委託書辦理），再自行上網開卡。`,
  `Support has lifted this order's activation lock ${ACTIVATION_MAX_LOCK_LIFTS} times and cannot lift it again. The holder must have the user code reset at any household registration office (with their ID card, or a proxy with a signed letter), then activate online.`,
);
const ALREADY_ACTIVATED = error("ALREADY_ACTIVATED", 409, "這張新卡已完成開卡。", "This card is already activated.");
const NOT_PAID = error("NOT_PAID", 409, "這筆訂單尚未繳費或已刪除，沒有可重設的用戶代碼。", "This order is unpaid or deleted; it has no user code to reset.");
const CODES_DIFFER = error("CODES_DIFFER", 400, "兩次輸入的新用戶代碼不一致。", "The two entries of the new user code differ.");
const IDENTITY_MISMATCH = error(
  "IDENTITY_MISMATCH", 400,
  "輸入的身分證字號與這筆訂單的申請人不符，不能重設用戶代碼。",
  "The national ID entered does not match this order's applicant; the user code cannot be reset.",
);

const reasonSchema = z.string().trim().min(5).max(500);
const REASON_REQUIRED = error("REASON_REQUIRED", 400, "請填寫原因（5 至 500 字）。", "Give the reason (5–500 characters).");

function assertRole(staff: StaffActor, role: StaffRole): void {
  if (!staff.roles.includes(role)) throw FORBIDDEN;
}

function parseReason(reason: string): string {
  const parsed = reasonSchema.safeParse(reason);
  if (!parsed.success) throw REASON_REQUIRED;
  return parsed.data;
}

/** Support, registrars and admins find an order by its new card's number or by order number. */
export async function findActivationForStaff({ staff, query, requestId }: {
  staff: StaffActor;
  query: { cardNumber?: string; orderNumber?: string };
  requestId?: string;
}): Promise<StaffActivationView | null> {
  if (!staff.roles.some((role) => role === "SUPPORT" || role === "REGISTRAR" || role === "ADMIN")) throw FORBIDDEN;
  const cardNumber = query.cardNumber ? cardNumberSchema.safeParse(query.cardNumber) : undefined;
  const orderNumber = query.orderNumber ? parseOrderNumber(query.orderNumber) : undefined;
  const where = cardNumber?.success ? { newCard: { cardNumber: cardNumber.data } } : orderNumber ? { orderNumber } : null;

  const order = where
    ? await prisma.reissueOrder.findFirst({
        where,
        select: {
          id: true, orderNumber: true, status: true, activationFailures: true, activationLockedAt: true, activatedAt: true,
          activationLockLifts: true,
          holder: { select: { name: true, nationalIdLast4: true } },
          newCard: { select: { cardNumber: true } },
          application: { select: { userCodeResetAt: true } },
          registeredMail: { select: { mailNumber: true } },
        },
      })
    : null;
  await recordAuditEvent({
    actor: { type: "STAFF", id: staff.id },
    action: "activation.looked_up",
    ...(order ? { subject: { type: "order", id: order.id } } : {}),
    details: { by: cardNumber ? "card_number" : "order_number", found: Boolean(order) },
    requestId,
  });
  if (!order) return null;

  const events = await prisma.auditEvent.findMany({
    where: { subjectType: "order", subjectId: order.id, action: { in: HISTORY_ACTIONS } },
    orderBy: { occurredAt: "desc" },
    take: 50,
  });
  const staffIds = [...new Set(events.filter((e) => e.actorType === "STAFF" && e.actorId).map((e) => e.actorId!))];
  const names = new Map(
    (await prisma.staffAccount.findMany({ where: { id: { in: staffIds } }, select: { id: true, username: true } })).map((s) => [s.id, s.username]),
  );
  const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;
  return {
    orderId: order.id,
    orderNumber: order.orderNumber,
    orderStatus: order.status,
    cardNumber: order.newCard?.cardNumber ?? null,
    holderName: order.holder.name,
    nationalIdMasked: `******${order.holder.nationalIdLast4}`,
    wrongAttempts: order.activationFailures,
    lockedAt: iso(order.activationLockedAt),
    lockLifts: order.activationLockLifts,
    maxLockLifts: ACTIVATION_MAX_LOCK_LIFTS,
    activatedAt: iso(order.activatedAt),
    userCodeResetAt: iso(order.application?.userCodeResetAt),
    mailNumber: order.registeredMail?.mailNumber ?? null,
    history: events.map((e) => ({
      at: e.occurredAt.toISOString(),
      action: e.action,
      actor: e.actorType === "STAFF" ? (names.get(e.actorId ?? "") ?? e.actorId) : null,
      reason: e.reason,
    })),
  };
}

/**
 * Support: the holder remembers the code (002). The counter starts again at 0; the code is untouched. At most
 * ACTIVATION_MAX_LOCK_LIFTS times per order (issue 13): each lift is 4 more guesses at the code, so after that only
 * a registrar's reset, with the ID checked in person, helps. The refusal is audited.
 */
export async function liftActivationLock({ staff, orderId, reason, now = new Date() }: {
  staff: StaffActor;
  orderId: string;
  reason: string;
  now?: Date;
}): Promise<void> {
  assertRole(staff, "SUPPORT");
  const why = parseReason(reason);
  const refused = await prisma.$transaction(async (tx) => {
    // One statement: two desks lifting at once cannot both pass the cap.
    const lifted = await tx.reissueOrder.updateManyAndReturn({
      where: { id: orderId, activationLockedAt: { not: null }, activatedAt: null, activationLockLifts: { lt: ACTIVATION_MAX_LOCK_LIFTS } },
      data: { activationFailures: 0, activationLockedAt: null, activationLockLifts: { increment: 1 }, updatedAt: now },
      select: { activationLockLifts: true },
    });
    if (lifted.length === 0) {
      const order = await tx.reissueOrder.findUnique({ where: { id: orderId }, select: { activatedAt: true, activationLockedAt: true, activationLockLifts: true } });
      if (!order) throw ORDER_NOT_FOUND;
      if (order.activatedAt) throw ALREADY_ACTIVATED;
      if (!order.activationLockedAt) throw NOT_LOCKED;
      return order.activationLockLifts;
    }
    await recordAuditEvent(
      {
        actor: { type: "STAFF", id: staff.id }, action: "activation.lock_lifted", subject: { type: "order", id: orderId }, reason: why,
        details: { lift: lifted[0]!.activationLockLifts },
      },
      tx,
    );
    return null;
  });
  if (refused !== null) {
    await recordAuditEvent({
      actor: { type: "STAFF", id: staff.id }, action: "activation.lock_lift_refused", subject: { type: "order", id: orderId }, reason: why,
      details: { code: LIFT_LIMIT_REACHED.code, lifts: refused },
    });
    throw LIFT_LIMIT_REACHED;
  }
}

/**
 * Registrar: the holder forgot the code and came in person with the ID card (or sent a proxy with a signed letter).
 * The ID typed from the card must be the applicant's; the new code (entered twice) replaces the old hash and the
 * lock is lifted. The office does not activate: the holder does, online (002).
 */
export async function resetUserCode({ staff, orderId, newCode, confirmation, nationalId, proxy, reason, now = new Date() }: {
  staff: StaffActor;
  orderId: string;
  newCode: string;
  confirmation: string;
  nationalId: string;
  proxy: boolean;
  reason: string;
  now?: Date;
}): Promise<void> {
  assertRole(staff, "REGISTRAR");
  const why = parseReason(reason);
  const code = userCodeSchema.safeParse(newCode);
  if (!code.success) throw new AppError("USER_CODE_FORMAT", splitBilingual(code.error.issues[0]?.message ?? ""), 400);
  if (newCode !== confirmation) throw CODES_DIFFER;
  const id = nationalIdSchema.safeParse(nationalId);
  if (!id.success) throw IDENTITY_MISMATCH;

  const order = await prisma.reissueOrder.findUnique({
    where: { id: orderId },
    select: { status: true, activatedAt: true, holder: { select: { nationalIdHash: true } }, application: { select: { orderId: true } } },
  });
  if (!order) throw ORDER_NOT_FOUND;
  if (order.activatedAt) throw ALREADY_ACTIVATED;
  if (!order.application || order.status === "AWAITING_PAYMENT" || order.status === "DELETED_UNPAID") throw NOT_PAID;
  if (nationalIdHash(id.data) !== order.holder.nationalIdHash) {
    await recordAuditEvent({
      actor: { type: "STAFF", id: staff.id }, action: "activation.code_reset_refused", subject: { type: "order", id: orderId },
      reason: why, details: { code: "IDENTITY_MISMATCH" },
    });
    throw IDENTITY_MISMATCH;
  }

  const hash = await hashUserCode(code.data); // slow: before the transaction, not inside it
  await prisma.$transaction(async (tx) => {
    const reset = await tx.reissueOrder.updateMany({
      where: { id: orderId, activatedAt: null },
      data: { activationFailures: 0, activationLockedAt: null, activationLockLifts: 0, updatedAt: now },
    });
    if (reset.count === 0) throw ALREADY_ACTIVATED;
    await tx.reissueApplication.update({ where: { orderId }, data: { userCodeHash: hash, userCodeResetAt: now } });
    await recordAuditEvent(
      {
        actor: { type: "STAFF", id: staff.id }, action: "activation.code_reset", subject: { type: "order", id: orderId },
        reason: why, details: { proxy },
      },
      tx,
    );
  });
}

/** userCodeSchema's message is "zh / en" in one string. */
function splitBilingual(message: string): { "zh-TW": string; en: string } {
  const [zh, en] = message.split(" / ");
  return { "zh-TW": zh ?? message, en: en ?? message };
}
