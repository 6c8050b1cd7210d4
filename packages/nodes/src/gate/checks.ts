import { type Diagnostic, diagnostic, type NodeView } from '@sluice/spec';
import type { GateConfig } from './config.js';

/** Gate policy checks: approvers exist and can reach quorum, escalation has a target, declassification needs review. */
export function gateChecks(node: NodeView<GateConfig>): Diagnostic[] {
  const { config, id: nodeId } = node;
  const out: Diagnostic[] = [];
  const tiers = [config.defaultTier, ...config.tiers.map((t) => t.tier)];
  const mayReview = tiers.includes('review');
  const { roles, users } = config.approvers;
  if (mayReview && roles.length === 0 && users.length === 0) {
    out.push(
      diagnostic('SL606', 'this gate can ask for a review but nobody may approve', {
        nodeId,
        path: ['config', 'approvers'],
        hint: 'add an approver role (e.g. reviewer) or named approvers',
      }),
    );
  } else if (roles.length === 0 && config.quorum > users.length) {
    out.push(
      diagnostic(
        'SL607',
        `a quorum of ${config.quorum} needs at least ${config.quorum} approvers; ${users.length} are named`,
        {
          nodeId,
          path: ['config', 'quorum'],
          hint: 'lower the quorum or name more approvers',
        },
      ),
    );
  }
  if (!mayReview) {
    out.push(
      diagnostic('SL608', 'no tier asks a person: this gate only ever continues or blocks', {
        nodeId,
        path: ['config', 'defaultTier'],
        hint: 'use review as the default tier if a person should decide unmatched cases',
      }),
    );
  }
  if (config.expiry.onExpiry === 'escalate') {
    const target = config.expiry.escalateTo;
    if (!target || (target.roles.length === 0 && target.users.length === 0)) {
      out.push(
        diagnostic('SL609', 'an expired request escalates, but to nobody', {
          nodeId,
          path: ['config', 'expiry', 'escalateTo'],
          hint: 'name the roles or people to escalate to',
        }),
      );
    }
  }
  if (config.declassifyTo !== undefined) {
    const autoIndex = config.tiers.findIndex((t) => t.tier === 'auto');
    if (autoIndex >= 0 || config.defaultTier === 'auto') {
      out.push(
        diagnostic(
          'SL502',
          `data is declassified to "${config.declassifyTo}" without a person approving it`,
          {
            nodeId,
            path: autoIndex >= 0 ? ['config', 'tiers', autoIndex, 'tier'] : ['config', 'defaultTier'],
            hint: 'a declassifying gate may only review or block: remove the auto tiers',
          },
        ),
      );
    }
  }
  return out;
}
