-- CreateIndex
CREATE INDEX "reissue_order_applied_with_card_id_status_idx" ON "reissue_order"("applied_with_card_id", "status");
