-- AlterTable
ALTER TABLE "bank_import" ADD COLUMN     "latest_paid_at" TIMESTAMPTZ(3);
