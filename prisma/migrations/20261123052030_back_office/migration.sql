/*
  Warnings:

  - A unique constraint covering the columns `[stripe_balance_transaction_id]` on the table `finance_exception` will be added. If there are existing duplicate values, this will fail.

*/
-- CreateEnum
CREATE TYPE "ReconciliationSource" AS ENUM ('STRIPE', 'BANK_FILE');

-- AlterEnum
-- This migration adds more than one value to an enum.
-- With PostgreSQL versions 11 and earlier, this is not possible
-- in a single migration. This can be worked around by creating
-- multiple migrations, each migration adding only one value to
-- the enum.


ALTER TYPE "FinanceExceptionKind" ADD VALUE 'CARD_NOT_IN_STRIPE';
ALTER TYPE "FinanceExceptionKind" ADD VALUE 'STRIPE_CHARGE_UNMATCHED';
ALTER TYPE "FinanceExceptionKind" ADD VALUE 'STRIPE_AMOUNT_MISMATCH';
ALTER TYPE "FinanceExceptionKind" ADD VALUE 'TRANSFER_NOT_IN_BANK_FILE';

-- AlterTable
ALTER TABLE "finance_exception" ADD COLUMN     "reconciliation_run_id" UUID,
ADD COLUMN     "resolution_note" VARCHAR(500),
ADD COLUMN     "stripe_balance_transaction_id" VARCHAR(64);

-- AlterTable
ALTER TABLE "mail_outbox" ADD COLUMN     "resends" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "payment" ADD COLUMN     "provider_payment_id" VARCHAR(255);

-- AlterTable
ALTER TABLE "staff_account" ADD COLUMN     "totp_enabled_at" TIMESTAMPTZ(3),
ADD COLUMN     "totp_last_step" BIGINT,
ADD COLUMN     "totp_secret_enc" VARCHAR(255);

-- CreateTable
CREATE TABLE "support_note" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "author_id" UUID NOT NULL,
    "body" VARCHAR(2000) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "support_note_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reconciliation_run" (
    "id" UUID NOT NULL,
    "source" "ReconciliationSource" NOT NULL,
    "day" DATE NOT NULL,
    "started_by" VARCHAR(64) NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    "matched" INTEGER NOT NULL DEFAULT 0,
    "exceptions" INTEGER NOT NULL DEFAULT 0,
    "matched_ntd" INTEGER NOT NULL DEFAULT 0,
    "fee_ntd" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "reconciliation_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "stripe_balance_transaction" (
    "id" VARCHAR(64) NOT NULL,
    "type" VARCHAR(32) NOT NULL,
    "amount_ntd" INTEGER NOT NULL,
    "fee_ntd" INTEGER NOT NULL,
    "net_ntd" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "available_on" TIMESTAMPTZ(3) NOT NULL,
    "charge_id" VARCHAR(64),
    "payment_intent_id" VARCHAR(64),
    "payment_id" UUID,
    "run_id" UUID NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stripe_balance_transaction_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "support_note_order_id_created_at_idx" ON "support_note"("order_id", "created_at");

-- CreateIndex
CREATE INDEX "reconciliation_run_source_day_started_at_idx" ON "reconciliation_run"("source", "day", "started_at");

-- CreateIndex
CREATE UNIQUE INDEX "stripe_balance_transaction_payment_id_key" ON "stripe_balance_transaction"("payment_id");

-- CreateIndex
CREATE INDEX "stripe_balance_transaction_created_at_idx" ON "stripe_balance_transaction"("created_at");

-- CreateIndex
CREATE INDEX "stripe_balance_transaction_payment_intent_id_idx" ON "stripe_balance_transaction"("payment_intent_id");

-- CreateIndex
CREATE UNIQUE INDEX "finance_exception_stripe_balance_transaction_id_key" ON "finance_exception"("stripe_balance_transaction_id");

-- CreateIndex
CREATE INDEX "payment_method_paid_at_idx" ON "payment"("method", "paid_at");

-- CreateIndex
CREATE INDEX "payment_provider_payment_id_idx" ON "payment"("provider_payment_id");

-- AddForeignKey
ALTER TABLE "finance_exception" ADD CONSTRAINT "finance_exception_stripe_balance_transaction_id_fkey" FOREIGN KEY ("stripe_balance_transaction_id") REFERENCES "stripe_balance_transaction"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finance_exception" ADD CONSTRAINT "finance_exception_reconciliation_run_id_fkey" FOREIGN KEY ("reconciliation_run_id") REFERENCES "reconciliation_run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "support_note" ADD CONSTRAINT "support_note_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "reissue_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "support_note" ADD CONSTRAINT "support_note_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "staff_account"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "stripe_balance_transaction" ADD CONSTRAINT "stripe_balance_transaction_run_id_fkey" FOREIGN KEY ("run_id") REFERENCES "reconciliation_run"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
