-- AlterTable
ALTER TABLE "print_batch" ADD COLUMN     "lease_token" UUID;
