-- CreateTable
CREATE TABLE "notification_cursors" (
    "name" TEXT NOT NULL,
    "last_event_id" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notification_cursors_pkey" PRIMARY KEY ("name")
);
