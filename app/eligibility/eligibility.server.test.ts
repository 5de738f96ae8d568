import { beforeAll, describe, expect, it } from "vitest";
import { recordCard } from "~/cards/certificates.server";
import type { CertificateStatus, ReissueOrderStatus } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { AppError } from "~/lib/errors.server";
import { createTestIssuer, issueCardCertificate, recordOnlyKeys, type TestIssuer } from "../../test/factories/certificates";
import { nationalIdWithCheckDigit } from "../../test/factories/national-ids";
import { createHolderAndCard } from "../../test/factories/orders";
import { checkEligibility, loadEligibilityFacts, OPEN_REISSUE_STATUSES, reissueWindowSettings } from "./eligibility.server";
import { newVirtualAccount } from "~/payments/virtual-account";
import { addCalendarMonths, addCalendarYears, addExactDays } from "./rules";

const NOW = new Date("2026-12-01T04:00:00.000Z");
const DAY = 24 * 3600 * 1000;

let issuer: TestIssuer;
beforeAll(async () => {
  issuer = await createTestIssuer();
});

let sequence = 0;
function newHolder(name = "王小明") {
  sequence += 1;
  return { nationalId: nationalIdWithCheckDigit(`A1${String(sequence).padStart(7, "0")}`), name };
}

/** A card with a signing and an encryption certificate ending at `notAfter` (8 years long when extended). */
async function recordTestCard(
  holder: { nationalId: string; name: string },
  { notAfter, extended = true, status = "VALID" }: { notAfter: Date; extended?: boolean; status?: CertificateStatus },
) {
  sequence += 1;
  const notBefore = addCalendarYears(notAfter, extended ? -8 : -5);
  const certificates = [];
  for (const usage of ["SIGNING", "ENCRYPTION"] as const) {
    const { der } = await issueCardCertificate({
      // Keys do not matter here, but each certificate needs its own: fast P-256 ones.
      issuer, name: holder.name, idLast4: holder.nationalId.slice(-4), usage, notBefore, notAfter, subjectKeys: await recordOnlyKeys(),
    });
    certificates.push({ der, usage, status, extended });
  }
  const { card } = await recordCard({ holder, cardNumber: `TP${String(sequence).padStart(14, "0")}`, certificates });
  return card;
}

async function createOrder(card: { id: string; holderId: string }, status: ReissueOrderStatus) {
  sequence += 1;
  return prisma.reissueOrder.create({
    data: {
      orderNumber: `R${String(sequence).padStart(12, "0")}`,
      holderId: card.holderId,
      appliedWithCardId: card.id,
      status,
      cardFeeNtd: 200,
      postageFeeNtd: 28,
      amountNtd: 228,
      paymentDeadline: new Date(NOW.getTime() + 2 * DAY),
      atmBankCode: "822",
      virtualAccount: newVirtualAccount("9528"),
    },
  });
}

