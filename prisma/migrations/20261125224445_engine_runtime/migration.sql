-- DropForeignKey
ALTER TABLE "steps" DROP CONSTRAINT "steps_run_id_fkey";

-- DropForeignKey
ALTER TABLE "events" DROP CONSTRAINT "events_workspace_id_fkey";

-- DropForeignKey
ALTER TABLE "events" DROP CONSTRAINT "events_run_id_fkey";

-- DropIndex
DROP INDEX "runs_status_idx";

-- DropIndex
DROP INDEX "steps_status_available_at_idx";

-- DropIndex
DROP INDEX "steps_status_lease_expires_at_idx";

-- AlterTable
ALTER TABLE "runs" ADD COLUMN     "last_hash" CHAR(64) NOT NULL DEFAULT '0000000000000000000000000000000000000000000000000000000000000000';

-- AlterTable
ALTER TABLE "steps" ADD COLUMN     "lease_token" TEXT,
ADD COLUMN     "ports" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- ---------------------------------------------------------------------------------------------
-- Hand-written: what schema.prisma cannot express.
-- ---------------------------------------------------------------------------------------------

-- Runs that existed before last_hash: their chain head is the hash of their last event.
UPDATE "runs" r SET "last_hash" = e."hash" FROM "events" e WHERE e."run_id" = r."id" AND e."seq" = r."last_seq";

-- Claiming and lease recovery only ever look at ready and running steps; partial indexes keep the
-- (many) finished steps out of them, so completing a step pays for no index on its status.
CREATE INDEX "steps_ready_available_at_idx" ON "steps"("available_at") WHERE "status" = 'ready';
CREATE INDEX "steps_running_lease_expires_at_idx" ON "steps"("lease_expires_at") WHERE "status" = 'running';

-- Unfinished runs (for operators and the stall detector); finished ones stay out of the index.
CREATE INDEX "runs_unfinished_status_idx" ON "runs"("status") WHERE "status" IN ('pending', 'running', 'waiting');

-- Steps and events carry no foreign keys (their per-row checks were a third of a run's commit
-- time); these triggers keep the cascade the keys gave: a deleted run takes its steps and events
-- along, a deleted workspace its own event chain (its runs cascade through the rule above).
CREATE FUNCTION "runs_delete_children"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "steps" WHERE "run_id" IN (SELECT "id" FROM "deleted_runs");
  DELETE FROM "events" WHERE "run_id" IN (SELECT "id" FROM "deleted_runs");
  RETURN NULL;
END;
$$;

CREATE TRIGGER "runs_cascade_children"
  AFTER DELETE ON "runs"
  REFERENCING OLD TABLE AS "deleted_runs"
  FOR EACH STATEMENT EXECUTE FUNCTION "runs_delete_children"();

CREATE FUNCTION "workspaces_delete_events"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "events" WHERE "workspace_id" IN (SELECT "id" FROM "deleted_workspaces");
  RETURN NULL;
END;
$$;

CREATE TRIGGER "workspaces_cascade_events"
  AFTER DELETE ON "workspaces"
  REFERENCING OLD TABLE AS "deleted_workspaces"
  FOR EACH STATEMENT EXECUTE FUNCTION "workspaces_delete_events"();

-- A newly published version tells every process (webhook routes cache the latest version per
-- workflow). Delivered after commit, as NOTIFY always is.
CREATE FUNCTION "workflow_versions_notify"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('sluice_versions', NEW."workflow_id");
  RETURN NULL;
END;
$$;

CREATE TRIGGER "workflow_versions_published"
  AFTER INSERT ON "workflow_versions"
  FOR EACH ROW EXECUTE FUNCTION "workflow_versions_notify"();
