// Test workspaces for the API and the server: one member per role, a published workflow, a token,
// an alert and a spare member, created straight in the database (no API calls, no audit events).
import { createCredentialVault, type Database, type MembershipRole, toJsonInput } from '@sluice/db';
import { registry } from '@sluice/nodes';
import { compile, type EditorGraph } from '@sluice/spec';
import { generateToken } from '../auth/api-tokens';
import { hashPassword } from '../auth/password';
import { type Actor, type ApiServices, type Context, type Identity } from '../context';
import { MembershipEvents } from '../membership-events';
import { type TokenAction, tokenActions } from '../permissions';

/** A graph that compiles without diagnostics: trigger → output. */
export function echoGraph(name = 'Echo'): EditorGraph {
  return {
    graphVersion: 1,
    metadata: { name, description: 'Hands its input back', ownerTeam: 'platform' },
    access: { trigger: ['operator'], approve: ['reviewer'], operate: ['operator'], audit: ['auditor'] },
    nodes: [
      {
        id: 'start',
        kind: 'trigger',
        typeVersion: 1,
        label: 'Start',
        owner: 'platform',
        position: { x: 0, y: 0 },
        config: { type: 'manual' },
      },
      {
        id: 'done',
        kind: 'output',
        typeVersion: 1,
        label: 'Done',
        owner: 'platform',
        position: { x: 200, y: 0 },
        config: {},
      },
    ],
    edges: [{ id: 'e1', source: 'start', sourceHandle: 'out', target: 'done', targetHandle: 'in' }],
  };
}

export interface FixtureUser {
  id: string;
  email: string;
  name: string;
  role: MembershipRole;
}

export interface WorkspaceFixture {
  workspaceId: string;
  slug: string;
  /** One member per role. */
  users: Record<MembershipRole, FixtureUser>;
  /** An operator no test signs in as, for role changes and removal. */
  spare: FixtureUser;
  workflowId: string;
  workflowVersionId: string;
  /** A live token holding every grantable action, and its secret. */
  token: { id: string; secret: string };
  /** Another live token, for revoking. */
  spareTokenId: string;
  /** A finished run of the workflow (no steps, no events). */
  runId: string;
  alertId: string;
  /** A credential bound to the workflow (its value is `credential-of-<slug>`). */
  credentialId: string;
  /** The password of every user of the fixture (when asked for). */
  password: string | null;
}

/**
 * Creates a workspace with its members and content. With `password`, every member gets a
 * better-auth credential account with that password (hashed once for all of them).
 *
 * @example
 * const acme = await createWorkspaceFixture(db, { slug: 'acme', password: 'correct horse battery' });
 */
