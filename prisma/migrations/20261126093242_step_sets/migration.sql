-- CreateTable
CREATE TABLE "step_sets" (
    "run_id" TEXT NOT NULL,
    "steps" JSON NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "step_sets_pkey" PRIMARY KEY ("run_id")
);

-- A deleted run takes its step set along, as it does its steps and events (engine_runtime).
CREATE OR REPLACE FUNCTION "runs_delete_children"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "steps" WHERE "run_id" IN (SELECT "id" FROM "deleted_runs");
  DELETE FROM "step_sets" WHERE "run_id" IN (SELECT "id" FROM "deleted_runs");
  DELETE FROM "events" WHERE "run_id" IN (SELECT "id" FROM "deleted_runs");
  RETURN NULL;
END;
$$;
