// Finance states for tests (and the end-to-end reconciliation): card payments as the Stripe webhook leaves them
// (with their PaymentIntent), the payments the Stripe fixture day expects, ATM transfers by the bank's callback,
// and bank files.
import { randomBytes } from "node:crypto";
import path from "node:path";
import { prisma } from "../../app/lib/db.server";
import { receiveBankTransfer } from "../../app/payments/bank-transfer.server";
import { BANK_FILE_HEADER } from "../../app/finance/bank-file.server";
import { ensureDemoBankFileKey, readPrivateKey, signBankFile } from "../../scripts/demo-partners/bank-file-signer";
import { createOrderFixture } from "./orders";

const HOUR = 3600_000;

/** A PAID order and its SUCCEEDED card payment at `paidAt` (status and outcome as settlePayment leaves them). */
export async function createCardPaymentFixture({ paidAt, amountNtd = 228, providerPaymentId = `pi_test_${randomBytes(8).toString("hex")}` }: {
  paidAt: Date;
  amountNtd?: number;
  /** Stripe's PaymentIntent; null for a payment recorded before PaymentIntents were kept. */
  providerPaymentId?: string | null;
}) {
  const { order } = await createOrderFixture({ status: "PAID", createdAt: new Date(paidAt.getTime() - HOUR), paidAt });
  const payment = await prisma.payment.create({
    data: {
      orderId: order.id, method: "CARD", provider: "stripe", providerReference: `cs_test_${randomBytes(12).toString("hex")}`,
      providerPaymentId, status: "SUCCEEDED", amountNtd, paidAt, outcome: "APPLIED",
    },
  });
  return { order, payment };
}

/** The Taipei day test/fixtures/stripe/balance-2026-11-23.json covers. */
export const STRIPE_FIXTURE_DAY = "2026-11-23";

/**
 * Our side of the fixture day: a payment its charge matches, one its charge disagrees with on the amount
 * (NT$228 here, NT$200 at Stripe), and one with no charge at all. The fixture also holds a charge nobody paid
 * (pi_fixture_stranger), a refund and a payout (stored, not matched), and charges just outside the day.
 */
export async function seedStripeFixtureDay() {
  return {
    matched: await createCardPaymentFixture({ paidAt: new Date("2026-11-23T10:00:05+08:00"), providerPaymentId: "pi_fixture_matched" }),
    mismatch: await createCardPaymentFixture({ paidAt: new Date("2026-11-23T11:30:02+08:00"), providerPaymentId: "pi_fixture_mismatch" }),
    missing: await createCardPaymentFixture({ paidAt: new Date("2026-11-23T15:00:00+08:00"), providerPaymentId: "pi_fixture_missing" }),
  };
}

let txnSequence = 0;
export const testBankTxnId = (prefix = "TXN") => `${prefix}-${process.pid}-${++txnSequence}-${randomBytes(3).toString("hex")}`;

/** An order paid by an ATM transfer the bank's callback reported (no file yet). */
export async function createAtmCallbackPayment({ paidAt, amountNtd = 228, bankTxnId = testBankTxnId("CB") }: { paidAt: Date; amountNtd?: number; bankTxnId?: string }) {
  const { order } = await createOrderFixture({ createdAt: new Date(paidAt.getTime() - HOUR) });
  const received = await prisma.$transaction((tx) =>
    receiveBankTransfer(tx, { bankTxnId, bankCode: order.atmBankCode, virtualAccount: order.virtualAccount, amountNtd, paidAt, source: "CALLBACK", receivedAt: paidAt }),
  );
  return { order, bankTxnId, received };
}

export interface BankFileRow {
  paidAt: string;
  bankCode: string;
  virtualAccount: string;
  amountNtd: number;
  bankTxnId: string;
}

/** A bank file as docs/bank-interfaces.md describes it. */
export function bankFileContent(rows: BankFileRow[]): Uint8Array {
  const lines = [BANK_FILE_HEADER, ...rows.map((r) => [r.paidAt, r.bankCode, r.virtualAccount, r.amountNtd, r.bankTxnId].join(","))];
  return new TextEncoder().encode(`${lines.join("\n")}\n`);
}

/** The bank's detached signature over `content`, with the key whose public half test/setup-file.ts configures. */
export function signBankFileForTest(content: Uint8Array): Uint8Array {
  const publicKeyFile = process.env.BANK_FILE_PUBLIC_KEY_FILE;
  if (!publicKeyFile) throw new Error("BANK_FILE_PUBLIC_KEY_FILE is set by test/setup-file.ts");
  const files = ensureDemoBankFileKey(path.dirname(publicKeyFile));
  return new TextEncoder().encode(signBankFile(content, readPrivateKey(files)));
}
