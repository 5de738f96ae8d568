// Demo data for `npm start`: holders whose cards are in each state the eligibility rules tell apart, issued by
// the local test CA (CARD_TEST_CA_DIR), each with its card file for the card simulator in
// <LOCAL_DATA_DIR or .data/dev>/cards/<card number>/card.json.
// Idempotent: a card number already present is left as it is, so a second start changes nothing.
import path from "node:path";
import { readCardFile, writeCardFile } from "~/cards/card-file";
import { issueCard, type IssuedCardStatus } from "~/cards/issue-card.server";
import { loadTestCa, type TestCa } from "~/cards/test-ca.server";
import { env } from "~/lib/env.server";
import { prisma } from "~/lib/db.server";
import { createStaffAccount } from "~/staff/staff-accounts.server";
import { settleDemoStaffPassword } from "~/staff/staff-password.server";
import { enrolStaffTotpForDemo } from "~/staff/totp.server";
import { disconnectAll } from "~/lib/shutdown.server";
import { x509 } from "~/lib/x509.server";
import { createAwaitingActivationFixture, TEST_USER_CODE } from "../test/factories/activation";
import { createOrderFixture } from "../test/factories/orders";
import { nationalIdWithCheckDigit } from "../test/factories/national-ids";

const DAY = 24 * 3600 * 1000;
const now = Date.now();
const cardsDir = path.resolve(import.meta.dirname, "..", process.env.LOCAL_DATA_DIR ?? ".data/dev", "cards");
const RESET_HINT = "to start over: npm run db:reset -- --force, then npm run db:seed (or npm start)";

/** Each demo card: its final end relative to today (8 years when extended, else 5) and the status asked for. */
const demoCards: Array<{
  cardNumber: string; idPrefix: string; name: string; finalEnd: number; extended: boolean; status: IssuedCardStatus; state: string;
}> = [
  { cardNumber: "TP03120111000001", idPrefix: "A12345678", name: "王小明", finalEnd: now + 400 * DAY, extended: true, status: "valid", state: "too early (code 45)" },
  { cardNumber: "TP03120111000002", idPrefix: "B22345678", name: "陳美玲", finalEnd: now + 30 * DAY, extended: true, status: "valid", state: "in the 60-day window" },
  { cardNumber: "TP03120111000003", idPrefix: "F12987654", name: "林志豪", finalEnd: now - 90 * DAY, extended: true, status: "valid", state: "expired, within the year after" },
  { cardNumber: "TP03120111000004", idPrefix: "H22456789", name: "張淑芬", finalEnd: now - 800 * DAY, extended: true, status: "valid", state: "expired beyond the window" },
  { cardNumber: "TP03120111000005", idPrefix: "E12233445", name: "李建宏", finalEnd: now + 20 * DAY, extended: false, status: "valid", state: "5-year card: extend instead" },
  { cardNumber: "TP03120111000006", idPrefix: "K22334455", name: "黃怡君", finalEnd: now + 25 * DAY, extended: true, status: "revoked", state: "revoked" },
  { cardNumber: "TP03120111000007", idPrefix: "M12556677", name: "吳家豪", finalEnd: now + 35 * DAY, extended: true, status: "suspended", state: "suspended" },
  { cardNumber: "TP03120111000008", idPrefix: "N22667788", name: "劉雅婷", finalEnd: now + 10 * DAY, extended: true, status: "valid", state: "already reissued (old card)" },
  { cardNumber: "TP03120111000009", idPrefix: "N22667788", name: "劉雅婷", finalEnd: now + 5 * 365 * DAY, extended: false, status: "valid", state: "already reissued (new card)" },
];

/** The issue date that gives `finalEnd`: 5 years before it, or 8 when extended (001). */
function issuedAtFor(finalEnd: number, extended: boolean): Date {
  const date = new Date(finalEnd);
  date.setUTCFullYear(date.getUTCFullYear() - (extended ? 8 : 5));
  return date;
}

/** An existing card's file, or why it cannot serve the simulator: the card's keys exist nowhere else. */
async function existingCardFile(cardNumber: string, ca: TestCa): Promise<{ pin: string } | { problem: string }> {
  let file;
  try {
    file = await readCardFile(path.join(cardsDir, cardNumber));
  } catch {
    return { problem: "its card file is missing or unreadable and cannot be re-created without the card's keys" };
  }
  const signing = new x509.X509Certificate(file.signing.certPem);
  const recorded = await prisma.certificate.findFirst({
    where: { card: { cardNumber }, usage: "SIGNING", serialNumber: signing.serialNumber.toLowerCase() },
  });
  if (!recorded) return { problem: "its card file holds other certificates than the database" };
  if (!(await signing.verify({ publicKey: ca.issuing, signatureOnly: true }))) {
    return { problem: `its certificates were issued by another test CA than the one in ${ca.dir}` };
  }
  return { pin: file.pin };
}

/** New cards in the post, waiting for activation (002 開卡) with the user code chosen at application. */
const demoNewCards = [
  { cardNumber: "TP90000000000001", idPrefix: "Q22112233", name: "周雅琪", locked: false, state: `mailed, activate with user code ${TEST_USER_CODE}` },
  { cardNumber: "TP90000000000002", idPrefix: "R12334455", name: "蔡明哲", locked: true, state: "mailed, activation locked (4 wrong codes)" },
];

const existingNewCards = (rows: Array<{ cardNumber: string }>) => new Set(rows.map((r) => r.cardNumber));

