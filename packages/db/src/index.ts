// @sluice/db: the only package that talks to PostgreSQL (CONVENTIONS 2).
export {
  type ChainEvent,
  type ChainVerdict,
  canonicalJson,
  eventHash,
  genesisHash,
  verifyChain,
} from './chain';
export { checkDatabase, createPrismaClient, type DatabaseHealth, PrismaClient } from './client';
export { type Database, DurabilityError, openDatabase, type OpenDatabaseOptions } from './database';
export {
  type EmbeddedPostgres,
  startEmbeddedPostgres,
  type StartEmbeddedPostgresOptions,
  stopOnSignals,
} from './embedded';
export {
  type AlertSeverity,
  alertSeverities,
  type MembershipRole,
  membershipRoles,
  type RunStatus,
  runStatuses,
  type StepStatus,
  stepStatuses,
} from './enums';
export { toJsonInput } from './json';
export { type DbLogger, silentLogger } from './logger';
export {
  migrate,
  MigrationChecksumError,
  MigrationError,
  type MigrationErrorCode,
  MigrationFailedError,
  MigrationMissingError,
  type MigrateOptions,
  MigrationUnresolvedError,
} from './migrate';
export { defaultMigrationsDir, repoRoot } from './migration-files';
export * from './monitor';
export { consumeRateLimit, type RateLimitDecision, type RateLimitRule } from './rate-limit';
export { type AuditReport, type ChainBreak, verifyAudit } from './store/audit';
export { type GroupCommitOptions, GroupCommitter } from './store/group-commit';
export { openPgStore, type PgStore, type PgStoreOptions } from './store/pg-store';
export { readRunStep, readRunSteps } from './store/run-steps';
export { seedDemoWorkspace, type SeededWorkspace, type SeedDemoWorkspaceInput } from './seed';
export {
  CredentialBinding,
  CredentialBindings,
  type CredentialMetadata,
  CredentialName,
  CredentialValue,
  type CredentialVaultService,
  createCredentialVault,
  createDataSealer,
  type DataSealer,
  type MasterKeyInput,
  type MasterKeyRing,
  type MasterKeyVersion,
  rememberWebhookDelivery,
  rotateMasterKey,
  type RotationReport,
  SealedJson,
  type TriggerCredentialRequest,
  VaultDecryptError,
} from './vault';
export { appendWorkspaceEvents, verifyWorkspaceChain, type WorkspaceEventDraft } from './workspace-events';
export type { Prisma } from './generated/prisma/client';
