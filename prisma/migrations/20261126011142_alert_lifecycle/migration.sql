-- AlterTable
ALTER TABLE "alerts" ADD COLUMN     "dedupe_key" TEXT,
ADD COLUMN     "resolved_at" TIMESTAMPTZ(3);

-- Hand-written (schema.prisma cannot say it): at most one unresolved alert per condition and
-- workspace, so two monitor processes racing to raise the same condition leave one row. It also
-- serves the monitor's scan of the unresolved alerts it owns.
CREATE UNIQUE INDEX "alerts_open_dedupe_key" ON "alerts"("workspace_id", "dedupe_key")
  WHERE "dedupe_key" IS NOT NULL AND "resolved_at" IS NULL;