async function seedAwaitingActivation(existing: Set<string>): Promise<string[][]> {
  const rows: string[][] = [];
  for (const demo of demoNewCards) {
    if (!existing.has(demo.cardNumber)) {
      const fixture = await createAwaitingActivationFixture({
        cardNumber: demo.cardNumber, holderName: demo.name, nationalId: nationalIdWithCheckDigit(demo.idPrefix),
      });
      if (demo.locked) {
        await prisma.reissueOrder.update({ where: { id: fixture.order.id }, data: { activationFailures: 4, activationLockedAt: new Date() } });
      }
      await writeCardFile(path.join(cardsDir, demo.cardNumber), fixture.cardFile);
    }
    rows.push([demo.cardNumber, demo.state, "123456"]);
  }
  return rows;
}

/**
 * Development only: one account per role, with a password the README gives and an authenticator already
 * enrolled with a known secret (`npm run staff:create -- --print-code demo.support` prints the current code).
 */
const DEMO_STAFF_PASSWORD = "demo-staff-password";
const DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const demoStaff = [
  { username: "demo.support", displayName: "客服示範帳號", roles: ["SUPPORT" as const] },
  { username: "demo.registrar", displayName: "戶所示範帳號", roles: ["REGISTRAR" as const] },
  { username: "demo.finance", displayName: "財務示範帳號", roles: ["FINANCE" as const] },
  { username: "demo.admin", displayName: "管理示範帳號", roles: ["ADMIN" as const] },
];

async function seedDemoStaff(): Promise<void> {
  if (env().NODE_ENV === "production") return;
  const existing = new Map((await prisma.staffAccount.findMany({ select: { username: true, totpEnabledAt: true } })).map((s) => [s.username, s]));
  for (const demo of demoStaff) {
    const account = existing.get(demo.username);
    if (!account) await createStaffAccount({ ...demo, password: DEMO_STAFF_PASSWORD });
    if (!account?.totpEnabledAt) await enrolStaffTotpForDemo(demo.username, DEMO_TOTP_SECRET);
    // Issue 13: a password someone else chose must be changed at first sign-in — except these, whose password the
    // README prints for everyone (development only, like the accounts themselves).
    await settleDemoStaffPassword(demo.username);
  }
  console.log(`[seed] staff: ${demoStaff.map((s) => `${s.username} (${s.roles.join(", ").toLowerCase()})`).join(", ")}; password ${DEMO_STAFF_PASSWORD}, authenticator secret ${DEMO_TOTP_SECRET} (or npm run staff:create -- --print-code <username>) — /staff`);
}

/**
 * A month of finished orders with their payments (card and ATM), so the finance pages have days to show. Card
 * payments carry made-up Stripe references: without Stripe test keys nothing can reconcile them locally.
 */
async function seedDemoPayments(): Promise<void> {
  if (await prisma.payment.count({ where: { provider: "demo-seed" } }) > 0) return;
  let made = 0;
  for (let daysAgo = 30; daysAgo >= 1; daysAgo--) {
    const perDay = 1 + ((daysAgo * 7) % 4);
    for (let i = 0; i < perDay; i++) {
      const createdAt = new Date(now - daysAgo * DAY + i * 3_600_000);
      const paidAt = new Date(createdAt.getTime() + 40 * 60_000);
      const { order } = await createOrderFixture({ status: "ACTIVATED", createdAt, paidAt, holderName: "示範用戶" });
      const method = (daysAgo + i) % 3 === 0 ? "ATM" : "CARD";
      await prisma.payment.create({
        data: {
          orderId: order.id, method, amountNtd: order.amountNtd, status: "SUCCEEDED", outcome: "APPLIED", paidAt,
          provider: "demo-seed", providerReference: `demo-${order.orderNumber}`,
        },
      });
      made++;
    }
  }
  console.log(`[seed] ${made} finished demo orders with payments over the last 30 days (finance pages)`);
}

async function seed() {
  const ca = await loadTestCa();
  const existing = new Set(
    (await prisma.card.findMany({ where: { cardNumber: { in: demoCards.map((c) => c.cardNumber) } }, select: { cardNumber: true } }))
      .map((c) => c.cardNumber),
  );
  const rows: string[][] = [];
  const warnings: string[] = [];
  for (const demo of demoCards) {
    if (existing.has(demo.cardNumber)) {
      const file = await existingCardFile(demo.cardNumber, ca);
      if ("problem" in file) warnings.push(`${demo.cardNumber}: ${file.problem}`);
      rows.push([demo.cardNumber, demo.state, "pin" in file ? file.pin : "?"]);
      continue;
    }
    const card = await issueCard(
      {
        nationalId: nationalIdWithCheckDigit(demo.idPrefix),
        name: demo.name,
        issuedAt: issuedAtFor(demo.finalEnd, demo.extended),
        extended: demo.extended,
        status: demo.status,
        cardNumber: demo.cardNumber,
      },
      { ca },
    );
    await writeCardFile(path.join(cardsDir, demo.cardNumber), card.file);
    rows.push([demo.cardNumber, demo.state, card.file.pin]);
  }

  rows.push(...(await seedAwaitingActivation(existingNewCards(await prisma.card.findMany({
    where: { cardNumber: { in: demoNewCards.map((c) => c.cardNumber) } }, select: { cardNumber: true },
  })))));

  const widths = [16, Math.max(...rows.map((r) => r[1]!.length)), 3];
  const line = (cells: string[]) => `[seed] ${cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()}`;
  console.log(line(["card number", "state", "PIN"]));
  for (const row of rows) console.log(line(row));
  const created = demoCards.length - existing.size;
  console.log(
    created === 0
      ? `[seed] demo data already present; card files in ${cardsDir}`
      : `[seed] ${created} demo card(s) recorded; card files in ${cardsDir}`,
  );
  await seedDemoStaff();
  await seedDemoPayments();
  for (const warning of warnings) console.warn(`[seed] warning: card ${warning}; ${RESET_HINT}`);
}

try {
  await seed();
} finally {
  await disconnectAll();
}
