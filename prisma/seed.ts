// Demo data for `npm start`: holders whose cards are in each state the eligibility rules tell apart.
// Idempotent: a card number already present is left as it is, so a second start changes nothing.
import { recordCard } from "~/cards/certificates.server";
import type { CertificateStatus } from "~/generated/prisma/client";
import { prisma } from "~/lib/db.server";
import { disconnectAll } from "~/lib/shutdown.server";
import { createTestIssuer, issueCardCertificate } from "../test/factories/certificates";
import { nationalIdWithCheckDigit } from "../test/factories/national-ids";

const DAY = 24 * 3600 * 1000;
const now = Date.now();
const yearsBefore = (end: number, years: number) => {
  const d = new Date(end);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d;
};

/** Each demo card: its 5- or 8-year end relative to today, and the certificate status. */
const demoCards: Array<{
  cardNumber: string; idPrefix: string; name: string; finalEnd: number; extended: boolean; status: CertificateStatus; note: string;
}> = [
  { cardNumber: "TP03120111000001", idPrefix: "A12345678", name: "王小明", finalEnd: now + 400 * DAY, extended: true, status: "VALID", note: "too early (code 45)" },
  { cardNumber: "TP03120111000002", idPrefix: "B22345678", name: "陳美玲", finalEnd: now + 30 * DAY, extended: true, status: "VALID", note: "in the 60-day window" },
  { cardNumber: "TP03120111000003", idPrefix: "F12987654", name: "林志豪", finalEnd: now - 90 * DAY, extended: true, status: "EXPIRED", note: "expired, within the year after" },
  { cardNumber: "TP03120111000004", idPrefix: "H22456789", name: "張淑芬", finalEnd: now - 800 * DAY, extended: true, status: "EXPIRED", note: "expired beyond the window" },
  { cardNumber: "TP03120111000005", idPrefix: "E12233445", name: "李建宏", finalEnd: now + 20 * DAY, extended: false, status: "VALID", note: "5-year card: extend instead" },
  { cardNumber: "TP03120111000006", idPrefix: "K22334455", name: "黃怡君", finalEnd: now + 25 * DAY, extended: true, status: "REVOKED", note: "revoked" },
  { cardNumber: "TP03120111000007", idPrefix: "M12556677", name: "吳家豪", finalEnd: now + 35 * DAY, extended: true, status: "SUSPENDED", note: "suspended" },
  { cardNumber: "TP03120111000008", idPrefix: "N22667788", name: "劉雅婷", finalEnd: now + 10 * DAY, extended: true, status: "VALID", note: "already reissued (old card)" },
  { cardNumber: "TP03120111000009", idPrefix: "N22667788", name: "劉雅婷", finalEnd: now + 5 * 365 * DAY, extended: false, status: "VALID", note: "already reissued (new card)" },
];

async function seed() {
  const existing = new Set(
    (await prisma.card.findMany({ where: { cardNumber: { in: demoCards.map((c) => c.cardNumber) } }, select: { cardNumber: true } }))
      .map((c) => c.cardNumber),
  );
  const missing = demoCards.filter((c) => !existing.has(c.cardNumber));
  if (missing.length === 0) {
    console.log("[seed] demo data already present");
    return;
  }
  const issuer = await createTestIssuer();
  for (const card of missing) {
    const nationalId = nationalIdWithCheckDigit(card.idPrefix);
    const notAfter = new Date(card.finalEnd);
    const notBefore = yearsBefore(card.finalEnd, card.extended ? 8 : 5);
    const certificates = [];
    for (const usage of ["SIGNING", "ENCRYPTION"] as const) {
      const { der } = await issueCardCertificate({ issuer, name: card.name, idLast4: nationalId.slice(-4), usage, notBefore, notAfter });
      certificates.push({ der, usage, status: card.status, extended: card.extended });
    }
    await recordCard({ holder: { nationalId, name: card.name }, cardNumber: card.cardNumber, certificates });
    console.log(`[seed] ${card.cardNumber} ${card.note}`);
  }
}

try {
  await seed();
} finally {
  await disconnectAll();
}
