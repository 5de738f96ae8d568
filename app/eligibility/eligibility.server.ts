// Eligibility from the database: the facts about the card a holder logged in with, assessed by the pure rules.
// The only eligibility module that touches Prisma.
import type { ReissueOrderStatus } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { env } from "~/lib/env.server";
import { AppError } from "~/lib/errors.server";
import { assessEligibility, type Assessment, type EligibilityFacts, type WindowSettings } from "./rules";

/**
 * An order still on its way to an activated card. An unpaid order past its deadline stays open until the deletion
 * job marks it DELETED_UNPAID: a late ATM transfer may still match it, so a second order must not race it.
 */
export const OPEN_REISSUE_STATUSES = [
  "AWAITING_PAYMENT",
  "PAID",
  "IN_PRODUCTION",
  "MAILED",
  "DELIVERED",
] as const satisfies readonly ReissueOrderStatus[];

/** 003 (2024) by default: 60 days before until 12 months after; REISSUE_WINDOW_MONTHS_AFTER=0 is the 002 rule. */
export function reissueWindowSettings(): WindowSettings {
  const { REISSUE_WINDOW_DAYS_BEFORE, REISSUE_WINDOW_MONTHS_AFTER } = env();
  return { daysBefore: REISSUE_WINDOW_DAYS_BEFORE, monthsAfter: REISSUE_WINDOW_MONTHS_AFTER };
}

function unknownCard(): AppError {
  return new AppError(
    "ELIGIBILITY_CARD_UNKNOWN",
    { "zh-TW": "查無此卡片的憑證資料。", en: "We have no certificate on record for this card." },
    404,
  );
}

export async function loadEligibilityFacts({
  cardId,
  now,
  window = reissueWindowSettings(),
}: {
  cardId: string;
  now: Date;
  window?: WindowSettings;
}): Promise<EligibilityFacts> {
  const card = await prisma.card.findUnique({
    where: { id: cardId },
    select: {
      holderId: true,
      // An extension (001) writes a new signing certificate to the same card: the one ending last is current.
      certificates: {
        where: { usage: "SIGNING" },
        orderBy: [{ notAfter: "desc" }, { createdAt: "desc" }],
        take: 1,
        select: { notBefore: true, notAfter: true, extended: true, status: true },
      },
    },
  });
  const signingCertificate = card?.certificates[0];
  if (!card || !signingCertificate) throw unknownCard();

  const [validCardCount, openOrder] = await Promise.all([
    prisma.card.count({
      where: {
        holderId: card.holderId,
        // 002 有效正卡: a VALID signing certificate still in date — the hourly expiry job may lag behind notAfter.
        certificates: { some: { usage: "SIGNING", status: "VALID", notBefore: { lte: now }, notAfter: { gte: now } } },
      },
    }),
    prisma.reissueOrder.findFirst({
      where: {
        OR: [
          { holderId: card.holderId, status: { in: [...OPEN_REISSUE_STATUSES] } },
          // A card already replaced through this service cannot order a second replacement in the year after
          // its end, when it no longer counts as a valid card: the holder is shown the finished order instead.
          { appliedWithCardId: cardId, status: "ACTIVATED" },
        ],
      },
      orderBy: { createdAt: "desc" },
      select: { id: true, orderNumber: true },
    }),
  ]);

  return {
    signingCertificate,
    validCardCount,
    openReissue: openOrder ? { orderId: openOrder.id, orderNumber: openOrder.orderNumber } : null,
    now,
    window,
  };
}

/** Where the holder of this card stands now, with the window from the environment. */
export async function checkEligibility({ cardId, now }: { cardId: string; now: Date }): Promise<Assessment> {
  return assessEligibility(await loadEligibilityFacts({ cardId, now }));
}
