// What the engine asks of a credentials vault (packages/db implements it with AES-256-GCM envelopes).
// The engine decides whether the run may have the secret yet (gates upstream approved); the vault
// decides whether the credential is bound to the workflow and node, and audits and alerts refusals.

/** Who asks for which credential. */
export interface CredentialRequest {
  workspaceId: string;
  workflowId: string;
  workflowVersionId: string;
  runId: string;
  nodeId: string;
  /** The credential's name in the workspace (the node config's `credential`). */
  name: string;
}

/** A refusal: the step fails with `CREDENTIAL_REFUSED` and this message (never the secret). */
export class CredentialRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialRefusedError';
  }
}

export interface CredentialVault {
  /**
   * The plaintext for this one call. Throws {@link CredentialRefusedError} (after recording an audit
   * event and an alert) when the credential does not exist or is not bound to the workflow and node.
   */
  reveal(request: CredentialRequest): Promise<string>;
  /** Records (audit event + alert) a refusal the engine decided, e.g. a gate upstream not approved. */
  refused(request: CredentialRequest, reason: string): Promise<void>;
}
