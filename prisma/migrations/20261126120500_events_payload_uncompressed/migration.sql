-- Event payloads are kept out of line but not compressed (STORAGE EXTERNAL). Only payloads over
-- about 2 KB were ever compressed, and those are mostly steps.settled lists whose bulk is output
-- hashes, which do not compress: pglz halved a 100-step list (15 KB to 7.7 KB) at a cost of about
-- a fifth of the database's CPU for committing such a run. Disk is cheaper here than the commit path.
-- Applies to values written from now on; stored ones stay as they are.
ALTER TABLE "events" ALTER COLUMN "payload" SET STORAGE EXTERNAL;