describe("loadEligibilityFacts", () => {
  it("reads the card's signing certificate, the holder's valid cards and the window from the environment", async () => {
    const notAfter = new Date(NOW.getTime() + 30 * DAY);
    const card = await recordTestCard(newHolder(), { notAfter });
    const facts = await loadEligibilityFacts({ cardId: card.id, now: NOW });
    expect(facts).toEqual({
      signingCertificate: { notBefore: addCalendarYears(notAfter, -8), notAfter, extended: true, status: "VALID" },
      validCardCount: 1,
      openReissue: null,
      now: NOW,
      window: { daysBefore: 60, monthsAfter: 12 },
    });
    expect(reissueWindowSettings()).toEqual({ daysBefore: 60, monthsAfter: 12 });
  });

  it("uses the signing certificate ending last when an extension added one to the card", async () => {
    const holder = newHolder();
    const fiveYearEnd = new Date(NOW.getTime() - 100 * DAY);
    const card = await recordTestCard(holder, { notAfter: fiveYearEnd, extended: false, status: "EXPIRED" });
    const eightYearEnd = addCalendarYears(fiveYearEnd, 3);
    await prisma.certificate.create({
      data: {
        cardId: card.id, serialNumber: "e1", issuerDn: "C=TW, O=行政院, OU=內政部憑證管理中心 (測試)", subjectDn: "CN=王小明",
        usage: "SIGNING", notBefore: fiveYearEnd, notAfter: eightYearEnd, extended: true, status: "VALID", der: new Uint8Array([0x30]),
      },
    });
    const facts = await loadEligibilityFacts({ cardId: card.id, now: NOW });
    expect(facts.signingCertificate).toMatchObject({ notAfter: eightYearEnd, extended: true, status: "VALID" });
  });

  it("counts only the holder's cards whose signing certificate is VALID and in date", async () => {
    const holder = newHolder("陳美玲");
    const card = await recordTestCard(holder, { notAfter: new Date(NOW.getTime() + 10 * DAY) });
    await recordTestCard(holder, { notAfter: addCalendarYears(NOW, 5), extended: false }); // the new card
    await recordTestCard(holder, { notAfter: addCalendarYears(NOW, 2), status: "REVOKED" });
    await recordTestCard(holder, { notAfter: addCalendarYears(NOW, 5), extended: false, status: "AWAITING_ACTIVATION" });
    await recordTestCard(holder, { notAfter: new Date(NOW.getTime() - 1), status: "VALID" }); // lapsed, job not run yet
    await recordTestCard(newHolder("陳美玲"), { notAfter: addCalendarYears(NOW, 5), extended: false }); // someone else
    expect((await loadEligibilityFacts({ cardId: card.id, now: NOW })).validCardCount).toBe(2);
  });

  it("refuses a card it does not know", async () => {
    const attempt = loadEligibilityFacts({ cardId: "0190aaaa-0000-7000-8000-000000000000", now: NOW });
    await expect(attempt).rejects.toBeInstanceOf(AppError);
    await expect(attempt).rejects.toMatchObject({ code: "ELIGIBILITY_CARD_UNKNOWN", status: 404 });
  });
});

describe("checkEligibility", () => {
  it("finds a card 30 days before its 8-year end eligible", async () => {
    const notAfter = new Date(NOW.getTime() + 30 * DAY);
    const card = await recordTestCard(newHolder(), { notAfter });
    expect(await checkEligibility({ cardId: card.id, now: NOW })).toEqual({
      outcome: "ELIGIBLE",
      window: { opensAt: addExactDays(notAfter, -60), closesAt: addCalendarMonths(notAfter, 12) },
      finalEnd: { at: notAfter, basis: "EXTENDED", notAfter },
      expired: false,
    });
  });

  it("lets an expired card reissue for 12 months after its end, then not", async () => {
    const notAfter = addCalendarMonths(NOW, -11);
    const card = await recordTestCard(newHolder(), { notAfter, status: "EXPIRED" });
    expect(await checkEligibility({ cardId: card.id, now: NOW })).toMatchObject({ outcome: "ELIGIBLE", expired: true });
    const later = addCalendarMonths(NOW, 2);
    expect(await checkEligibility({ cardId: card.id, now: later })).toMatchObject({ outcome: "REFUSED", reason: "WINDOW_CLOSED" });
  });

  it("says code 45 with the opening date to a card far from its end", async () => {
    const notAfter = addCalendarYears(NOW, 2);
    const card = await recordTestCard(newHolder(), { notAfter });
    expect(await checkEligibility({ cardId: card.id, now: NOW })).toMatchObject({
      reason: "TOO_EARLY", messageCode: "45", windowOpensAt: addExactDays(notAfter, -60),
    });
  });

  it("tells a 5-year card near its end to extend instead", async () => {
    const card = await recordTestCard(newHolder(), { notAfter: new Date(NOW.getTime() + 20 * DAY), extended: false });
    expect(await checkEligibility({ cardId: card.id, now: NOW })).toMatchObject({ reason: "EXTEND_INSTEAD" });
  });

  it("refuses an ID that already has 2 valid cards (the old one and its reissue)", async () => {
    const holder = newHolder();
    const old = await recordTestCard(holder, { notAfter: new Date(NOW.getTime() + 10 * DAY) });
    await recordTestCard(holder, { notAfter: addCalendarYears(NOW, 5), extended: false });
    expect(await checkEligibility({ cardId: old.id, now: NOW })).toMatchObject({ reason: "TOO_MANY_VALID_CARDS" });
  });

  it.each(["REVOKED", "SUSPENDED"] as const)("refuses a %s certificate", async (status) => {
    const card = await recordTestCard(newHolder(), { notAfter: new Date(NOW.getTime() + 10 * DAY), status });
    expect(await checkEligibility({ cardId: card.id, now: NOW })).toMatchObject({ outcome: "REFUSED", reason: status });
  });

  it.each(OPEN_REISSUE_STATUSES)("shows the holder's %s order instead of a new application", async (status) => {
    const card = await recordTestCard(newHolder(), { notAfter: new Date(NOW.getTime() + 10 * DAY) });
    const order = await createOrder(card, status);
    expect(await checkEligibility({ cardId: card.id, now: NOW })).toEqual({
      outcome: "ALREADY_APPLIED", orderId: order.id, orderNumber: order.orderNumber,
    });
  });

  it("lets a holder whose unpaid order was deleted apply again", async () => {
    const card = await recordTestCard(newHolder(), { notAfter: new Date(NOW.getTime() + 10 * DAY) });
    await createOrder(card, "DELETED_UNPAID");
    expect(await checkEligibility({ cardId: card.id, now: NOW })).toMatchObject({ outcome: "ELIGIBLE" });
  });

  it("shows a card already replaced through an activated order that order, even once the card has expired", async () => {
    const holder = newHolder();
    const card = await recordTestCard(holder, { notAfter: new Date(NOW.getTime() - 10 * DAY) });
    const order = await createOrder(card, "ACTIVATED");
    expect(await checkEligibility({ cardId: card.id, now: NOW })).toEqual({
      outcome: "ALREADY_APPLIED", orderId: order.id, orderNumber: order.orderNumber,
    });
  });

  it("does not hold another card's activated order against this card", async () => {
    const holder = newHolder();
    const older = await recordTestCard(holder, { notAfter: new Date(NOW.getTime() - 9 * 365 * DAY) });
    await createOrder(older, "ACTIVATED");
    const card = await recordTestCard(holder, { notAfter: new Date(NOW.getTime() + 10 * DAY) });
    expect(await checkEligibility({ cardId: card.id, now: NOW })).toMatchObject({ outcome: "ELIGIBLE" });
  });

  it("ignores another holder's open order", async () => {
    const card = await recordTestCard(newHolder(), { notAfter: new Date(NOW.getTime() + 10 * DAY) });
    const stranger = await recordTestCard(newHolder(), { notAfter: new Date(NOW.getTime() + 10 * DAY) });
    await createOrder(stranger, "PAID");
    expect(await checkEligibility({ cardId: card.id, now: NOW })).toMatchObject({ outcome: "ELIGIBLE" });
  });
});

