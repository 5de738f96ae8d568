// 002 開卡: the holder reads the new card, checks what its certificates say, and accepts them with the user code
// chosen at application; only then are the certificates valid. 4 wrong codes lock activation of that card.
//
// The lock (docs/decisions/006-activation-lock.md): an attempt first *reserves* a wrong try in one conditional
// UPDATE (refused once 4 are used or the order is locked), then checks the code (scrypt, slow, no transaction
// open), then gives the try back if the code was right. However many requests race, at most 4 ever reach the
// hash, and the counter is in PostgreSQL, so restarts and replicas change nothing.
import { recordAuditEvent } from "~/audit/audit.server";
import type { CertificateStatusSource } from "~/auth/certificate-status.server";
import { prisma } from "~/lib/db.server";
import { countAttempt, retryAfterSeconds, type Limit } from "~/lib/rate-limit.server";
import { activationError, wrongUserCodeError } from "./activation-errors.server";
import { assertNotWithdrawnAtCa } from "./ca-status.server";
import {
  ACTIVATION_MAX_WRONG_CODES, activationRequestSchema, cardReadingSchema, userCodeSchema, type CardReading,
} from "./schema";
import { verifyUserCode } from "./user-code.server";

export interface ActivationCertificate {
  usage: "SIGNING" | "ENCRYPTION";
  serialNumber: string;
  subjectDn: string;
  notBefore: string;
  notAfter: string;
}

export interface ActivationPreview {
  orderNumber: string;
  cardNumber: string;
  holderName: string;
  certificates: ActivationCertificate[];
  attemptsLeft: number;
}

export interface ActivationReceipt extends Omit<ActivationPreview, "attemptsLeft"> {
  activatedAt: string;
}

/**
 * In front of the lock, per source address and per card: readings are cheap to send, codes cost a scrypt each.
 * Counted before the work (INCR), so parallel requests cannot slip past the limit either. Issue 13: the card's
 * counter counts only requests that proved the card (its certificates, byte for byte), so a stranger naming a
 * card number cannot lock its holder out; the address counter counts everything.
 */
export const ACTIVATION_LIMITS = {
  readingIp: { name: "activation-reading:ip", max: 60, windowSeconds: 15 * 60 },
  codeIp: { name: "activation-code:ip", max: 20, windowSeconds: 15 * 60 },
  codeCard: { name: "activation-code:card", max: 8, windowSeconds: 15 * 60 },
} satisfies Record<string, Limit>;

interface ReissuedCard {
  orderId: string;
  holderId: string;
  cardId: string;
  preview: ActivationPreview;
}

