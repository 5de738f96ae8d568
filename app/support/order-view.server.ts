// One page of what support needs while a holder is on the phone (002 查詢): where the order is (a timeline from
// the order's own times, its print item and batch, the registered letter and the post's events, and the audit
// trail), the payments, printing, tracking with Chunghwa Post's link, the activation lock, cases, notes and the
// e-mails sent. Contact data is masked (app/support/masking.ts); no user code, no full ID, no full address.
import { recordAuditEvent } from "~/audit/audit.server";
import { ACTIVATION_MAX_LOCK_LIFTS, ACTIVATION_MAX_WRONG_CODES } from "~/activation/schema";
import type { StaffActor } from "~/activation/staff-activation.server";
import { notReceivedCaseKey } from "~/fulfilment/fulfilment-status.server";
import { CHUNGHWA_POST_TRACKING_URL, formatMailNumber } from "~/fulfilment/post-tracking-link";
import type { OutboxMailKind, OutboxMailStatus, PaymentMethod, PaymentOutcome, PaymentStatus, ReissueOrderStatus, SupportCaseKind, TrackingStatus } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { parseOrderNumber } from "~/orders/order-number";
import { maskAddress, maskEmail, maskMobile, maskStoredNationalId, shortenReference } from "./masking";
import { assertSupportDesk } from "./support-errors.server";

export type TimelineKind =
  | "created" | "paid" | "batched" | "print_rejected" | "certificates_issued" | "mailed" | "tracking" | "delivered" | "returned"
  | "activation_locked" | "lock_lifted" | "code_reset" | "activated" | "deleted_unpaid" | "mail_sent" | "case_opened" | "case_resolved";

export interface TimelineEntry {
  at: string;
  kind: TimelineKind;
  /** A batch or mail number, a tracking status and office, a mail kind, a case kind: never personal data. */
  detail: string | null;
}

export interface SupportOrderView {
  orderId: string;
  orderNumber: string;
  status: ReissueOrderStatus;
  amountNtd: number;
  createdAt: string;
  paymentDeadline: string;
  paidAt: string | null;
  deletedAt: string | null;
  holder: { name: string; nationalIdMasked: string };
  /** Null once an unpaid order was deleted (its application erased). */
  contact: { mobile: string; email: string; postcode: string; address: string; outlyingIsland: boolean } | null;
  timeline: TimelineEntry[];
  payments: Array<{ method: PaymentMethod; amountNtd: number; status: PaymentStatus; outcome: PaymentOutcome | null; paidAt: string | null; reference: string | null }>;
  printing: { batchNumber: string; batchStatus: string; itemStatus: string; rejectionCode: string | null; newCardNumber: string | null } | null;
  mail: {
    mailNumber: string; mailNumberFormatted: string; trackingUrl: string; dispatchedAt: string; estimatedFrom: string; estimatedTo: string;
    status: TrackingStatus; statusAt: string; events: Array<{ status: TrackingStatus; occurredAt: string; office: string | null }>;
  } | null;
  activation: {
    wrongTries: number; maxTries: number; lockedAt: string | null; activatedAt: string | null; userCodeResetAt: string | null;
    /** Lifts since the code was last set; at maxLockLifts only a registrar reset helps (issue 13). */
    lockLifts: number; maxLockLifts: number;
  };
  cases: Array<{ id: string; kind: SupportCaseKind; reason: string; openedAt: string; openedBy: string; resolvedAt: string | null; resolvedBy: string | null; resolution: string | null }>;
  notes: Array<{ id: string; body: string; author: string; createdAt: string }>;
  mails: Array<{ kind: OutboxMailKind; status: OutboxMailStatus; sentAt: string | null; attempts: number; resends: number; lastError: string | null }>;
  /** What the page may offer; every action checks its own rule again. */
  can: { liftLock: boolean; recordNotReceived: boolean };
}

/** Audit actions of an order that add to the timeline what its rows do not hold. */
const AUDIT_TIMELINE: Partial<Record<string, TimelineKind>> = {
  "order.print_rejected": "print_rejected",
  "order.certificates_issued": "certificates_issued",
  "activation.locked": "activation_locked",
  "activation.lock_lifted": "lock_lifted",
  "activation.code_reset": "code_reset",
  "order.support_case_opened": "case_opened",
};

