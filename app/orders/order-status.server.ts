// What the holder sees about their own order: status, amount, deadline and countdown, how to pay, and what has
// happened so far (from the audit trail). A plain serialisable view: the page only renders it.
import { loadFulfilmentView, type FulfilmentView } from "~/fulfilment/fulfilment-status.server";
import type { PaymentStatus, ReissueOrderStatus } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { formatVirtualAccount } from "~/payments/virtual-account";
import { formatOrderNumber, parseOrderNumber } from "./order-number";

/** Audit actions the page can put into words; anything else on the order's trail is for staff only. */
export const TIMELINE_ACTIONS = [
  "order.created",
  "payment.card_checkout_started",
  "order.paid",
  "payment.not_applied",
  "order.deleted_unpaid",
  "mail.paid_sent",
  // Fulfilment (app/fulfilment/*) records these on the order: printing, the post, and what reached support.
  "order.in_production",
  "order.certificates_issued",
  "order.mailed",
  "mail.mailed_sent",
  "order.delivered",
  "order.mail_returned",
  "order.print_rejected",
  "order.not_received_reported",
] as const;
export type TimelineAction = (typeof TIMELINE_ACTIONS)[number];

export interface TimelineEntry {
  action: TimelineAction;
  at: string;
  /** order.paid: how it was paid. */
  method?: "CARD" | "ATM";
}

/** The order's status as the holder reads it; PROCESSING is an unpaid order whose card payment awaits the webhook. */
export type OrderPhase = ReissueOrderStatus | "PROCESSING";

export interface OrderStatusView {
  orderNumber: string;
  orderNumberFormatted: string;
  status: ReissueOrderStatus;
  phase: OrderPhase;
  amount: { cardNtd: number; postageNtd: number; totalNtd: number };
  createdAt: string;
  paymentDeadline: string;
  /** Whole seconds until the deadline (0 once passed), as of `now`. */
  secondsRemaining: number;
  /** Shown only while the order can still be paid. */
  atm: { bankCode: string; virtualAccount: string; virtualAccountFormatted: string; amountNtd: number; expiresAt: string } | null;
  card: { available: boolean; latest: { status: PaymentStatus; startedAt: string } | null };
  paidAt: string | null;
  deletedAt: string | null;
  outlyingIsland: boolean | null;
  /** Printing, the post and delivery: null until paid (and for deleted orders). */
  fulfilment: FulfilmentView | null;
  timeline: TimelineEntry[];
}

function isTimelineAction(action: string): action is TimelineAction {
  return (TIMELINE_ACTIONS as readonly string[]).includes(action);
}

function paidMethod(details: unknown): "CARD" | "ATM" | undefined {
  const method = (details as { method?: unknown } | null)?.method;
  return method === "CARD" || method === "ATM" ? method : undefined;
}

/**
 * The redirect back from Stripe never marks an order paid (only the signed webhook does): until it arrives an
 * unpaid order with a card checkout under way — or one the holder just returned from — reads "processing".
 */
export function orderPhase({ status, checkoutReturned, cardPaymentPending }: {
  status: ReissueOrderStatus;
  checkoutReturned: boolean;
  cardPaymentPending: boolean;
}): OrderPhase {
  if (status === "AWAITING_PAYMENT" && (checkoutReturned || cardPaymentPending)) return "PROCESSING";
  return status;
}

/** The holder's own order by its number, or null (someone else's order is as unknown as a missing one). */
export async function loadOrderStatus({ holderId, orderNumber, now = new Date(), checkoutReturned = false }: {
  holderId: string;
  orderNumber: string;
  now?: Date;
  checkoutReturned?: boolean;
}): Promise<OrderStatusView | null> {
  const number = parseOrderNumber(orderNumber);
  if (!number) return null;
  const order = await prisma.reissueOrder.findFirst({
    where: { orderNumber: number, holderId },
    select: {
      id: true, orderNumber: true, status: true, cardFeeNtd: true, postageFeeNtd: true, amountNtd: true,
      paymentDeadline: true, atmBankCode: true, virtualAccount: true, paidAt: true, deletedAt: true, createdAt: true,
      application: { select: { outlyingIsland: true } },
      payments: {
        where: { provider: "stripe" },
        orderBy: { createdAt: "desc" },
        take: 1,
        select: { status: true, createdAt: true },
      },
    },
  });
  if (!order) return null;

  const events = await prisma.auditEvent.findMany({
    where: { subjectType: "order", subjectId: order.id, action: { in: [...TIMELINE_ACTIONS] } },
    orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
    select: { action: true, occurredAt: true, details: true },
  });
  const timeline = events.flatMap((event): TimelineEntry[] => {
    if (!isTimelineAction(event.action)) return [];
    const method = event.action === "order.paid" ? paidMethod(event.details) : undefined;
    return [{ action: event.action, at: event.occurredAt.toISOString(), ...(method ? { method } : {}) }];
  });

  const latest = order.payments[0] ?? null;
  const secondsRemaining = Math.max(0, Math.floor((order.paymentDeadline.getTime() - now.getTime()) / 1000));
  const payable = order.status === "AWAITING_PAYMENT" && secondsRemaining > 0;
  return {
    orderNumber: order.orderNumber,
    orderNumberFormatted: formatOrderNumber(order.orderNumber),
    status: order.status,
    phase: orderPhase({ status: order.status, checkoutReturned, cardPaymentPending: latest?.status === "PENDING" }),
    amount: { cardNtd: order.cardFeeNtd, postageNtd: order.postageFeeNtd, totalNtd: order.amountNtd },
    createdAt: order.createdAt.toISOString(),
    paymentDeadline: order.paymentDeadline.toISOString(),
    secondsRemaining,
    atm: payable
      ? {
          bankCode: order.atmBankCode,
          virtualAccount: order.virtualAccount,
          virtualAccountFormatted: formatVirtualAccount(order.virtualAccount),
          amountNtd: order.amountNtd,
          expiresAt: order.paymentDeadline.toISOString(),
        }
      : null,
    card: {
      // Without Stripe configured (a development machine) the button would only lead to an error.
      available: payable && Boolean(env().STRIPE_SECRET_KEY),
      latest: latest ? { status: latest.status, startedAt: latest.createdAt.toISOString() } : null,
    },
    paidAt: order.paidAt?.toISOString() ?? null,
    deletedAt: order.deletedAt?.toISOString() ?? null,
    outlyingIsland: order.application?.outlyingIsland ?? null,
    fulfilment: order.paidAt ? await loadFulfilmentView(order.id, { now }) : null,
    timeline,
  };
}
