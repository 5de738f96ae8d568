-- CreateEnum
CREATE TYPE "PrintBatchStatus" AS ENUM ('ASSEMBLED', 'SUBMITTED', 'COMPLETED', 'FAILED');

-- CreateEnum
CREATE TYPE "PrintItemStatus" AS ENUM ('QUEUED', 'SUBMITTED', 'CERTIFICATES_ISSUED', 'CERTIFICATES_DELIVERED', 'DISPATCHED', 'REJECTED');

-- CreateEnum
CREATE TYPE "TrackingStatus" AS ENUM ('ACCEPTED', 'IN_TRANSIT', 'DELIVERED', 'RETURNED');

-- CreateEnum
CREATE TYPE "SupportCaseKind" AS ENUM ('PRINT_REJECTED', 'PRINT_VENDOR_ERROR', 'MAIL_RETURNED', 'DELIVERED_NOT_RECEIVED');

-- AlterEnum
ALTER TYPE "OutboxMailKind" ADD VALUE 'MAILED';

-- CreateTable
CREATE TABLE "print_batch" (
    "id" UUID NOT NULL,
    "batch_number" VARCHAR(32) NOT NULL,
    "status" "PrintBatchStatus" NOT NULL DEFAULT 'ASSEMBLED',
    "item_count" INTEGER NOT NULL,
    "submit_attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" VARCHAR(500),
    "next_action_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "submitted_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "print_batch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "print_item" (
    "id" UUID NOT NULL,
    "batch_id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "status" "PrintItemStatus" NOT NULL DEFAULT 'QUEUED',
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "valid_until" TIMESTAMPTZ(3) NOT NULL,
    "card_number" VARCHAR(16),
    "rejection_code" VARCHAR(64),
    "rejection_reason" VARCHAR(500),
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "print_item_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "registered_mail" (
    "id" UUID NOT NULL,
    "order_id" UUID NOT NULL,
    "mail_number" VARCHAR(32) NOT NULL,
    "dispatched_at" TIMESTAMPTZ(3) NOT NULL,
    "estimated_from" DATE NOT NULL,
    "estimated_to" DATE NOT NULL,
    "status" "TrackingStatus" NOT NULL DEFAULT 'ACCEPTED',
    "status_at" TIMESTAMPTZ(3) NOT NULL,
    "next_poll_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_polled_at" TIMESTAMPTZ(3),
    "poll_failures" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "registered_mail_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "tracking_event" (
    "id" UUID NOT NULL,
    "registered_mail_id" UUID NOT NULL,
    "status" "TrackingStatus" NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "office" VARCHAR(100),
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "tracking_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "support_case" (
    "id" UUID NOT NULL,
    "kind" "SupportCaseKind" NOT NULL,
    "dedupe_key" VARCHAR(120) NOT NULL,
    "order_id" UUID,
    "batch_id" UUID,
    "reason" VARCHAR(500) NOT NULL,
    "opened_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "opened_by" VARCHAR(64) NOT NULL,
    "resolved_at" TIMESTAMPTZ(3),
    "resolved_by" VARCHAR(64),
    "resolution" VARCHAR(500),

    CONSTRAINT "support_case_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "print_batch_batch_number_key" ON "print_batch"("batch_number");

-- CreateIndex
CREATE INDEX "print_batch_status_next_action_at_idx" ON "print_batch"("status", "next_action_at");

-- CreateIndex
CREATE UNIQUE INDEX "print_item_order_id_key" ON "print_item"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "print_item_card_number_key" ON "print_item"("card_number");

-- CreateIndex
CREATE INDEX "print_item_batch_id_status_idx" ON "print_item"("batch_id", "status");

-- CreateIndex
CREATE UNIQUE INDEX "print_item_batch_id_position_key" ON "print_item"("batch_id", "position");

-- CreateIndex
CREATE UNIQUE INDEX "registered_mail_order_id_key" ON "registered_mail"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "registered_mail_mail_number_key" ON "registered_mail"("mail_number");

-- CreateIndex
CREATE INDEX "registered_mail_status_next_poll_at_idx" ON "registered_mail"("status", "next_poll_at");

-- CreateIndex
CREATE UNIQUE INDEX "tracking_event_registered_mail_id_status_occurred_at_key" ON "tracking_event"("registered_mail_id", "status", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "support_case_dedupe_key_key" ON "support_case"("dedupe_key");

-- CreateIndex
CREATE INDEX "support_case_resolved_at_opened_at_idx" ON "support_case"("resolved_at", "opened_at");

-- CreateIndex
CREATE INDEX "support_case_order_id_idx" ON "support_case"("order_id");

-- AddForeignKey
ALTER TABLE "print_item" ADD CONSTRAINT "print_item_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "print_batch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "print_item" ADD CONSTRAINT "print_item_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "reissue_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "registered_mail" ADD CONSTRAINT "registered_mail_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "reissue_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "tracking_event" ADD CONSTRAINT "tracking_event_registered_mail_id_fkey" FOREIGN KEY ("registered_mail_id") REFERENCES "registered_mail"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "support_case" ADD CONSTRAINT "support_case_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "reissue_order"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "support_case" ADD CONSTRAINT "support_case_batch_id_fkey" FOREIGN KEY ("batch_id") REFERENCES "print_batch"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
