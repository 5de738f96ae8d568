// A personalised card's certificates: issued by the CA from the chip's key requests, then handed to the vendor to
// write onto the card. Issuing happens only while the item's row lock is held and the item is seen, under that
// lock, to have no card yet: two workers (or one reply applied twice) can never both sign a pair (decision 014).
import { prisma } from "~/lib/db.server";
import { loadIssuingCa, type IssuingCa } from "./issuing-ca.server";
import type { BatchLease } from "./print-lease.server";
import { rejectItem, type PrintItemView } from "./print-items.server";
import { issueReplacementCertificates, recordReplacementCard, ReplacementCardError } from "./replacement-card.server";
import { openSupportCase } from "./support-cases.server";
import { VendorError, type PrintVendor, type VendorCard } from "./vendor-protocol";

/** Signing two certificates under the lock takes milliseconds; this only bounds a CA that hangs. */
const ISSUE_TRANSACTION_TIMEOUT_MS = 15_000;

/** Issues the card's two certificates from its key requests; a refusal rejects the item for support. */
export async function issueForItem(
  batchId: string,
  batchNumber: string,
  item: PrintItemView,
  card: Extract<VendorCard, { state: "personalised" }>,
  { lease, ca }: { lease?: BatchLease; ca?: IssuingCa } = {},
): Promise<boolean> {
  const issuer = ca ?? (await loadIssuingCa());
  let refusal: ReplacementCardError | undefined;
  let stage = "issue" as "issue" | "record";
  try {
    const issued = await prisma.$transaction(
      async (tx) => {
        await lease?.guard(tx);
        const [row] = await tx.$queryRaw<Array<{ status: string; has_card: boolean }>>`
          SELECT i.status::text AS status, o.new_card_id IS NOT NULL AS has_card
          FROM print_item i JOIN reissue_order o ON o.id = i.order_id
          WHERE i.id = ${item.id}::uuid
          FOR UPDATE OF i`;
        if (row?.status !== "SUBMITTED" || row.has_card) return false;
        const certificates = await issueReplacementCertificates({
          ca: issuer,
          holder: { name: item.order.holder.name, idLast4: item.order.holder.nationalIdLast4 },
          validFrom: item.validFrom,
          validUntil: item.validUntil,
          signingCsr: card.signingCsr,
          encryptionCsr: card.encryptionCsr,
          cardNumber: card.cardNumber,
        });
        stage = "record";
        await recordReplacementCard(tx, {
          orderId: item.orderId,
          holderId: item.order.holderId,
          cardNumber: card.cardNumber,
          signing: certificates.signing,
          encryption: certificates.encryption,
        });
        await tx.printItem.update({ where: { id: item.id }, data: { status: "CERTIFICATES_ISSUED", cardNumber: card.cardNumber } });
        return true;
      },
      { timeout: ISSUE_TRANSACTION_TIMEOUT_MS },
    );
    if (issued) return true;
  } catch (error) {
    if (!(error instanceof ReplacementCardError)) throw error;
    refusal = error;
  }
  if (!refusal) return false;
  // Rolled back above (a concurrent card number aborts the transaction); the refusal is recorded in a new one.
  const reason = stage === "record" ? "the card could not be recorded" : "the card's key requests were refused";
  await rejectItem(batchId, batchNumber, item, refusal.code, reason, "service", lease);
  return false;
}

/** Sends the issued certificates to the vendor to write onto the card. A transient failure waits for the next poll. */
export async function deliverCertificates(
  batchId: string,
  batchNumber: string,
  { id: itemId, orderId }: { id: string; orderId: string },
  vendor: PrintVendor,
  lease?: BatchLease,
): Promise<boolean> {
  const item = await prisma.printItem.findUniqueOrThrow({
    where: { id: itemId },
    select: {
      status: true, cardNumber: true,
      order: { select: { orderNumber: true, newCard: { select: { cardNumber: true, certificates: { select: { usage: true, der: true } } } } } },
    },
  });
  const newCard = item.order.newCard;
  if (item.status !== "CERTIFICATES_ISSUED" || !newCard) return false;
  const der = (usage: "SIGNING" | "ENCRYPTION") => {
    const certificate = newCard.certificates.find((c) => c.usage === usage);
    if (!certificate) throw new Error(`card ${newCard.cardNumber} has no ${usage} certificate`);
    return Buffer.from(certificate.der).toString("base64");
  };
  // Not handed over by a worker that no longer holds the batch (another may be handing it over now).
  await lease?.renew();
  try {
    await vendor.deliverCertificates(batchNumber, item.order.orderNumber, {
      cardNumber: newCard.cardNumber,
      signingCertificate: der("SIGNING"),
      encryptionCertificate: der("ENCRYPTION"),
    });
  } catch (error) {
    if (!(error instanceof VendorError)) throw error;
    if (error.transient) return false;
    await prisma.$transaction(async (tx) => {
      await lease?.guard(tx);
      await openSupportCase(tx, {
        kind: "PRINT_VENDOR_ERROR",
        dedupeKey: `PRINT_VENDOR_ERROR:${itemId}:certificates`,
        batchId,
        orderId,
        reason: `the vendor refused the certificates for a card of batch ${batchNumber}: ${error.code}${error.httpStatus ? ` HTTP ${error.httpStatus}` : ""}`,
        openedBy: "system",
      });
    });
    return false;
  }
  return prisma.$transaction(async (tx) => {
    await lease?.guard(tx);
    const { count } = await tx.printItem.updateMany({ where: { id: itemId, status: "CERTIFICATES_ISSUED" }, data: { status: "CERTIFICATES_DELIVERED" } });
    return count === 1;
  });
}
