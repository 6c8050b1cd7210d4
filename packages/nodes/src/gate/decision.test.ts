import fc from 'fast-check';
import type { Role } from '@sluice/spec';
import { describe, expect, test } from 'vitest';
import {
  countedApprovers,
  decideGate,
  expireGate,
  type GateExclusions,
  type GateMember,
  type GateView,
  gateEligibility,
} from './decision.js';
import { type GateRequest, GateState } from './request.js';

const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);
const t0 = new Date('2026-01-01T00:00:00.000Z');

function request(overrides: Partial<GateRequest> = {}): GateRequest {
  return {
    rule: { index: null, when: null, reason: 'default' },
    approvers: { roles: ['reviewer'], users: [] },
    quorum: 1,
    separationOfDuties: { excludeInitiator: true, excludeUpstreamOwners: true, excludeEditors: false },
    expiry: {
      expiresAt: new Date(t0.getTime() + 3_600_000).toISOString(),
      afterMs: 3_600_000,
      onExpiry: 'reject',
    },
    ...overrides,
  };
}

const people: Record<string, GateMember> = {
  ann: { userId: 'ann', email: 'ann@x.test', role: 'reviewer' },
  bob: { userId: 'bob', email: 'bob@x.test', role: 'reviewer' },
  cat: { userId: 'cat', email: 'cat@x.test', role: 'reviewer' },
  dan: { userId: 'dan', email: 'dan@x.test', role: 'operator' },
  eve: { userId: 'eve', email: 'eve@x.test', role: 'owner' },
};
const none: GateExclusions = { initiatorId: 'dan', upstreamOwners: ['eve@x.test'], editorIds: ['cat'] };

function view(req: GateRequest, state = GateState.parse({}), hash = H1): GateView {
  return { request: req, state, payloadHash: hash, exclusions: none, memberOf: (id) => people[id] ?? null };
}

function approve(v: GateView, who: string, seenHash = v.payloadHash) {
  const member = people[who];
  if (!member) throw new Error(who);
  return decideGate(v, {
    member,
    via: { type: 'user', id: who },
    verdict: 'approve',
    comment: '',
    seenHash,
    at: t0,
  });
}

