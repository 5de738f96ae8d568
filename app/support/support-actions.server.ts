// What the support desk does to an order, besides lifting an activation lock (liftActivationLock, app/activation):
// send a written e-mail again, keep a note, record a letter the post shows delivered but the holder never got,
// and close a case. Each checks the SUPPORT role itself, runs in one transaction and is audited with who, when and
// why (the reason; a note's body is its own why and is never copied into the audit trail).
import { z } from "zod";
import { recordAuditEvent } from "~/audit/audit.server";
import type { StaffActor } from "~/activation/staff-activation.server";
import { notReceivedCaseKey } from "~/fulfilment/fulfilment-status.server";
import { openSupportCase } from "~/fulfilment/support-cases.server";
import { taipeiDate } from "~/fulfilment/working-days";
import type { OutboxMailKind, Prisma } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { SUPPORT_NOTE_MAX, SUPPORT_REASON_MAX, SUPPORT_REASON_MIN } from "./schema";
import {
  assertSupportDesk, CASE_NOT_FOUND, CASE_RESOLVED, MAIL_NOT_WRITTEN, NO_RECIPIENT, NOT_DELIVERED, NOTE_LENGTH, ORDER_NOT_FOUND, REASON_REQUIRED,
} from "./support-errors.server";

const reasonSchema = z.string().trim().min(SUPPORT_REASON_MIN).max(SUPPORT_REASON_MAX);
const noteSchema = z.string().trim().min(1).max(SUPPORT_NOTE_MAX);

function parseReason(reason: string): string {
  const parsed = reasonSchema.safeParse(reason);
  if (!parsed.success) throw REASON_REQUIRED();
  return parsed.data;
}

/** Who opened or resolved a case, as support_case records it. */
export const staffMark = (staff: Pick<StaffActor, "id">) => `staff:${staff.id}`;

/** The order row, locked for the rest of the transaction (an action never races another on the same order). */
async function lockOrder(tx: Prisma.TransactionClient, orderId: string): Promise<void> {
  const rows = await tx.$queryRaw<Array<{ id: string }>>`SELECT id::text FROM reissue_order WHERE id = ${orderId}::uuid FOR UPDATE`;
  if (rows.length === 0) throw ORDER_NOT_FOUND();
}

/**
 * Sends the paid or mailed e-mail again: only one the domain already wrote for this order (an outbox row). The row
 * goes back to PENDING, due now, with its tries counted from 0; the mail worker (app/mail/outbox.server.ts) sends it.
 */
export async function resendOrderMail({ staff, orderId, kind, reason, now = new Date() }: {
  staff: StaffActor;
  orderId: string;
  kind: OutboxMailKind;
  reason: string;
  now?: Date;
}): Promise<{ resends: number }> {
  assertSupportDesk(staff);
  const why = parseReason(reason);
  return prisma.$transaction(async (tx) => {
    await lockOrder(tx, orderId);
    const application = await tx.reissueApplication.findUnique({ where: { orderId }, select: { orderId: true } });
    const row = await tx.mailOutbox.findUnique({ where: { orderId_kind: { orderId, kind } }, select: { id: true } });
    if (!row) throw MAIL_NOT_WRITTEN();
    if (!application) throw NO_RECIPIENT();
    const updated = await tx.mailOutbox.update({
      where: { id: row.id },
      data: { status: "PENDING", attempts: 0, nextAttemptAt: now, lastError: null, resends: { increment: 1 } },
      select: { resends: true },
    });
    await recordAuditEvent(
      {
        actor: { type: "STAFF", id: staff.id }, action: "support.mail_resent", subject: { type: "order", id: orderId },
        reason: why, details: { kind, outboxId: row.id, resends: updated.resends },
      },
      tx,
    );
    return { resends: updated.resends };
  });
}

