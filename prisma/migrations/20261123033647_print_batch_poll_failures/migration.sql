-- AlterTable
ALTER TABLE "print_batch" ADD COLUMN     "poll_failures" INTEGER NOT NULL DEFAULT 0;
