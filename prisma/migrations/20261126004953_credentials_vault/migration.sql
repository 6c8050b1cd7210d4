-- CreateTable
CREATE TABLE "credentials" (
    "id" TEXT NOT NULL,
    "workspace_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "value_iv" BYTEA NOT NULL,
    "value_ct" BYTEA NOT NULL,
    "value_tag" BYTEA NOT NULL,
    "key_iv" BYTEA NOT NULL,
    "key_ct" BYTEA NOT NULL,
    "key_tag" BYTEA NOT NULL,
    "key_version" INTEGER NOT NULL,
    "value_version" INTEGER NOT NULL DEFAULT 1,
    "created_by_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "rotated_at" TIMESTAMPTZ(3),
    "last_used_at" TIMESTAMPTZ(3),

    CONSTRAINT "credentials_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "credential_bindings" (
    "credential_id" TEXT NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "node_ids" TEXT[] DEFAULT ARRAY[]::TEXT[],

    CONSTRAINT "credential_bindings_pkey" PRIMARY KEY ("credential_id","workflow_id")
);

-- CreateTable
CREATE TABLE "workspace_keys" (
    "workspace_id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "key_iv" BYTEA NOT NULL,
    "key_ct" BYTEA NOT NULL,
    "key_tag" BYTEA NOT NULL,
    "key_version" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "workspace_keys_pkey" PRIMARY KEY ("workspace_id","version")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "id" CHAR(64) NOT NULL,
    "workflow_id" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "credentials_key_version_idx" ON "credentials"("key_version");

-- CreateIndex
CREATE UNIQUE INDEX "credentials_workspace_id_name_key" ON "credentials"("workspace_id", "name");

-- CreateIndex
CREATE INDEX "credential_bindings_workflow_id_idx" ON "credential_bindings"("workflow_id");

-- CreateIndex
CREATE INDEX "workspace_keys_key_version_idx" ON "workspace_keys"("key_version");

-- CreateIndex
CREATE INDEX "webhook_deliveries_expires_at_idx" ON "webhook_deliveries"("expires_at");

-- AddForeignKey
ALTER TABLE "credentials" ADD CONSTRAINT "credentials_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "credential_bindings" ADD CONSTRAINT "credential_bindings_credential_id_fkey" FOREIGN KEY ("credential_id") REFERENCES "credentials"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "workspace_keys" ADD CONSTRAINT "workspace_keys_workspace_id_fkey" FOREIGN KEY ("workspace_id") REFERENCES "workspaces"("id") ON DELETE CASCADE ON UPDATE CASCADE;