const NOTES_SHOWN = 50;
const AUDIT_SHOWN = 200;
const iso = (date: Date | null | undefined) => date?.toISOString() ?? null;
/** A @db.Date column (midnight UTC of the calendar date) as YYYY-MM-DD. */
const calendarDate = (date: Date) => date.toISOString().slice(0, 10);

/** The order page for support, or null when no order has this number. Audited as support.order_viewed. */
export async function loadSupportOrderView({ staff, orderNumber, maskedIdHint, requestId }: {
  staff: StaffActor;
  orderNumber: string;
  /** A12345****, from a look-up by national ID that found this order (the ID itself is never kept). */
  maskedIdHint?: string | null;
  requestId?: string;
}): Promise<SupportOrderView | null> {
  assertSupportDesk(staff);
  const number = parseOrderNumber(orderNumber);
  const order = number
    ? await prisma.reissueOrder.findUnique({
        where: { orderNumber: number },
        select: {
          id: true, orderNumber: true, status: true, amountNtd: true, createdAt: true, paymentDeadline: true, paidAt: true, deletedAt: true,
          activationFailures: true, activationLockedAt: true, activatedAt: true, activationLockLifts: true,
          holder: { select: { name: true, nationalIdLast4: true } },
          newCard: { select: { cardNumber: true } },
          application: { select: { mobile: true, email: true, postcode: true, address: true, outlyingIsland: true, userCodeResetAt: true } },
          payments: { orderBy: { createdAt: "asc" }, select: { method: true, amountNtd: true, status: true, outcome: true, paidAt: true, providerReference: true } },
          printItem: { select: { status: true, rejectionCode: true, cardNumber: true, batch: { select: { batchNumber: true, status: true, createdAt: true } } } },
          registeredMail: {
            select: {
              mailNumber: true, dispatchedAt: true, estimatedFrom: true, estimatedTo: true, status: true, statusAt: true,
              events: { orderBy: [{ occurredAt: "asc" }, { id: "asc" }], select: { status: true, occurredAt: true, office: true } },
            },
          },
          supportCases: { orderBy: { openedAt: "desc" }, select: { id: true, kind: true, reason: true, openedAt: true, openedBy: true, resolvedAt: true, resolvedBy: true, resolution: true, dedupeKey: true } },
          supportNotes: { orderBy: { createdAt: "desc" }, take: NOTES_SHOWN, select: { id: true, body: true, createdAt: true, author: { select: { username: true } } } },
          outboxMails: { orderBy: { kind: "asc" }, select: { kind: true, status: true, sentAt: true, attempts: true, resends: true, lastError: true } },
        },
      })
    : null;
  if (!order) return null;

  const audit = await prisma.auditEvent.findMany({
    where: { subjectType: "order", subjectId: order.id },
    orderBy: { occurredAt: "desc" },
    take: AUDIT_SHOWN,
    select: { occurredAt: true, action: true, details: true },
  });
  await recordAuditEvent({ actor: { type: "STAFF", id: staff.id }, action: "support.order_viewed", subject: { type: "order", id: order.id }, requestId });

  const mail = order.registeredMail;
  const timeline: TimelineEntry[] = [{ at: order.createdAt.toISOString(), kind: "created", detail: null }];
  const add = (at: Date | null | undefined, kind: TimelineKind, detail: string | null = null) => {
    if (at) timeline.push({ at: at.toISOString(), kind, detail });
  };
  add(order.paidAt, "paid");
  add(order.printItem?.batch.createdAt, "batched", order.printItem?.batch.batchNumber ?? null);
  add(mail?.dispatchedAt, "mailed", mail?.mailNumber ?? null);
  for (const event of mail?.events ?? []) {
    const kind = event.status === "DELIVERED" ? "delivered" : event.status === "RETURNED" ? "returned" : "tracking";
    add(event.occurredAt, kind, [event.status, event.office].filter(Boolean).join(" "));
  }
  add(order.activatedAt, "activated");
  add(order.deletedAt, "deleted_unpaid");
  for (const sent of order.outboxMails) add(sent.sentAt, "mail_sent", sent.kind);
  for (const supportCase of order.supportCases) add(supportCase.resolvedAt, "case_resolved", supportCase.kind);
  for (const event of audit) {
    const kind = AUDIT_TIMELINE[event.action];
    if (!kind) continue;
    const details = (event.details ?? {}) as Record<string, unknown>;
    const detail = typeof details.kind === "string" ? details.kind : typeof details.code === "string" ? details.code : null;
    add(event.occurredAt, kind, detail);
  }
  timeline.sort((a, b) => a.at.localeCompare(b.at));

  const delivered = mail?.status === "DELIVERED" && order.status !== "ACTIVATED";
  const notReceivedOpen = order.supportCases.some((c) => c.dedupeKey === notReceivedCaseKey(order.id));
  const app = order.application;
  return {
    orderId: order.id,
    orderNumber: order.orderNumber,
    status: order.status,
    amountNtd: order.amountNtd,
    createdAt: order.createdAt.toISOString(),
    paymentDeadline: order.paymentDeadline.toISOString(),
    paidAt: iso(order.paidAt),
    deletedAt: iso(order.deletedAt),
    holder: {
      name: order.holder.name,
      nationalIdMasked: maskedIdHint && /^[A-Z]\d{5}\*{4}$/.test(maskedIdHint) ? maskedIdHint : maskStoredNationalId(order.holder.nationalIdLast4),
    },
    contact: app
      ? { mobile: maskMobile(app.mobile), email: maskEmail(app.email), postcode: app.postcode, address: maskAddress(app.address), outlyingIsland: app.outlyingIsland }
      : null,
    timeline,
    payments: order.payments.map((p) => ({
      method: p.method, amountNtd: p.amountNtd, status: p.status, outcome: p.outcome, paidAt: iso(p.paidAt),
      reference: p.providerReference ? shortenReference(p.providerReference) : null,
    })),
    printing: order.printItem
      ? {
          batchNumber: order.printItem.batch.batchNumber, batchStatus: order.printItem.batch.status, itemStatus: order.printItem.status,
          rejectionCode: order.printItem.rejectionCode, newCardNumber: order.newCard?.cardNumber ?? order.printItem.cardNumber,
        }
      : null,
    mail: mail
      ? {
          mailNumber: mail.mailNumber, mailNumberFormatted: formatMailNumber(mail.mailNumber), trackingUrl: CHUNGHWA_POST_TRACKING_URL,
          dispatchedAt: mail.dispatchedAt.toISOString(), estimatedFrom: calendarDate(mail.estimatedFrom), estimatedTo: calendarDate(mail.estimatedTo),
          status: mail.status, statusAt: mail.statusAt.toISOString(),
          events: mail.events.map((e) => ({ status: e.status, occurredAt: e.occurredAt.toISOString(), office: e.office })),
        }
      : null,
    activation: {
      wrongTries: order.activationFailures, maxTries: ACTIVATION_MAX_WRONG_CODES, lockedAt: iso(order.activationLockedAt),
      activatedAt: iso(order.activatedAt), userCodeResetAt: iso(app?.userCodeResetAt),
      lockLifts: order.activationLockLifts, maxLockLifts: ACTIVATION_MAX_LOCK_LIFTS,
    },
    cases: order.supportCases.map((c) => ({
      id: c.id, kind: c.kind, reason: c.reason, openedAt: c.openedAt.toISOString(), openedBy: c.openedBy,
      resolvedAt: iso(c.resolvedAt), resolvedBy: c.resolvedBy, resolution: c.resolution,
    })),
    notes: order.supportNotes.map((n) => ({ id: n.id, body: n.body, author: n.author.username, createdAt: n.createdAt.toISOString() })),
    mails: order.outboxMails.map((m) => ({ kind: m.kind, status: m.status, sentAt: iso(m.sentAt), attempts: m.attempts, resends: m.resends, lastError: m.lastError })),
    can: {
      liftLock: order.activationLockedAt !== null && order.activatedAt === null && order.activationLockLifts < ACTIVATION_MAX_LOCK_LIFTS,
      recordNotReceived: delivered && !notReceivedOpen,
    },
  };
}