describe('gate decisions', () => {
  test.each([1, 2, 3])('k-of-n: a quorum of %i needs that many distinct eligible approvers', (k) => {
    let v = view(request({ quorum: k }));
    const order = ['ann', 'bob', 'cat'];
    const eligibleReviewers: Record<string, GateMember> = {
      ...people,
      cat: { userId: 'cat', email: 'cat@x.test', role: 'reviewer' },
    };
    v = { ...v, memberOf: (id) => eligibleReviewers[id] ?? null, exclusions: { ...none, editorIds: [] } };
    for (const [i, who] of order.slice(0, k).entries()) {
      const again = i > 0 ? approve(v, order[i - 1] ?? '') : undefined;
      if (again) expect(again).toMatchObject({ ok: false, code: 'ALREADY_DECIDED' });
      const result = approve(v, who);
      if (!result.ok) throw new Error(result.message);
      expect(result.approvals).toBe(i + 1);
      expect(result.outcome).toBe(i + 1 === k ? 'approved' : undefined);
      v = { ...v, state: result.state };
    }
  });

  test('separation of duties: initiator, upstream owner and (when asked) publisher may not approve', () => {
    const req = request({
      approvers: { roles: ['reviewer', 'operator', 'owner'], users: [] },
      separationOfDuties: { excludeInitiator: true, excludeUpstreamOwners: true, excludeEditors: true },
    });
    expect(approve(view(req), 'dan')).toMatchObject({ ok: false, code: 'INITIATOR' });
    expect(approve(view(req), 'eve')).toMatchObject({ ok: false, code: 'UPSTREAM_OWNER' });
    expect(approve(view(req), 'cat')).toMatchObject({ ok: false, code: 'EDITOR' });
    expect(approve(view(req), 'ann')).toMatchObject({ ok: true, outcome: 'approved' });
    const lax = request({
      approvers: { roles: ['operator'], users: [] },
      separationOfDuties: { excludeInitiator: false, excludeUpstreamOwners: true, excludeEditors: false },
    });
    expect(approve(view(lax), 'dan')).toMatchObject({ ok: true });
  });

  test('a decision on other data, a rejection without a reason, and a non-approver are refused', () => {
    const v = view(request());
    expect(approve(v, 'ann', H2)).toMatchObject({ ok: false, code: 'STALE_PAYLOAD' });
    const member = people.ann!;
    const reject = (comment: string) =>
      decideGate(v, {
        member,
        via: { type: 'user', id: 'ann' },
        verdict: 'reject',
        comment,
        seenHash: H1,
        at: t0,
      });
    expect(reject('  ')).toMatchObject({ ok: false, code: 'COMMENT_REQUIRED' });
    expect(reject('numbers do not add up')).toMatchObject({ ok: true, outcome: 'rejected' });
    expect(
      approve(view(request({ approvers: { roles: ['owner'], users: ['bob@x.test'] } })), 'ann'),
    ).toMatchObject({
      ok: false,
      code: 'NOT_AN_APPROVER',
    });
    expect(approve(view(request({ approvers: { roles: [], users: ['BOB@x.test'] } })), 'bob')).toMatchObject({
      ok: true,
    });
  });

  test('an approver whose role was taken away no longer counts', () => {
    const req = request({ quorum: 2 });
    const first = approve(view(req), 'ann');
    if (!first.ok) throw new Error(first.message);
    const demoted = {
      ...view(req, first.state),
      memberOf: (id: string) =>
        id === 'ann' ? { ...people.ann!, role: 'auditor' as Role } : (people[id] ?? null),
    };
    const second = approve(demoted, 'bob');
    expect(second).toMatchObject({ ok: true, approvals: 1 });
    expect(second.ok && second.outcome).toBeUndefined();
  });

  test('expiry: a reminder, then escalation once, then a rejection', () => {
    const req = request({
      expiry: {
        expiresAt: new Date(t0.getTime() + 3_600_000).toISOString(),
        afterMs: 3_600_000,
        onExpiry: 'escalate',
        escalateTo: { roles: ['owner'], users: [] },
        remindAt: new Date(t0.getTime() + 600_000).toISOString(),
      },
    });
    let state = GateState.parse({});
    expect(expireGate(req, state, new Date(t0.getTime() + 1))).toBeNull();
    const remind = expireGate(req, state, new Date(t0.getTime() + 600_000));
    expect(remind).toMatchObject({ kind: 'remind' });
    state = remind!.state;
    const late = new Date(t0.getTime() + 3_600_000);
    const escalate = expireGate(req, state, late);
    expect(escalate).toMatchObject({ kind: 'escalate', to: { roles: ['owner'] } });
    state = escalate!.state;
    expect(gateEligibility(req, state, people.ann!, none)).toMatchObject({
      eligible: false,
      code: 'NOT_AN_APPROVER',
    });
    expect(expireGate(req, state, new Date(late.getTime() + 1))).toBeNull();
    expect(expireGate(req, state, new Date(late.getTime() + 3_600_000))).toMatchObject({ kind: 'expire' });
  });
});

// ─── The state machine under thousands of interleavings ─────────────────────────────────────────

const ROLES: (Role | null)[] = ['owner', 'editor', 'operator', 'reviewer', 'auditor', null];
const IDS = ['p0', 'p1', 'p2', 'p3', 'p4', 'p5'];

type Command =
  | {
      op: 'decide';
      who: number;
      verdict: 'approve' | 'reject';
      stale: boolean;
      comment: boolean;
      token: boolean;
    }
  | { op: 'expire'; minutes: number }
  | { op: 'cancel' }
  | { op: 'rerun'; changes: boolean }
  | { op: 'role'; who: number; role: number };

const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant('decide' as const),
      who: fc.nat(5),
      verdict: fc.constantFrom('approve' as const, 'reject' as const),
      stale: fc.boolean(),
      comment: fc.boolean(),
      token: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('expire' as const), minutes: fc.integer({ min: 1, max: 200 }) }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('cancel' as const) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('rerun' as const), changes: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('role' as const), who: fc.nat(5), role: fc.nat(5) }) },
);

/** An independent statement of who may approve (the oracle the implementation is checked against). */
function oracleEligible(req: GateRequest, state: GateState, m: GateMember, ex: GateExclusions): boolean {
  if (m.role === null) return false;
  if (req.separationOfDuties.excludeInitiator && m.userId === ex.initiatorId) return false;
  if (req.separationOfDuties.excludeUpstreamOwners && ex.upstreamOwners.includes(m.email ?? '')) return false;
  if (req.separationOfDuties.excludeEditors && ex.editorIds.includes(m.userId)) return false;
  const set = state.approvers ?? req.approvers;
  return set.roles.includes(m.role) || set.users.includes(m.userId);
}

