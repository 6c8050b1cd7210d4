-- The step_sets migration redefined the run's delete trigger from the engine_runtime version and
-- dropped the waits that engine_waits_and_step_meta had added: a deleted run left its waits behind.
-- Every child of a run, again: steps, step sets, waits and events.
CREATE OR REPLACE FUNCTION "runs_delete_children"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "steps" WHERE "run_id" IN (SELECT "id" FROM "deleted_runs");
  DELETE FROM "step_sets" WHERE "run_id" IN (SELECT "id" FROM "deleted_runs");
  DELETE FROM "waits" WHERE "run_id" IN (SELECT "id" FROM "deleted_runs");
  DELETE FROM "events" WHERE "run_id" IN (SELECT "id" FROM "deleted_runs");
  RETURN NULL;
END;
$$;