describe("the open-or-replaced order look-up", () => {
  it("finds the orders a card was replaced with through an index, not a sequential scan (EXPLAIN)", async () => {
    // The query loadEligibilityFacts sends, as SQL. With many activated orders in the table (and statistics that
    // say so), the "replaced with this card" branch must be an index look-up on the card, not a read of every
    // ACTIVATED order; sequential scans are priced out so the plan shows what the indexes allow.
    const { card } = await createHolderAndCard();
    const rolledBack = new Error("rolled back");
    let plan = "";
    await prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(
        `INSERT INTO reissue_order (id, order_number, holder_id, applied_with_card_id, status, card_fee_ntd, postage_fee_ntd,
           amount_ntd, payment_deadline, atm_bank_code, virtual_account, updated_at)
         SELECT gen_random_uuid(), 'X' || n, $1::uuid, $2::uuid, 'ACTIVATED', 200, 28, 228, now(), '822', 'V' || n, now()
         FROM generate_series(1, 2000) AS n`,
        card.holderId, card.id,
      );
      await tx.$executeRawUnsafe("ANALYZE reissue_order");
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      const statuses = OPEN_REISSUE_STATUSES.map((s) => `'${s}'`).join(", ");
      const rows = await tx.$queryRawUnsafe<Array<{ "QUERY PLAN": unknown }>>(
        `EXPLAIN (FORMAT JSON) SELECT id, order_number FROM reissue_order
           WHERE (holder_id = $1::uuid AND status IN (${statuses})) OR (applied_with_card_id = $2::uuid AND status = 'ACTIVATED')
           ORDER BY created_at DESC LIMIT 1`,
        "01900000-0000-7000-8000-000000000001", "01900000-0000-7000-8000-000000000002",
      );
      plan = JSON.stringify(rows[0]!["QUERY PLAN"]);
      throw rolledBack;
    }, { timeout: 60_000 }).catch((error: unknown) => {
      if (error !== rolledBack) throw error;
    });
    expect(plan).toContain("reissue_order_applied_with_card_id_status_idx");
    expect(plan).not.toContain("Seq Scan");
  });
});
