-- AlterTable
ALTER TABLE "workspaces" ADD COLUMN     "notification_webhook_url" TEXT;