describe('the gate state machine (property)', () => {
  test('resolves at most once, counts distinct eligible people, never counts the ineligible or other data', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.subarray<Role>(['owner', 'editor', 'operator', 'reviewer'], { minLength: 1 }),
        fc.array(fc.constantFrom(...ROLES), { minLength: 6, maxLength: 6 }),
        fc.boolean(),
        fc.array(command, { minLength: 1, maxLength: 40 }),
        (quorum, roles, initialRoles, escalate, commands) => {
          const members = new Map<string, GateMember>(
            IDS.map((id, i) => [id, { userId: id, email: `${id}@x.test`, role: initialRoles[i] ?? null }]),
          );
          const ex: GateExclusions = { initiatorId: 'p0', upstreamOwners: ['p1@x.test'], editorIds: ['p2'] };
          const req = request({
            quorum,
            approvers: { roles, users: ['p5'] },
            separationOfDuties: { excludeInitiator: true, excludeUpstreamOwners: true, excludeEditors: true },
            expiry: {
              expiresAt: new Date(t0.getTime() + 60 * 60_000).toISOString(),
              afterMs: 60 * 60_000,
              onExpiry: escalate ? 'escalate' : 'reject',
              ...(escalate ? { escalateTo: { roles: ['owner' as Role], users: [] } } : {}),
            },
          });
          let wait = { open: true, hash: H1, state: GateState.parse({}), attempt: 1, resolutions: 0 };
          let now = t0;
          let hashes = 1;
          for (const c of commands) {
            if (c.op === 'role') {
              const id = IDS[c.who] ?? 'p0';
              const m = members.get(id);
              if (m) members.set(id, { ...m, role: ROLES[c.role] ?? null });
              continue;
            }
            if (c.op === 'rerun') {
              // A rerun upstream opens a fresh wait (new attempt): nothing decided before carries over.
              wait = {
                open: true,
                hash: c.changes ? `${++hashes}`.padStart(64, 'c') : wait.hash,
                state: GateState.parse({}),
                attempt: wait.attempt + 1,
                resolutions: 0,
              };
              continue;
            }
            if (!wait.open) continue; // the engine answers not-waiting: nothing to decide
            if (c.op === 'cancel') {
              wait.open = false;
              continue;
            }
            const v: GateView = {
              request: req,
              state: wait.state,
              payloadHash: wait.hash,
              exclusions: ex,
              memberOf: (id) => members.get(id) ?? null,
            };
            if (c.op === 'expire') {
              now = new Date(now.getTime() + c.minutes * 60_000);
              const step = expireGate(req, wait.state, now);
              if (!step) continue;
              wait.state = step.state;
              if (step.kind === 'expire') {
                wait.open = false;
                wait.resolutions++;
              }
              continue;
            }
            const member = members.get(IDS[c.who] ?? 'p0');
            if (!member) continue;
            const before = wait.state.decisions.length;
            const eligibleNow = oracleEligible(req, wait.state, member, ex);
            const result = decideGate(v, {
              member,
              via: c.token ? { type: 'token', id: 'tok' } : { type: 'user', id: member.userId },
              verdict: c.verdict,
              comment: c.comment ? 'reason' : '',
              seenHash: c.stale ? 'f'.repeat(64) : wait.hash,
              at: now,
            });
            if (!result.ok) {
              expect(wait.state.decisions).toHaveLength(before);
              continue;
            }
            // Only the eligible, on exactly this data, with a reason for a rejection, once per person.
            expect(eligibleNow).toBe(true);
            expect(c.stale).toBe(false);
            expect(result.decision.payloadHash).toBe(wait.hash);
            if (c.verdict === 'reject') expect(c.comment).toBe(true);
            expect(wait.state.decisions.filter((d) => d.userId === member.userId)).toHaveLength(0);
            wait.state = result.state;
            const counted = countedApprovers({ ...v, state: result.state });
            expect(new Set(counted).size).toBe(counted.length);
            for (const id of counted) {
              const m = members.get(id);
              expect(m && oracleEligible(req, result.state, m, ex)).toBe(true);
            }
            if (result.outcome) {
              wait.open = false;
              wait.resolutions++;
              if (result.outcome === 'approved') {
                expect(counted.length).toBeGreaterThanOrEqual(quorum);
                const approvals = result.state.decisions.filter(
                  (d) => counted.includes(d.userId) && d.verdict === 'approve',
                );
                expect(approvals.every((d) => d.payloadHash === wait.hash)).toBe(true);
              }
            } else {
              expect(counted.length).toBeLessThan(quorum);
            }
            expect(wait.resolutions).toBeLessThanOrEqual(1);
          }
          expect(wait.resolutions).toBeLessThanOrEqual(1);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
