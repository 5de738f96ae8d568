/*
  Warnings:

  - A unique constraint covering the columns `[public_key_sha256]` on the table `certificate` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "certificate" ADD COLUMN     "public_key_sha256" CHAR(64);

-- CreateIndex
CREATE UNIQUE INDEX "certificate_public_key_sha256_key" ON "certificate"("public_key_sha256");
