-- CreateEnum
CREATE TYPE "wait_kind" AS ENUM ('gate', 'human');

-- CreateEnum
CREATE TYPE "wait_status" AS ENUM ('open', 'resolved', 'cancelled');

-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "tokens_used" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "steps" ADD COLUMN     "meta" JSONB;

-- CreateTable
CREATE TABLE "waits" (
    "run_id" TEXT NOT NULL,
    "node_id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "kind" "wait_kind" NOT NULL,
    "status" "wait_status" NOT NULL DEFAULT 'open',
    "attempt" INTEGER NOT NULL,
    "payload" JSONB NOT NULL,
    "payload_hash" CHAR(64) NOT NULL,
    "request" JSONB NOT NULL,
    "state" JSONB NOT NULL DEFAULT '{}',
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),

    CONSTRAINT "waits_pkey" PRIMARY KEY ("run_id","node_id")
);

-- CreateIndex
CREATE INDEX "waits_workspace_id_status_created_at_idx" ON "waits"("workspace_id", "status", "created_at");

-- CreateIndex
CREATE INDEX "waits_status_expires_at_idx" ON "waits"("status", "expires_at");

-- Waits belong to their run like steps (no foreign key, for the same reason): the run's delete
-- trigger takes them along.
CREATE OR REPLACE FUNCTION "runs_delete_children"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "steps" WHERE "run_id" IN (SELECT "id" FROM "deleted_runs");
  DELETE FROM "waits" WHERE "run_id" IN (SELECT "id" FROM "deleted_runs");
  DELETE FROM "events" WHERE "run_id" IN (SELECT "id" FROM "deleted_runs");
  RETURN NULL;
END;
$$;