/** A note for colleagues on this order (1–2000 characters); shown on the support page, never to the holder. */
export async function addSupportNote({ staff, orderId, body, now = new Date() }: {
  staff: StaffActor;
  orderId: string;
  body: string;
  now?: Date;
}): Promise<{ noteId: string }> {
  assertSupportDesk(staff);
  const text = noteSchema.safeParse(body);
  if (!text.success) throw NOTE_LENGTH();
  return prisma.$transaction(async (tx) => {
    await lockOrder(tx, orderId);
    const note = await tx.supportNote.create({ data: { orderId, authorId: staff.id, body: text.data, createdAt: now }, select: { id: true } });
    await recordAuditEvent(
      {
        actor: { type: "STAFF", id: staff.id }, action: "support.note_added", subject: { type: "order", id: orderId },
        details: { noteId: note.id, length: text.data.length },
      },
      tx,
    );
    return { noteId: note.id };
  });
}

/**
 * 002 收件問題, reported by phone: the post shows the letter delivered, the holder has no card. The same rule as the
 * holder's own report (app/fulfilment/not-received.server.ts): only a letter shown DELIVERED, on an order not yet
 * activated (an activated card was in the holder's hands). One case per order, whoever reports first.
 */
export async function recordNotReceivedCase({ staff, orderId, reason, now = new Date() }: {
  staff: StaffActor;
  orderId: string;
  reason: string;
  now?: Date;
}): Promise<{ supportCaseId: string; alreadyOpen: boolean }> {
  assertSupportDesk(staff);
  const why = parseReason(reason);
  return prisma.$transaction(async (tx) => {
    await lockOrder(tx, orderId);
    const order = await tx.reissueOrder.findUniqueOrThrow({
      where: { id: orderId },
      select: { status: true, registeredMail: { select: { status: true, statusAt: true } } },
    });
    const mail = order.registeredMail;
    if (!mail || mail.status !== "DELIVERED" || order.status === "ACTIVATED") throw NOT_DELIVERED();
    const days = Math.max(0, Math.floor((now.getTime() - mail.statusAt.getTime()) / 86_400_000));
    const { supportCase, opened } = await openSupportCase(tx, {
      kind: "DELIVERED_NOT_RECEIVED",
      dedupeKey: notReceivedCaseKey(orderId),
      orderId,
      reason: `holder phoned support: the letter shown delivered on ${taipeiDate(mail.statusAt)} was not received (${days} days later)`,
      openedBy: staffMark(staff),
    });
    await recordAuditEvent(
      {
        actor: { type: "STAFF", id: staff.id }, action: "support.not_received_recorded", subject: { type: "order", id: orderId },
        reason: why, details: { supportCaseId: supportCase.id, alreadyOpen: !opened },
      },
      tx,
    );
    return { supportCaseId: supportCase.id, alreadyOpen: !opened };
  });
}

/** Closes an open case of this order with what was done about it (5–500 characters, no personal data). */
export async function resolveSupportCase({ staff, orderId, caseId, resolution, now = new Date() }: {
  staff: StaffActor;
  orderId: string;
  caseId: string;
  resolution: string;
  now?: Date;
}): Promise<void> {
  assertSupportDesk(staff);
  const why = parseReason(resolution);
  await prisma.$transaction(async (tx) => {
    const found = await tx.supportCase.findFirst({ where: { id: caseId, orderId }, select: { kind: true, resolvedAt: true } });
    if (!found) throw CASE_NOT_FOUND();
    // Conditional: two people resolving the same case at once leave one resolution.
    const { count } = await tx.supportCase.updateMany({
      where: { id: caseId, orderId, resolvedAt: null },
      data: { resolvedAt: now, resolvedBy: staffMark(staff), resolution: why },
    });
    if (count === 0) throw CASE_RESOLVED();
    await recordAuditEvent(
      {
        actor: { type: "STAFF", id: staff.id }, action: "support.case_resolved", subject: { type: "support_case", id: caseId },
        reason: why, details: { orderId, kind: found.kind },
      },
      tx,
    );
    await recordAuditEvent(
      { actor: { type: "STAFF", id: staff.id }, action: "order.support_case_resolved", subject: { type: "order", id: orderId }, details: { supportCaseId: caseId, kind: found.kind } },
      tx,
    );
  });
}
