-- CreateEnum
CREATE TYPE "StaffRole" AS ENUM ('SUPPORT', 'REGISTRAR', 'FINANCE', 'ADMIN');

-- AlterTable
ALTER TABLE "reissue_application" ADD COLUMN     "user_code_reset_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "reissue_order" ADD COLUMN     "activated_at" TIMESTAMPTZ(3),
ADD COLUMN     "activation_failures" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "activation_locked_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "staff_account" (
    "id" UUID NOT NULL,
    "username" VARCHAR(64) NOT NULL,
    "display_name" VARCHAR(100) NOT NULL,
    "password_hash" VARCHAR(255) NOT NULL,
    "roles" "StaffRole"[],
    "failed_sign_ins" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "disabled_at" TIMESTAMPTZ(3),
    "last_sign_in_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "staff_account_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "staff_account_username_key" ON "staff_account"("username");

-- 002: 4 wrong user codes lock activation. The counter is reserved before the slow hash check and never passes 4;
-- the database refuses anything else, whatever a bug in the application tries. A trigger rather than a CHECK
-- constraint: Prisma's schema engine (wasm build) panics when it introspects CHECK constraints.
CREATE FUNCTION reissue_order_activation_failures_range() RETURNS trigger AS $$
BEGIN
  IF NEW.activation_failures < 0 OR NEW.activation_failures > 4 THEN
    RAISE EXCEPTION 'activation_failures must be between 0 and 4, not %', NEW.activation_failures USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER reissue_order_activation_failures_range
  BEFORE INSERT OR UPDATE OF activation_failures ON reissue_order
  FOR EACH ROW EXECUTE FUNCTION reissue_order_activation_failures_range();
