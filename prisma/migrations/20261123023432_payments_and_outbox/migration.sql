/*
  Warnings:

  - A unique constraint covering the columns `[virtual_account]` on the table `reissue_order` will be added. If there are existing duplicate values, this will fail.
  - Added the required column `atm_bank_code` to the `reissue_order` table without a default value. This is not possible if the table is not empty.
  - Added the required column `virtual_account` to the `reissue_order` table without a default value. This is not possible if the table is not empty.

*/
-- CreateEnum
CREATE TYPE "PaymentOutcome" AS ENUM ('APPLIED', 'LATE_PAYMENT', 'WRONG_AMOUNT', 'DUPLICATE_PAYMENT');

-- CreateEnum
CREATE TYPE "FinanceExceptionKind" AS ENUM ('LATE_PAYMENT', 'WRONG_AMOUNT', 'DUPLICATE_PAYMENT', 'UNMATCHED_TRANSFER');

-- CreateEnum
CREATE TYPE "BankTransferSource" AS ENUM ('CALLBACK', 'FILE');

-- CreateEnum
CREATE TYPE "OutboxMailKind" AS ENUM ('PAID');

-- CreateEnum
CREATE TYPE "OutboxMailStatus" AS ENUM ('PENDING', 'SENT');

-- AlterEnum
ALTER TYPE "PaymentStatus" ADD VALUE 'EXPIRED';

-- AlterTable
ALTER TABLE "payment" ADD COLUMN     "outcome" "PaymentOutcome";

-- AlterTable
ALTER TABLE "reissue_order" ADD COLUMN     "atm_bank_code" CHAR(3) NOT NULL,
ADD COLUMN     "virtual_account" VARCHAR(16) NOT NULL;

-- CreateTable
CREATE TABLE "provider_event" (
    "provider" VARCHAR(32) NOT NULL,
    "event_id" VARCHAR(255) NOT NULL,
    "type" VARCHAR(100) NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "provider_event_pkey" PRIMARY KEY ("provider","event_id")
);

-- CreateTable
CREATE TABLE "bank_transfer" (
    "id" UUID NOT NULL,
    "bank_txn_id" VARCHAR(64) NOT NULL,
    "bank_code" CHAR(3) NOT NULL,
    "virtual_account" VARCHAR(16) NOT NULL,
    "amount_ntd" INTEGER NOT NULL,
    "paid_at" TIMESTAMPTZ(3) NOT NULL,
    "source" "BankTransferSource" NOT NULL,
    "import_id" UUID,
    "order_id" UUID,
    "payment_id" UUID,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bank_transfer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bank_import" (
    "id" UUID NOT NULL,
    "file_name" VARCHAR(255) NOT NULL,
    "file_sha256" CHAR(64) NOT NULL,
    "line_count" INTEGER NOT NULL,
    "new_transfers" INTEGER NOT NULL,
    "duplicates" INTEGER NOT NULL,
    "exceptions" INTEGER NOT NULL,
    "imported_by" VARCHAR(64) NOT NULL,
    "imported_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bank_import_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "finance_exception" (
    "id" UUID NOT NULL,
    "kind" "FinanceExceptionKind" NOT NULL,
    "method" "PaymentMethod" NOT NULL,
    "amount_ntd" INTEGER NOT NULL,
    "paid_at" TIMESTAMPTZ(3) NOT NULL,
    "order_id" UUID,
    "payment_id" UUID,
    "bank_transfer_id" UUID,
    "detail" VARCHAR(500) NOT NULL,
    "detected_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by" VARCHAR(64),
    "resolution" VARCHAR(32),

    CONSTRAINT "finance_exception_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "mail_outbox" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "kind" "OutboxMailKind" NOT NULL,
    "status" "OutboxMailStatus" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_error" VARCHAR(500),
    "message_id" VARCHAR(255),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),

    CONSTRAINT "mail_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "bank_transfer_bank_txn_id_key" ON "bank_transfer"("bank_txn_id");

-- CreateIndex
CREATE UNIQUE INDEX "bank_transfer_payment_id_key" ON "bank_transfer"("payment_id");

-- CreateIndex
CREATE INDEX "bank_transfer_virtual_account_idx" ON "bank_transfer"("virtual_account");

-- CreateIndex
CREATE INDEX "bank_transfer_paid_at_idx" ON "bank_transfer"("paid_at");

-- CreateIndex
CREATE INDEX "bank_import_imported_at_idx" ON "bank_import"("imported_at");

-- CreateIndex
CREATE UNIQUE INDEX "finance_exception_payment_id_key" ON "finance_exception"("payment_id");

-- CreateIndex
CREATE UNIQUE INDEX "finance_exception_bank_transfer_id_key" ON "finance_exception"("bank_transfer_id");

-- CreateIndex
CREATE INDEX "finance_exception_resolved_at_detected_at_idx" ON "finance_exception"("resolved_at", "detected_at");

-- CreateIndex
CREATE INDEX "finance_exception_order_id_idx" ON "finance_exception"("order_id");

-- CreateIndex
CREATE INDEX "mail_outbox_status_next_attempt_at_idx" ON "mail_outbox"("status", "next_attempt_at");

-- CreateIndex
CREATE UNIQUE INDEX "mail_outbox_order_id_kind_key" ON "mail_outbox"("order_id", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "reissue_order_virtual_account_key" ON "reissue_order"("virtual_account");

-- AddForeignKey
ALTER TABLE "bank_transfer" ADD CONSTRAINT "bank_transfer_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "bank_import"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bank_transfer" ADD CONSTRAINT "bank_transfer_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "reissue_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "bank_transfer" ADD CONSTRAINT "bank_transfer_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finance_exception" ADD CONSTRAINT "finance_exception_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "reissue_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finance_exception" ADD CONSTRAINT "finance_exception_payment_id_fkey" FOREIGN KEY ("payment_id") REFERENCES "payment"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "finance_exception" ADD CONSTRAINT "finance_exception_bank_transfer_id_fkey" FOREIGN KEY ("bank_transfer_id") REFERENCES "bank_transfer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "mail_outbox" ADD CONSTRAINT "mail_outbox_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "reissue_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