export async function createWorkspaceFixture(
  db: Pick<Database, 'prisma'>,
  options: { slug: string; password?: string },
): Promise<WorkspaceFixture> {
  const { slug } = options;
  const passwordHash = options.password ? await hashPassword(options.password) : null;
  const graph = echoGraph(`Echo ${slug}`);
  const compiled = compile(graph, registry);
  if (!compiled.spec || !compiled.hash) throw new Error('the fixture graph does not compile');
  const { token, hash, prefix } = generateToken();

  return db.prisma.$transaction(async (tx) => {
    const workspace = await tx.workspace.create({ data: { name: `Workspace ${slug}`, slug } });
    const addUser = async (local: string, role: MembershipRole): Promise<FixtureUser> => {
      const email = `${local}@${slug}.test`;
      const user = await tx.user.create({ data: { email, name: `${slug} ${local}`, emailVerified: true } });
      if (passwordHash)
        await tx.account.create({
          data: { userId: user.id, providerId: 'credential', accountId: user.id, password: passwordHash },
        });
      await tx.membership.create({ data: { workspaceId: workspace.id, userId: user.id, role } });
      return { id: user.id, email, name: user.name, role };
    };
    const users: Record<MembershipRole, FixtureUser> = {
      owner: await addUser('owner', 'owner'),
      editor: await addUser('editor', 'editor'),
      operator: await addUser('operator', 'operator'),
      reviewer: await addUser('reviewer', 'reviewer'),
      auditor: await addUser('auditor', 'auditor'),
    };
    const spare = await addUser('spare', 'operator');
    const workflow = await tx.workflow.create({
      data: {
        workspaceId: workspace.id,
        name: graph.metadata.name,
        description: graph.metadata.description,
        ownerTeam: graph.metadata.ownerTeam,
        draftGraph: toJsonInput(graph),
        createdById: users.owner.id,
      },
    });
    const version = await tx.workflowVersion.create({
      data: {
        workflowId: workflow.id,
        version: 1,
        spec: toJsonInput(compiled.spec),
        graph: toJsonInput(graph),
        hash: compiled.hash ?? '',
        publishedById: users.owner.id,
      },
    });
    const apiToken = await tx.apiToken.create({
      data: {
        workspaceId: workspace.id,
        name: `${slug} agent`,
        tokenHash: hash,
        prefix,
        actions: [...tokenActions],
        workflowIds: [],
        createdById: users.owner.id,
        expiresAt: new Date(Date.now() + 24 * 60 * 60 * 1000),
      },
    });
    const spareToken = await tx.apiToken.create({
      data: {
        workspaceId: workspace.id,
        name: `${slug} spare agent`,
        tokenHash: generateToken().hash,
        prefix: 'slk_spare',
        actions: ['run:read'],
        workflowIds: [],
        createdById: users.owner.id,
        expiresAt: new Date(Date.now() + 24 * 60 * 60 * 1000),
      },
    });
    const run = await tx.run.create({
      data: { workspaceId: workspace.id, workflowVersionId: version.id, status: 'succeeded', input: {} },
    });
    const alert = await tx.alert.create({
      data: { workspaceId: workspace.id, kind: 'test.alert', severity: 'info', message: 'a test alert' },
    });
    const credential = await testVault(db).create(tx, {
      workspaceId: workspace.id,
      name: `${slug}-key`,
      value: `credential-of-${slug}`,
      bindings: [{ workflowId: workflow.id, nodeIds: [] }],
      createdById: users.owner.id,
    });
    return {
      workspaceId: workspace.id,
      slug,
      users,
      spare,
      workflowId: workflow.id,
      workflowVersionId: version.id,
      token: { id: apiToken.id, secret: token },
      spareTokenId: spareToken.id,
      runId: run.id,
      alertId: alert.id,
      credentialId: credential.id,
      password: options.password ?? null,
    };
  });
}

/** The master key of every test vault (tests only). */
export const testMasterKey = Buffer.alloc(32, 7);

/** A credentials vault over a test database, under {@link testMasterKey}. */
export function testVault(db: Pick<Database, 'prisma'>) {
  return createCredentialVault({ prisma: db.prisma, masterKey: testMasterKey });
}

/** The actor of a fixture member, as a signed-in session would resolve it. */
export function userActor(fixture: WorkspaceFixture, role: MembershipRole): Extract<Actor, { type: 'user' }> {
  const user = fixture.users[role];
  return {
    type: 'user',
    id: user.id,
    email: user.email,
    name: user.name,
    sessionId: `session-${user.id}`,
    workspaceId: fixture.workspaceId,
    role,
  };
}

/** A token actor of the fixture's workspace with `actions`, limited to `workflowIds` when given. */
export function tokenActor(
  fixture: WorkspaceFixture,
  actions: readonly TokenAction[] = tokenActions,
  workflowIds: readonly string[] = [],
): Actor {
  return {
    type: 'token',
    id: fixture.token.id,
    name: `${fixture.slug} agent`,
    workspaceId: fixture.workspaceId,
    actions,
    workflowIds,
    expiresAt: new Date(Date.now() + 24 * 60 * 60 * 1000),
  };
}

/** A context for `createCaller`, as the HTTP context factory would build it. */
export function contextFor(
  db: Database,
  who: Actor | Identity | null,
  services: Partial<ApiServices> = {},
): Context {
  const identity: Identity =
    who === null ? { kind: 'anonymous' } : 'kind' in who ? who : { kind: 'actor', actor: who };
  return {
    db,
    identity,
    services: {
      membershipEvents: services.membershipEvents ?? new MembershipEvents(),
      vault: services.vault ?? testVault(db),
      ...services,
    },
    client: { ip: '127.0.0.1', userAgent: 'vitest' },
  };
}

/** A `Database` around a test database's Prisma client. */
export function asDatabase(db: { url: string; prisma: Database['prisma'] }): Database {
  return { url: db.url, prisma: db.prisma, embedded: false, migrationsApplied: [], close: async () => {} };
}
