-- AlterTable
ALTER TABLE "reissue_order" ADD COLUMN     "activation_lock_lifts" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "staff_account" ADD COLUMN     "password_change_required" BOOLEAN NOT NULL DEFAULT true,
ADD COLUMN     "password_changed_at" TIMESTAMPTZ(3),
ADD COLUMN     "password_reset_expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "password_reset_hash" CHAR(64);
