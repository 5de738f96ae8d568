// An eligible holder's application becomes an order: NT$228, a 48-hour deadline, its own ATM virtual account.
import type { Prisma } from "~/generated/prisma/client";
import { recordAuditEvent } from "~/audit/audit.server";
import { checkEligibility, OPEN_REISSUE_STATUSES } from "~/eligibility/eligibility.server";
import { isOutlyingIslandPostcode } from "~/fulfilment/outlying-islands";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { AppError } from "~/lib/errors.server";
import { newVirtualAccount } from "~/payments/virtual-account";
import { scheduleUnpaidOrderDeletion } from "./deletion-schedule.server";
import { newOrderNumber } from "./order-number";
import { paymentDeadline, reissueFees } from "./pricing";

/** What the holder entered, already validated; the user code arrives only as its scrypt hash. */
export interface ApplicationDetails {
  mobile: string;
  email: string;
  postcode: string;
  address: string;
  userCodeHash: string;
  termsAcceptedAt: Date;
}

export interface CreatedOrder {
  orderId: string;
  orderNumber: string;
  paymentDeadline: Date;
}

function alreadyApplied(orderNumber: string): AppError {
  return new AppError(
    "ORDER_ALREADY_OPEN",
    {
      "zh-TW": `您已有一筆進行中的線上續卡申請（訂單編號 ${orderNumber}），不能重複申請。`,
      en: `You already have a reissue application in progress (order ${orderNumber}); you cannot apply twice.`,
    },
    409,
  );
}

/** One application at a time per holder (002 錯誤訊息一 is the card-count form of the same rule). Caller holds the holder lock. */
export async function assertNoOpenReissue(tx: Prisma.TransactionClient, holderId: string): Promise<void> {
  const open = await tx.reissueOrder.findFirst({
    where: { holderId, status: { in: [...OPEN_REISSUE_STATUSES] } },
    select: { orderNumber: true },
  });
  if (open) throw alreadyApplied(open.orderNumber);
}

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

export async function createReissueOrder({ citizen, application, now = new Date() }: {
  citizen: { holderId: string; cardId: string };
  application: ApplicationDetails;
  now?: Date;
}): Promise<CreatedOrder> {
  const assessment = await checkEligibility({ cardId: citizen.cardId, now });
  if (assessment.outcome === "ALREADY_APPLIED") throw alreadyApplied(assessment.orderNumber);
  if (assessment.outcome !== "ELIGIBLE") {
    throw new AppError(
      "NOT_ELIGIBLE",
      { "zh-TW": "此卡目前不符合線上續卡資格。", en: "This card is not eligible for online reissue now." },
      403,
    );
  }
  const fees = reissueFees();
  const deadline = paymentDeadline(now);
  const outlyingIsland = isOutlyingIslandPostcode(application.postcode);

  // A clash of the random order number or virtual account aborts the transaction; try again with new ones.
  for (let attempt = 1; ; attempt++) {
    try {
      const order = await prisma.$transaction(async (tx) => {
        // Serialises two applications of the same holder (two tabs, two cards): the second sees the first's order.
        await tx.$queryRaw`SELECT id FROM holder WHERE id = ${citizen.holderId}::uuid FOR UPDATE`;
        await assertNoOpenReissue(tx, citizen.holderId);
        const created = await tx.reissueOrder.create({
          data: {
            orderNumber: newOrderNumber(now),
            holderId: citizen.holderId,
            appliedWithCardId: citizen.cardId,
            cardFeeNtd: fees.cardNtd,
            postageFeeNtd: fees.postageNtd,
            amountNtd: fees.totalNtd,
            paymentDeadline: deadline,
            atmBankCode: env().ATM_BANK_CODE,
            virtualAccount: newVirtualAccount(env().ATM_ACCOUNT_PREFIX),
            createdAt: now,
            application: { create: { ...application, postcode: application.postcode.replace("-", ""), outlyingIsland } },
          },
          select: { id: true, orderNumber: true },
        });
        await recordAuditEvent(
          {
            actor: { type: "CITIZEN", id: citizen.holderId },
            action: "order.created",
            subject: { type: "order", id: created.id },
            details: { amountNtd: fees.totalNtd, outlyingIsland },
          },
          tx,
        );
        return created;
      });
      await scheduleUnpaidOrderDeletion({ orderId: order.id, paymentDeadline: deadline, now });
      return { orderId: order.id, orderNumber: order.orderNumber, paymentDeadline: deadline };
    } catch (error) {
      if (!isUniqueViolation(error) || attempt >= 5) throw error;
    }
  }
}
