-- Event payloads are stored as json (their text, validated) rather than jsonb (parsed into a tree):
-- the engine writes every payload once and reads it back whole, never queries inside it on a hot
-- path, and building jsonb was the largest single cost of committing a 100-step run (its
-- steps.settled payload is 15 KB). The audit recomputes each event's canonical JSON from the
-- parsed payload, so the stored form does not matter to it.
-- AlterTable
ALTER TABLE "events" ALTER COLUMN "payload" SET DATA TYPE JSON USING "payload"::json;
