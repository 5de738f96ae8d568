// Orders for tests, written straight to the database: a holder and card (no certificates — orders don't read
// them), an order in any status with its application, and an eligible card for tests that go through the rules.
import { randomBytes } from "node:crypto";
import type { ReissueOrderStatus } from "../../app/generated/prisma/client";
import { recordCard } from "../../app/cards/certificates.server";
import { addCalendarYears, addExactDays } from "../../app/eligibility/rules";
import { isOutlyingIslandPostcode } from "../../app/fulfilment/outlying-islands";
import { hashUserCode } from "../../app/activation/user-code.server";
import { prisma } from "../../app/lib/db.server";
import { newOrderNumber } from "../../app/orders/order-number";
import { paymentDeadline as deadlineAfter, reissueFees } from "../../app/orders/pricing";
import { newVirtualAccount } from "../../app/payments/virtual-account";
import { createTestIssuer, issueCardCertificate, recordOnlyKeys } from "./certificates";
import { nationalIdWithCheckDigit } from "./national-ids";

let sequence = 0;
const unique = () => `${process.pid % 1000}${++sequence}${randomBytes(2).readUInt16BE() % 1000}`.slice(-7).padStart(7, "0");

export const TEST_USER_CODE = "Moica#2026";
let userCodeHash: Promise<string> | undefined;
/** One real scrypt hash of TEST_USER_CODE per file (hashing is deliberately slow). */
export const testUserCodeHash = () => (userCodeHash ??= hashUserCode(TEST_USER_CODE));

export function testApplication(overrides: Partial<{ mobile: string; email: string; postcode: string; address: string }> = {}) {
  return {
    mobile: "0912345678",
    email: "applicant@example.tw",
    postcode: "100",
    address: "臺北市中正區重慶南路一段 122 號",
    ...overrides,
  };
}

export async function createHolderAndCard(name = "王小明") {
  const id = unique();
  const holder = await prisma.holder.create({
    data: { nationalIdHash: randomBytes(32).toString("hex"), nationalIdLast4: id.slice(-4), name },
  });
  const card = await prisma.card.create({ data: { cardNumber: `TP${randomBytes(8).readBigUInt64BE(0).toString().slice(0, 14).padStart(14, "0")}`, holderId: holder.id } });
  return { holder, card };
}

let orderSequence = randomBytes(2).readUInt16BE();

export interface OrderFixtureOptions {
  status?: ReissueOrderStatus;
  createdAt?: Date;
  paymentDeadline?: Date;
  withApplication?: boolean;
  application?: Parameters<typeof testApplication>[0];
  /** Default 王小明. */
  holderName?: string;
  /** An existing holder and the card the order is applied with (default: a new holder and card). */
  appliedWith?: { holderId: string; cardId: string };
  /** Set for PAID and later statuses (default: createdAt + 1 hour). */
  paidAt?: Date;
}

/** An order as createReissueOrder would leave it (without the eligibility check or the deletion job). */
export async function createOrderFixture(options: OrderFixtureOptions = {}) {
  const createdAt = options.createdAt ?? new Date();
  const { holder, card } = options.appliedWith
    ? {
        holder: await prisma.holder.findUniqueOrThrow({ where: { id: options.appliedWith.holderId } }),
        card: await prisma.card.findUniqueOrThrow({ where: { id: options.appliedWith.cardId } }),
      }
    : await createHolderAndCard(options.holderName);
  const status = options.status ?? "AWAITING_PAYMENT";
  const paid = !["AWAITING_PAYMENT", "DELETED_UNPAID"].includes(status);
  const fees = reissueFees();
  const application = testApplication(options.application);
  const order = await prisma.reissueOrder.create({
    data: {
      // Sequential rather than random digits: a file making thousands of orders in one day never collides.
      orderNumber: newOrderNumber(createdAt, () => ((orderSequence++ % 100_000) + 0.5) / 100_000),
      holderId: holder.id,
      appliedWithCardId: card.id,
      status,
      paidAt: paid ? (options.paidAt ?? new Date(createdAt.getTime() + 3600_000)) : null,
      cardFeeNtd: fees.cardNtd,
      postageFeeNtd: fees.postageNtd,
      amountNtd: fees.totalNtd,
      paymentDeadline: options.paymentDeadline ?? deadlineAfter(createdAt),
      atmBankCode: "822",
      virtualAccount: newVirtualAccount("9528"),
      createdAt,
      ...(options.withApplication === false
        ? {}
        : {
            application: {
              create: { ...application, outlyingIsland: isOutlyingIslandPostcode(application.postcode), userCodeHash: await testUserCodeHash(), termsAcceptedAt: createdAt },
            },
          }),
    },
  });
  return { holder, card, order };
}

/** A holder with one extended (8-year) card ending `daysToEnd` days after `now`: inside the reissue window. */
export async function recordEligibleCard({ now = new Date(), daysToEnd = 30, name = "王小明" } = {}) {
  const issuer = await createTestIssuer();
  const notAfter = addExactDays(now, daysToEnd);
  const notBefore = addCalendarYears(notAfter, -8);
  const nationalId = nationalIdWithCheckDigit(`A1${unique().padStart(7, "0")}`);
  const certificates = [];
  for (const usage of ["SIGNING", "ENCRYPTION"] as const) {
    const issued = await issueCardCertificate({ issuer, name, idLast4: nationalId.slice(-4), usage, notBefore, notAfter, subjectKeys: await recordOnlyKeys() });
    certificates.push({ der: issued.der, usage, status: "VALID" as const, extended: true });
  }
  const cardNumber = `TP${randomBytes(8).readBigUInt64BE(0).toString().slice(0, 14).padStart(14, "0")}`;
  const { holder, card } = await recordCard({ holder: { nationalId, name }, cardNumber, certificates });
  return { holder, card, nationalId };
}
