// What the holder sees of their paid order's way to them (002 查詢/郵寄): printing, in the post with its
// registered-mail number (entered on Chunghwa Post's tracking page), delivered — and the delivery estimate.
// A plain serialisable view; the status page only renders it.
import type { TrackingStatus } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { estimateDelivery } from "./delivery-estimate";
import { CHUNGHWA_POST_TRACKING_URL, formatMailNumber } from "./post-tracking-link";
import { loadWorkingDayCalendar } from "./working-day-calendar.server";
import { taipeiDate } from "./working-days";

export type FulfilmentStage = "PRINTING" | "MAILED" | "DELIVERED" | "RETURNED" | "PRINT_PROBLEM" | "ACTIVATED";

export interface DeliveryEstimateView {
  /** Taipei calendar dates, YYYY-MM-DD; equal when the estimate is one day. */
  from: string;
  to: string;
  /** "payment": before dispatch, counted from payment (002: 完成繳費後…約 7 個工作天收件); "dispatch": stored at dispatch. */
  basis: "dispatch" | "payment";
  /** The last estimated day is over (Taipei date) and the card has not arrived yet. */
  passed: boolean;
}

export interface TrackingEntry {
  status: TrackingStatus;
  occurredAt: string;
  office: string | null;
}

export interface FulfilmentView {
  stage: FulfilmentStage;
  mailNumber: string | null;
  mailNumberFormatted: string | null;
  /** Chunghwa Post's page: it takes no number in its address, so the page shows the number to enter there. */
  trackingUrl: string;
  dispatchedAt: string | null;
  /** Null once an estimate would mislead: the card could not be made, or the letter came back. */
  estimate: DeliveryEstimateView | null;
  tracking: TrackingEntry[];
  deliveredAt: string | null;
  notReceived: { canReport: boolean; reportedAt: string | null };
}

/** One case per order (app/fulfilment/support-cases.server.ts dedupes on it). */
export function notReceivedCaseKey(orderId: string): string {
  return `DELIVERED_NOT_RECEIVED:${orderId}`;
}

const FULFILMENT_STATUSES = ["PAID", "IN_PRODUCTION", "MAILED", "DELIVERED", "ACTIVATED"] as const;

/** A @db.Date column (midnight UTC of the calendar date) as YYYY-MM-DD. */
function calendarDate(value: Date): string {
  return value.toISOString().slice(0, 10);
}

function stageOf(order: {
  status: string;
  printItem: { status: string } | null;
  registeredMail: { status: TrackingStatus } | null;
}): FulfilmentStage {
  if (order.status === "ACTIVATED") return "ACTIVATED";
  const mail = order.registeredMail?.status;
  if (mail === "RETURNED") return "RETURNED";
  if (mail === "DELIVERED" || order.status === "DELIVERED") return "DELIVERED";
  if (mail) return "MAILED";
  if (order.printItem?.status === "REJECTED") return "PRINT_PROBLEM";
  return "PRINTING";
}

/** The fulfilment view of a paid order, or null for an order not paid (or deleted unpaid). */
export async function loadFulfilmentView(orderId: string, options: { now?: Date } = {}): Promise<FulfilmentView | null> {
  const now = options.now ?? new Date();
  const order = await prisma.reissueOrder.findUnique({
    where: { id: orderId },
    select: {
      id: true, status: true, paidAt: true,
      application: { select: { outlyingIsland: true } },
      printItem: { select: { status: true } },
      registeredMail: {
        select: {
          mailNumber: true, dispatchedAt: true, estimatedFrom: true, estimatedTo: true, status: true, statusAt: true,
          events: { orderBy: [{ occurredAt: "asc" }, { id: "asc" }], select: { status: true, occurredAt: true, office: true } },
        },
      },
      supportCases: {
        where: { dedupeKey: notReceivedCaseKey(orderId) },
        select: { openedAt: true },
      },
    },
  });
  if (!order || !order.paidAt || !(FULFILMENT_STATUSES as readonly string[]).includes(order.status)) return null;

  const stage = stageOf(order);
  const mail = order.registeredMail;
  const arrived = stage === "DELIVERED" || stage === "ACTIVATED";

  let estimate: DeliveryEstimateView | null = null;
  if (mail && stage !== "RETURNED") {
    estimate = { from: calendarDate(mail.estimatedFrom), to: calendarDate(mail.estimatedTo), basis: "dispatch", passed: false };
  } else if (stage === "PRINTING") {
    // 002: 完成線上續卡作業繳費後，如於台灣本島內寄送，約 7 個工作天收件；離島收件時間延後 2-3 天.
    const computed = estimateDelivery(
      { from: order.paidAt, outlyingIsland: order.application?.outlyingIsland ?? false },
      await loadWorkingDayCalendar(),
    );
    estimate = { from: computed.from, to: computed.to, basis: "payment", passed: false };
  }
  if (estimate && !arrived) estimate.passed = taipeiDate(now) > estimate.to;

  const delivered = mail?.status === "DELIVERED"
    ? (mail.events.find((event) => event.status === "DELIVERED")?.occurredAt ?? mail.statusAt)
    : null;
  const reported = order.supportCases[0]?.openedAt ?? null;
  return {
    stage,
    mailNumber: mail?.mailNumber ?? null,
    mailNumberFormatted: mail ? formatMailNumber(mail.mailNumber) : null,
    trackingUrl: CHUNGHWA_POST_TRACKING_URL,
    dispatchedAt: mail?.dispatchedAt.toISOString() ?? null,
    estimate,
    tracking: (mail?.events ?? []).map((event) => ({
      status: event.status,
      occurredAt: event.occurredAt.toISOString(),
      office: event.office,
    })),
    deliveredAt: delivered?.toISOString() ?? null,
    // 002 收件問題: the post shows it signed for but the holder has no card — support investigates.
    notReceived: { canReport: stage === "DELIVERED" && mail?.status === "DELIVERED" && !reported, reportedAt: reported?.toISOString() ?? null },
  };
}
