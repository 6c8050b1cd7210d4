// The credentials vault and the per-workspace data sealer (AES-256-GCM envelopes under the master key).
export {
  CredentialBinding,
  CredentialBindings,
  type CredentialMetadata,
  CredentialName,
  CredentialValue,
  type CredentialVaultService,
  createCredentialVault,
  type TriggerCredentialRequest,
} from './credentials';
export { createDataSealer, type DataSealer, SealedJson } from './data-sealer';
export {
  type MasterKeyInput,
  type MasterKeyRing,
  type MasterKeyVersion,
  VaultDecryptError,
} from './envelope';
export { rotateMasterKey, type RotationReport } from './rotation';
export { rememberWebhookDelivery } from './webhook-deliveries';
