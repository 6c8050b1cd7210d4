-- AlterTable
ALTER TABLE "waits" ADD COLUMN     "previous_attempt" INTEGER,
ADD COLUMN     "previous_payload" JSONB,
ADD COLUMN     "previous_payload_hash" CHAR(64);