async function throttle(limit: Limit, subject: string): Promise<void> {
  if ((await countAttempt(limit, subject)) > limit.max) {
    throw activationError("TOO_MANY_ATTEMPTS", { retryAfterSeconds: await retryAfterSeconds(limit, subject) });
  }
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

/**
 * The order whose new card this is, if the reading proves the card holds exactly the certificates issued to it
 * and the card may be activated now. Each refusal is an AppError; nothing is written but `countAgainstCard`, a
 * per-card limit counted once the certificates match (issue 13: a proven card, whatever is refused after).
 */
export async function findReissuedCard(
  reading: CardReading,
  { countAgainstCard }: { countAgainstCard?: Limit } = {},
): Promise<ReissuedCard> {
  const card = await prisma.card.findUnique({
    where: { cardNumber: reading.cardNumber },
    select: {
      id: true,
      holder: { select: { name: true } },
      certificates: { select: { usage: true, serialNumber: true, subjectDn: true, notBefore: true, notAfter: true, status: true, der: true } },
      ordersReplacedBy: {
        select: { id: true, orderNumber: true, holderId: true, status: true, activationFailures: true, activationLockedAt: true, activatedAt: true },
      },
    },
  });
  if (!card) throw activationError("CARD_UNKNOWN");
  const order = card.ordersReplacedBy[0];
  if (!order) throw activationError("NOT_A_REISSUED_CARD");

  // Before anything about the order is told: the reader must hold this card's own certificates, all of them.
  const read = reading.certificates.map((b64) => new Uint8Array(Buffer.from(b64, "base64")));
  const matches =
    card.certificates.every((issued) => read.some((der) => sameBytes(der, issued.der))) &&
    read.every((der) => card.certificates.some((issued) => sameBytes(der, issued.der)));
  if (!matches || card.certificates.length === 0) throw activationError("CERTIFICATES_MISMATCH");
  if (countAgainstCard) await throttle(countAgainstCard, reading.cardNumber);

  if (order.activatedAt || order.status === "ACTIVATED") throw activationError("ALREADY_ACTIVATED");
  if (order.status !== "MAILED" && order.status !== "DELIVERED") throw activationError("NOT_YET_MAILED");
  if (card.certificates.some((certificate) => certificate.status !== "AWAITING_ACTIVATION")) {
    throw activationError("CERTIFICATES_UNAVAILABLE");
  }
  if (order.activationLockedAt) throw activationError("ACTIVATION_LOCKED");

  return {
    orderId: order.id,
    holderId: order.holderId,
    cardId: card.id,
    preview: {
      orderNumber: order.orderNumber,
      cardNumber: reading.cardNumber,
      holderName: card.holder.name,
      certificates: card.certificates
        .map(({ usage, serialNumber, subjectDn, notBefore, notAfter }) => ({
          usage, serialNumber, subjectDn, notBefore: notBefore.toISOString(), notAfter: notAfter.toISOString(),
        }))
        .sort((a, b) => (a.usage === b.usage ? 0 : a.usage === "SIGNING" ? -1 : 1)),
      attemptsLeft: ACTIVATION_MAX_WRONG_CODES - order.activationFailures,
    },
  };
}

/** Step 1 of the page: what the card holds, for the holder to check before entering the code. */
export async function previewActivation({ body, ip }: { body: unknown; ip: string; now?: Date }): Promise<ActivationPreview> {
  await throttle(ACTIVATION_LIMITS.readingIp, ip);
  const parsed = cardReadingSchema.safeParse(body);
  if (!parsed.success) throw activationError("REQUEST_MALFORMED");
  return (await findReissuedCard(parsed.data)).preview;
}

export type UserCodeCheck =
  | { result: "activated"; activatedAt: Date }
  | { result: "wrong"; attemptsLeft: number }
  | { result: "locked" }
  | { result: "already-activated" }
  | { result: "not-activatable" };

interface Reservation {
  failures: number;
  user_code_hash: string;
  new_card_id: string;
  holder_id: string;
}

/**
 * The lock itself. Reserves one of the 4 tries, checks the code in constant time against the stored hash, and on
 * the right code activates (certificates VALID, order ACTIVATED) and gives the try back, in one transaction.
 */
export async function checkUserCodeAndActivate({ orderId, userCode, now = new Date() }: {
  orderId: string;
  userCode: string;
  now?: Date;
}): Promise<UserCodeCheck> {
  const [reserved] = await prisma.$queryRaw<Reservation[]>`
    UPDATE reissue_order AS o
       SET activation_failures = o.activation_failures + 1,
           activation_locked_at = CASE WHEN o.activation_failures + 1 >= ${ACTIVATION_MAX_WRONG_CODES} THEN ${now}::timestamptz END,
           updated_at = ${now}::timestamptz
      FROM reissue_application AS a
     WHERE o.id = ${orderId}::uuid AND a.order_id = o.id AND o.new_card_id IS NOT NULL
       AND o.status IN ('MAILED', 'DELIVERED') AND o.activated_at IS NULL AND o.activation_locked_at IS NULL
       AND o.activation_failures < ${ACTIVATION_MAX_WRONG_CODES}
    RETURNING o.activation_failures AS failures, a.user_code_hash, o.new_card_id, o.holder_id`;
  if (!reserved) {
    const order = await prisma.reissueOrder.findUniqueOrThrow({ where: { id: orderId }, select: { activatedAt: true, activationLockedAt: true } });
    if (order.activatedAt) return { result: "already-activated" };
    return order.activationLockedAt ? { result: "locked" } : { result: "not-activatable" };
  }

  if (!(await verifyUserCode(userCode, reserved.user_code_hash))) {
    const locked = reserved.failures >= ACTIVATION_MAX_WRONG_CODES;
    await recordAuditEvent({
      actor: { type: "CITIZEN" },
      action: locked ? "activation.locked" : "activation.code_wrong",
      subject: { type: "order", id: orderId },
      details: { wrongCodes: reserved.failures, cardId: reserved.new_card_id },
    });
    return locked ? { result: "locked" } : { result: "wrong", attemptsLeft: ACTIVATION_MAX_WRONG_CODES - reserved.failures };
  }

  const giveBack = (db: Pick<typeof prisma, "$executeRaw">) =>
    db.$executeRaw`UPDATE reissue_order SET activation_failures = GREATEST(activation_failures - 1, 0) WHERE id = ${orderId}::uuid`;
  try {
    return await prisma.$transaction(async (tx) => {
      const activated = await tx.$executeRaw`
        UPDATE reissue_order
           SET status = 'ACTIVATED', activated_at = ${now}::timestamptz, activation_locked_at = NULL, updated_at = ${now}::timestamptz,
               activation_failures = GREATEST(activation_failures - 1, 0)
         WHERE id = ${orderId}::uuid AND activated_at IS NULL AND status IN ('MAILED', 'DELIVERED')`;
      if (activated === 0) {
        // A second right answer raced this one (a double click): the card is activated either way.
        await giveBack(tx);
        const order = await tx.reissueOrder.findUniqueOrThrow({ where: { id: orderId }, select: { activatedAt: true } });
        return order.activatedAt ? ({ result: "activated", activatedAt: order.activatedAt } as const) : ({ result: "not-activatable" } as const);
      }
      const certificates = await tx.certificate.updateMany({
        where: { cardId: reserved.new_card_id, status: "AWAITING_ACTIVATION" },
        data: { status: "VALID", statusChangedAt: now },
      });
      const onCard = await tx.certificate.count({ where: { cardId: reserved.new_card_id } });
      // A certificate revoked since the page read the card: accept none of them.
      if (certificates.count !== onCard) throw activationError("CERTIFICATES_UNAVAILABLE");
      await recordAuditEvent(
        {
          actor: { type: "CITIZEN", id: reserved.holder_id },
          action: "order.activated",
          subject: { type: "order", id: orderId },
          details: { cardId: reserved.new_card_id, certificates: certificates.count, wrongCodesBefore: reserved.failures - 1 },
        },
        tx,
      );
      return { result: "activated", activatedAt: now } as const;
    });
  } catch (error) {
    await giveBack(prisma);
    throw error;
  }
}

/** Step 2: the user code and the holder's acceptance. Returns the receipt (收執聯) or throws an AppError. */
export async function activateCard({ body, ip, now = new Date(), statusSource }: {
  body: unknown;
  ip: string;
  now?: Date;
  /** Where the CA's status of the new certificates is asked (default: the configured source). */
  statusSource?: CertificateStatusSource;
}): Promise<ActivationReceipt> {
  const parsed = activationRequestSchema.safeParse(body);
  if (!parsed.success) {
    await throttle(ACTIVATION_LIMITS.readingIp, ip);
    throw activationError("REQUEST_MALFORMED");
  }
  const request = parsed.data;
  if (!request.accepted) throw activationError("NOT_ACCEPTED");
  if (!userCodeSchema.safeParse(request.userCode).success) throw activationError("USER_CODE_FORMAT");

  await throttle(ACTIVATION_LIMITS.codeIp, ip);
  const card = await findReissuedCard(request, { countAgainstCard: ACTIVATION_LIMITS.codeCard });
  await assertNotWithdrawnAtCa({ certificates: request.certificates, statusSource });

  const check = await checkUserCodeAndActivate({ orderId: card.orderId, userCode: request.userCode, now });
  switch (check.result) {
    case "activated": {
      const { attemptsLeft: _, ...receipt } = card.preview;
      return { ...receipt, activatedAt: check.activatedAt.toISOString() };
    }
    case "wrong":
      throw wrongUserCodeError(check.attemptsLeft);
    case "locked":
      throw activationError("ACTIVATION_LOCKED");
    case "already-activated":
      throw activationError("ALREADY_ACTIVATED");
    case "not-activatable":
      throw activationError("NOT_YET_MAILED");
  }
}
