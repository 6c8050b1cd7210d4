-- DropIndex
DROP INDEX "steps_run_id_node_id_key";

-- AlterTable
ALTER TABLE "steps" DROP CONSTRAINT "steps_pkey",
DROP COLUMN "id",
ADD CONSTRAINT "steps_pkey" PRIMARY KEY ("run_id", "node_id");
