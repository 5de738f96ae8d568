// 002 收件問題: the post's tracking page shows the letter signed for, but the holder has no card — support
// (0800-080-117) investigates. The holder reports it from the status page; support finds it in their queue.
import { recordAuditEvent } from "~/audit/audit.server";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { parseOrderNumber } from "~/orders/order-number";
import { notReceivedCaseKey } from "./fulfilment-status.server";
import { openSupportCase } from "./support-cases.server";
import { taipeiDate } from "./working-days";

const DAY_MS = 86_400_000;

const ORDER_NOT_FOUND = new AppError(
  "ORDER_NOT_FOUND",
  { "zh-TW": "找不到這筆訂單。", en: "We cannot find this order." },
  404,
);
const NOT_DELIVERED = new AppError(
  "NOT_DELIVERED",
  {
    "zh-TW": "郵局尚未顯示這封掛號信已送達，目前無法回報未收到卡片。如有疑問請洽免付費客服專線 0800-080-117。",
    en: "The post does not show this letter as delivered yet, so it cannot be reported as not received. Call the toll-free support line on 0800-080-117 with any questions.",
  },
  409,
);

/**
 * Opens one DELIVERED_NOT_RECEIVED support case for the holder's own order whose letter the post shows delivered;
 * a second report finds the first case and opens nothing.
 */
export async function reportDeliveredNotReceived({ holderId, orderNumber, now = new Date() }: {
  holderId: string;
  orderNumber: string;
  now?: Date;
}): Promise<{ supportCaseId: string; alreadyReported: boolean }> {
  const number = parseOrderNumber(orderNumber);
  if (!number) throw ORDER_NOT_FOUND;
  return prisma.$transaction(async (tx) => {
    // Someone else's order is as unknown as a missing one.
    const order = await tx.reissueOrder.findFirst({
      where: { orderNumber: number, holderId },
      select: { id: true, status: true, registeredMail: { select: { status: true, statusAt: true } } },
    });
    if (!order) throw ORDER_NOT_FOUND;
    const mail = order.registeredMail;
    // An activated card was in the holder's hands; only a letter the post shows delivered can go missing this way.
    if (!mail || mail.status !== "DELIVERED" || order.status === "ACTIVATED") throw NOT_DELIVERED;

    const daysSince = Math.max(0, Math.floor((now.getTime() - mail.statusAt.getTime()) / DAY_MS));
    const { supportCase, opened } = await openSupportCase(tx, {
      kind: "DELIVERED_NOT_RECEIVED",
      dedupeKey: notReceivedCaseKey(order.id),
      orderId: order.id,
      reason: `holder reports the letter shown delivered on ${taipeiDate(mail.statusAt)} was not received (reported ${daysSince} days later)`,
      openedBy: `citizen:${holderId}`,
    });
    if (opened) {
      await recordAuditEvent(
        {
          actor: { type: "CITIZEN", id: holderId },
          action: "order.not_received_reported",
          subject: { type: "order", id: order.id },
          details: { supportCaseId: supportCase.id },
        },
        tx,
      );
    }
    return { supportCaseId: supportCase.id, alreadyReported: !opened };
  });
}
