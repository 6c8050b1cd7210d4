// One sample input per procedure, for the authorisation matrix: `own` names things of the caller's
// workspace, `foreign` the same kind of thing of another workspace (which must be NOT_FOUND). A
// procedure without a sample fails the matrix test, so a new procedure cannot skip it.
import { randomUUID } from 'node:crypto';
import { WORKFLOW_DOCUMENT_FORMAT } from '../workflows/document';
import { echoGraph, type WorkspaceFixture } from './fixture';

export interface ProcedureSample {
  /** Input naming the caller's own workspace's things (a function when each call needs a fresh one). */
  own: () => unknown;
  /** Input naming another workspace's thing; absent for procedures that take no id. */
  foreign?: () => unknown;
}

/** Every id of a fixture, to check that no output of another workspace's caller contains one. */
export function idsOf(fixture: WorkspaceFixture): string[] {
  return [
    fixture.workspaceId,
    fixture.workflowId,
    fixture.workflowVersionId,
    fixture.token.id,
    fixture.spareTokenId,
    fixture.runId,
    fixture.alertId,
    fixture.credentialId,
    fixture.spare.id,
    ...Object.values(fixture.users).map((user) => user.id),
  ];
}

/**
 * @example
 * const samples = procedureSamples(acme, globex);
 * await caller.workflow.get(samples['workflow.get'].own());
 */
export function procedureSamples(
  own: WorkspaceFixture,
  foreign: WorkspaceFixture,
): Record<string, ProcedureSample> {
  const same = <T>(make: (f: WorkspaceFixture) => T): ProcedureSample => ({
    own: () => make(own),
    foreign: () => make(foreign),
  });
  const none: ProcedureSample = { own: () => undefined };
  const fresh = () => randomUUID().slice(0, 8);
  return {
    'session.me': none,

    'workflow.list': none,
    'workflow.get': same((f) => ({ id: f.workflowId })),
    'workflow.saveDraft': same((f) => ({ id: f.workflowId, graph: echoGraph(`Echo ${f.slug}`) })),
    'workflow.compile': same((f) => ({ id: f.workflowId })),
    'workflow.publish': same((f) => ({ id: f.workflowId })),
    'workflow.versions': same((f) => ({ id: f.workflowId })),
    'workflow.diff': same((f) => ({ id: f.workflowId, from: 1, to: 'draft' })),
    'workflow.export': same((f) => ({ id: f.workflowId, version: 1 })),
    'workflow.create': { own: () => ({ name: `Created ${fresh()}`, ownerTeam: 'ops' }) },
    'workflow.duplicate': same((f) => ({ id: f.workflowId, name: `Copy ${fresh()}` })),
    'workflow.delete': same((f) => ({ id: f.workflowId })),
    'workflow.import': {
      own: () => ({
        document: {
          format: WORKFLOW_DOCUMENT_FORMAT,
          exportedAt: new Date().toISOString(),
          graph: echoGraph(`Imported ${fresh()}`),
        },
      }),
    },

    'run.start': same((f) => ({ workflowId: f.workflowId, input: {} })),
    'run.list': { own: () => ({ status: ['succeeded'] }) },
    'run.get': same((f) => ({ id: f.runId })),
    'run.cancel': same((f) => ({ id: f.runId, reason: 'matrix' })),
    'run.rerun': same((f) => ({ id: f.runId, nodeId: 'start', reason: 'matrix' })),
    'run.rollbackPlan': same((f) => ({ id: f.runId })),
    'run.rollback': same((f) => ({ id: f.runId, nodeId: 'start' })),
    'run.watch': same((f) => ({ runId: f.runId })),
    'run.watchBatches': same((f) => ({ runId: f.runId })),
    'run.step': same((f) => ({ runId: f.runId, nodeId: 'start' })),
    'run.trigger': same((f) => ({ workflowId: f.workflowId })),
    'run.live': same((f) => ({ runId: f.runId })),

    'audit.list': same((f) => ({ runId: f.runId })),
    'audit.verify': same((f) => ({ runId: f.runId })),
    'audit.export': same((f) => ({ runId: f.runId })),

    'token.list': none,
    'token.create': { own: () => ({ name: `agent ${fresh()}`, actions: ['run:read'], expiresInDays: 1 }) },
    'token.revoke': same((f) => ({ id: f.spareTokenId })),

    'member.list': none,
    'member.invite': {
      own: () => ({ email: `new-${fresh()}@invited.test`, name: 'New member', role: 'auditor' }),
    },
    'member.changeRole': same((f) => ({ userId: f.spare.id, role: 'operator' })),
    'member.remove': same((f) => ({ userId: f.spare.id })),

    'credential.list': none,
    'credential.get': same((f) => ({ id: f.credentialId })),
    'credential.create': {
      own: () => ({ name: `key-${fresh()}`, value: 'matrix secret', bindings: [] }),
    },
    'credential.rotate': same((f) => ({ id: f.credentialId, value: `rotated ${fresh()}` })),
    'credential.update': same((f) => ({ id: f.credentialId, description: 'checked by the matrix' })),
    'credential.delete': same((f) => ({ id: f.credentialId })),

    'approval.list': { own: () => ({ status: 'all' }) },
    'approval.get': same((f) => ({ runId: f.runId, nodeId: 'done' })),
    'approval.decide': same((f) => ({
      runId: f.runId,
      nodeId: 'done',
      verdict: 'approve',
      payloadHash: 'a'.repeat(64),
    })),
    'approval.answer': same((f) => ({
      runId: f.runId,
      nodeId: 'done',
      answer: {},
      payloadHash: 'a'.repeat(64),
    })),
    'approval.webhook': none,
    'approval.setWebhook': { own: () => ({ url: 'https://hooks.example.test/services/matrix' }) },

    'alert.list': { own: () => ({ status: 'all' }) },
    'alert.acknowledge': same((f) => ({ id: f.alertId, comment: 'looked into it' })),

    'workspace.news': none,
  };
}
