// The support desk's one search box (002 查詢: holders whose old card expired phone 0800-080-117): a registered-mail
// number, an order number, a card number (the old card applied with or the new one) or a national ID, looked up
// by its keyed hash. Each key is a unique index; no query scans. The look-up is audited by kind and count, never
// by what was typed.
import { recordAuditEvent } from "~/audit/audit.server";
import type { StaffActor } from "~/activation/staff-activation.server";
import { maskNationalId } from "~/cards/national-id";
import { nationalIdHash } from "~/cards/national-id.server";
import type { Prisma, ReissueOrderStatus } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { maskStoredNationalId } from "./masking";
import { classifySupportQuery, type SupportQuery, type SupportQueryKind } from "./schema";
import { assertSupportDesk, QUERY_FORMAT } from "./support-errors.server";

/** A holder rarely has more than a few orders; the list is capped so a page stays small. */
export const SUPPORT_SEARCH_LIMIT = 20;

export interface SupportSearchMatch {
  orderNumber: string;
  status: ReissueOrderStatus;
  holderName: string;
  /** A12345**** when the ID was typed, else ******1234 (all the database keeps). */
  nationalIdMasked: string;
  createdAt: string;
  paidAt: string | null;
}

export interface SupportSearchResult {
  by: SupportQueryKind;
  matches: SupportSearchMatch[];
  /** Only for a look-up by national ID: the typed ID masked, for the order page to show instead of ******1234. */
  maskedIdHint: string | null;
}

const matchSelect = {
  id: true, orderNumber: true, status: true, createdAt: true, paidAt: true,
  holder: { select: { name: true, nationalIdLast4: true } },
} satisfies Prisma.ReissueOrderSelect;

type MatchRow = Prisma.ReissueOrderGetPayload<{ select: typeof matchSelect }>;

async function ordersByCard(cardNumber: string): Promise<MatchRow[]> {
  const card = await prisma.card.findUnique({ where: { cardNumber }, select: { id: true, holderId: true } });
  if (card) {
    // The new card: reissue_order.new_card_id is unique. The old card: the holder's orders (holder_id index), then
    // those applied with this card — reissue_order has no index of its own on applied_with_card_id.
    const [replacedBy, appliedWith] = await Promise.all([
      prisma.reissueOrder.findMany({ where: { newCardId: card.id }, select: matchSelect }),
      prisma.reissueOrder.findMany({
        where: { holderId: card.holderId, appliedWithCardId: card.id },
        orderBy: { createdAt: "desc" }, take: SUPPORT_SEARCH_LIMIT, select: matchSelect,
      }),
    ]);
    return [...replacedBy, ...appliedWith];
  }
  // A card the vendor numbered but rejected never became a Card row; print_item.card_number is unique too.
  const item = await prisma.printItem.findUnique({ where: { cardNumber }, select: { order: { select: matchSelect } } });
  return item ? [item.order] : [];
}

async function findMatches(query: SupportQuery): Promise<MatchRow[]> {
  switch (query.kind) {
    case "mail_number": {
      const mail = await prisma.registeredMail.findUnique({ where: { mailNumber: query.mailNumber }, select: { order: { select: matchSelect } } });
      return mail ? [mail.order] : [];
    }
    case "order_number": {
      const order = await prisma.reissueOrder.findUnique({ where: { orderNumber: query.orderNumber }, select: matchSelect });
      return order ? [order] : [];
    }
    case "card_number":
      return ordersByCard(query.cardNumber);
    case "national_id": {
      const holder = await prisma.holder.findUnique({ where: { nationalIdHash: nationalIdHash(query.nationalId) }, select: { id: true } });
      if (!holder) return [];
      return prisma.reissueOrder.findMany({
        where: { holderId: holder.id }, orderBy: { createdAt: "desc" }, take: SUPPORT_SEARCH_LIMIT, select: matchSelect,
      });
    }
  }
}

/** Finds the orders one typed key names (a list of a holder's orders, or one). Throws QUERY_FORMAT for anything else. */
export async function searchOrders({ staff, query, requestId }: {
  staff: StaffActor;
  query: string;
  requestId?: string;
}): Promise<SupportSearchResult> {
  assertSupportDesk(staff);
  const parsed = classifySupportQuery(query);
  if (!parsed || parsed.kind === "invalid_national_id") throw QUERY_FORMAT();

  let by: SupportQueryKind = parsed.kind;
  let rows = await findMatches(parsed);
  // A 12–13 digit mail number can pass an order number's check digit by chance (1 in 10): try it as a letter too.
  if (rows.length === 0 && parsed.kind === "order_number") {
    const asMail = await findMatches({ kind: "mail_number", mailNumber: parsed.orderNumber });
    if (asMail.length > 0) [by, rows] = ["mail_number", asMail];
  }
  const unique = [...new Map(rows.map((row) => [row.id, row])).values()];

  await recordAuditEvent({
    actor: { type: "STAFF", id: staff.id },
    action: "support.looked_up",
    ...(unique.length === 1 ? { subject: { type: "order", id: unique[0]!.id } } : {}),
    details: { by, count: unique.length },
    requestId,
  });

  const maskedIdHint = parsed.kind === "national_id" ? maskNationalId(parsed.nationalId) : null;
  return {
    by,
    maskedIdHint,
    matches: unique.map((row) => ({
      orderNumber: row.orderNumber,
      status: row.status,
      holderName: row.holder.name,
      nationalIdMasked: maskedIdHint ?? maskStoredNationalId(row.holder.nationalIdLast4),
      createdAt: row.createdAt.toISOString(),
      paidAt: row.paidAt?.toISOString() ?? null,
    })),
  };
}

/**
 * The order a registered-mail number belongs to: one statement over two unique indexes (mail_number, then the
 * order's primary key), no audit — `npm run bench:support` times it; staff pages go through searchOrders.
 */
export async function findOrderByMailNumber(mailNumber: string): Promise<{ orderNumber: string } | null> {
  const rows = await prisma.$queryRaw<Array<{ order_number: string }>>`
    SELECT o.order_number FROM registered_mail m JOIN reissue_order o ON o.id = m.order_id
     WHERE m.mail_number = ${mailNumber}`;
  return rows[0] ? { orderNumber: rows[0].order_number } : null;
}
