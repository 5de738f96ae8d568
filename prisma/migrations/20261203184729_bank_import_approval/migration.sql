-- AlterTable
ALTER TABLE "bank_import" ADD COLUMN     "applied_at" TIMESTAMPTZ(3),
ADD COLUMN     "decided_by" VARCHAR(64),
ADD COLUMN     "decision_reason" VARCHAR(500),
ADD COLUMN     "rejected_at" TIMESTAMPTZ(3),
ADD COLUMN     "signature_verified" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "pending_bank_transfer" (
    "import_id" UUID NOT NULL,
    "line" INTEGER NOT NULL,
    "bank_txn_id" VARCHAR(64) NOT NULL,
    "bank_code" CHAR(3) NOT NULL,
    "virtual_account" VARCHAR(16) NOT NULL,
    "amount_ntd" INTEGER NOT NULL,
    "paid_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "pending_bank_transfer_pkey" PRIMARY KEY ("import_id","line")
);

-- CreateIndex
CREATE INDEX "pending_bank_transfer_bank_txn_id_idx" ON "pending_bank_transfer"("bank_txn_id");

-- AddForeignKey
ALTER TABLE "pending_bank_transfer" ADD CONSTRAINT "pending_bank_transfer_import_id_fkey" FOREIGN KEY ("import_id") REFERENCES "bank_import"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Every file imported before signatures and approval were required was applied when it was imported.
UPDATE "bank_import" SET "applied_at" = "imported_at";

-- A file is applied or rejected, never both. A trigger, not a CHECK constraint: the offline schema engine
-- (scripts/migrate) panics describing CHECK constraints, as decision 006's activation counter found too.
CREATE FUNCTION bank_import_applied_or_rejected() RETURNS trigger AS $$
BEGIN
  IF NEW.applied_at IS NOT NULL AND NEW.rejected_at IS NOT NULL THEN
    RAISE EXCEPTION 'bank_import % is applied or rejected, never both', NEW.id USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER bank_import_applied_or_rejected
  BEFORE INSERT OR UPDATE OF applied_at, rejected_at ON bank_import
  FOR EACH ROW EXECUTE FUNCTION bank_import_applied_or_rejected();
