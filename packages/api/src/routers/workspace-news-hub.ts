// The workspace news hub: tells the open `workspace.news` streams of a workspace that its runs,
// approvals or alerts changed, so lists refetch when told instead of polling. One hub per process
// and engine. Sources:
// - the engine's run activity (every run commit this process sees, its own and other processes'
//   through NOTIFY): the run's workspace (a bounded cache: runs never move) hears "runs" and
//   "approvals" (a gate waiting or decided is a run commit);
// - alerts: one grouped read of the alert table per tick while someone listens, comparing each
//   listened workspace's newest id, counts and last acknowledgement/resolution, so alerts written
//   by any writer in any process (the API, the monitor, the vault) are seen; and `announce` for
//   writers in this process that can say so at once.
// Notices carry no data, only the kind; each kind is throttled per workspace.
import type { Database } from '@sluice/db';
import type { Engine } from '@sluice/engine';

/** What changed in a workspace. */
export const newsKinds = ['runs', 'approvals', 'alerts'] as const;
export type NewsKind = (typeof newsKinds)[number];

/** The part of the engine the hub listens to. */
export type RunActivitySource = Pick<Engine, 'onRunActivity'>;

/** Whether `engine` can tell about run activity (a test stand-in may not). */
export function hasRunActivity(engine: unknown): engine is RunActivitySource {
  return (
    typeof engine === 'object' &&
    engine !== null &&
    'onRunActivity' in engine &&
    typeof engine.onRunActivity === 'function'
  );
}

export interface WorkspaceNewsOptions {
  prisma: Database['prisma'];
  engine?: RunActivitySource | undefined;
  /** At most one notice per kind per workspace in this window (leading and trailing). Default 100. */
  throttleMs?: number;
  /** How many run → workspace pairs are remembered. Default 10,000. */
  cacheSize?: number;
  /** How often the alert table is compared while someone listens. Default 1,000. */
  alertCheckMs?: number;
  /** Told when a lookup fails (the clients' fallback poll covers what is missed). */
  onError?: (message: string) => void;
}

type Listener = (kind: NewsKind) => void;

/** Leading-and-trailing throttle of one workspace's one kind. */
interface Gate {
  last: number;
  timer: NodeJS.Timeout | undefined;
}

/**
 * @example
 * const hub = new WorkspaceNews({ prisma: db.prisma, engine });
 * const stop = hub.subscribe(workspaceId, (kind) => console.log(kind, 'changed'));
 */
export class WorkspaceNews {
  readonly #prisma: Database['prisma'];
  readonly #engine: RunActivitySource | undefined;
  readonly #throttleMs: number;
  readonly #cacheSize: number;
  readonly #alertCheckMs: number;
  readonly #onError: (message: string) => void;
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #gates = new Map<string, Gate>();
  /** Run id → workspace id, oldest first (a hit moves the pair to the end). */
  readonly #workspaceOf = new Map<string, string>();
  /** Runs seen but not yet looked up; one read resolves them all. */
  readonly #unknown = new Set<string>();
  #lookingUp = false;
  #stopActivity: (() => void) | undefined;
  #alertTimer: NodeJS.Timeout | undefined;
  #checkingAlerts = false;
  /** The alert signature of each listened workspace at the last check. */
  readonly #alertSeen = new Map<string, string>();

  constructor(options: WorkspaceNewsOptions) {
    this.#prisma = options.prisma;
    this.#engine = options.engine;
    this.#throttleMs = options.throttleMs ?? 100;
    this.#cacheSize = options.cacheSize ?? 10_000;
    this.#alertCheckMs = options.alertCheckMs ?? 1_000;
    this.#onError = options.onError ?? (() => {});
  }

  /** Listens to `workspaceId`'s news; returns the function that stops. */
  subscribe(workspaceId: string, listener: Listener): () => void {
    const set = this.#listeners.get(workspaceId) ?? new Set<Listener>();
    this.#listeners.set(workspaceId, set.add(listener));
    this.#wake();
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.#listeners.get(workspaceId) === set) {
        this.#listeners.delete(workspaceId);
        this.#alertSeen.delete(workspaceId);
        for (const kind of newsKinds) this.#dropGate(workspaceId, kind);
      }
      if (this.#listeners.size === 0) this.#sleep();
    };
  }

  /** Tells `workspaceId`'s listeners that `kind` changed (throttled). */
  announce(workspaceId: string, kind: NewsKind): void {
    if (!this.#listeners.has(workspaceId)) return;
    const key = `${workspaceId}\u0000${kind}`;
    const gate = this.#gates.get(key) ?? { last: Number.NEGATIVE_INFINITY, timer: undefined };
    this.#gates.set(key, gate);
    if (gate.timer) return;
    const wait = gate.last + this.#throttleMs - Date.now();
    if (wait <= 0) {
      gate.last = Date.now();
      this.#deliver(workspaceId, kind);
      return;
    }
    gate.timer = setTimeout(() => {
      gate.timer = undefined;
      gate.last = Date.now();
      this.#deliver(workspaceId, kind);
    }, wait);
    gate.timer.unref();
  }

  /** How many run → workspace pairs are cached (for tests of the bound). */
  get cachedRuns(): number {
    return this.#workspaceOf.size;
  }

  /** Stops listening to the engine and the alert table; subscribers hear nothing more. */
  close(): void {
    this.#listeners.clear();
    for (const gate of this.#gates.values()) clearTimeout(gate.timer);
    this.#gates.clear();
    this.#sleep();
  }

  #deliver(workspaceId: string, kind: NewsKind): void {
    for (const listener of this.#listeners.get(workspaceId) ?? []) listener(kind);
  }

  #dropGate(workspaceId: string, kind: NewsKind): void {
    const key = `${workspaceId}\u0000${kind}`;
    clearTimeout(this.#gates.get(key)?.timer);
    this.#gates.delete(key);
  }

  /** The first listener: start following the engine and the alert table. */
  #wake(): void {
    if (!this.#stopActivity && this.#engine)
      this.#stopActivity = this.#engine.onRunActivity((runId) => this.#runActive(runId));
    if (!this.#alertTimer && !this.#checkingAlerts) this.#scheduleAlertCheck();
  }

  /** The last listener left: follow nothing. */
  #sleep(): void {
    this.#stopActivity?.();
    this.#stopActivity = undefined;
    clearTimeout(this.#alertTimer);
    this.#alertTimer = undefined;
    this.#alertSeen.clear();
    this.#unknown.clear();
  }

  #runActive(runId: string): void {
    const workspaceId = this.#workspaceOf.get(runId);
    if (workspaceId !== undefined) {
      this.#workspaceOf.delete(runId);
      this.#workspaceOf.set(runId, workspaceId);
      this.#runChanged(workspaceId);
      return;
    }
    this.#unknown.add(runId);
    if (!this.#lookingUp) void this.#lookUp();
  }

  #runChanged(workspaceId: string): void {
    this.announce(workspaceId, 'runs');
    this.announce(workspaceId, 'approvals');
  }

  /** Resolves every unknown run in one read per round, until none is left. */
  async #lookUp(): Promise<void> {
    this.#lookingUp = true;
    try {
      while (this.#unknown.size > 0) {
        const ids = [...this.#unknown].slice(0, 500);
        for (const id of ids) this.#unknown.delete(id);
        const rows = await this.#prisma.run.findMany({
          where: { id: { in: ids } },
          select: { id: true, workspaceId: true },
        });
        for (const row of rows) {
          this.#remember(row.id, row.workspaceId);
          this.#runChanged(row.workspaceId);
        }
      }
    } catch (error) {
      this.#unknown.clear();
      this.#onError(`workspace news: cannot look up runs: ${error instanceof Error ? error.message : error}`);
    } finally {
      this.#lookingUp = false;
    }
  }

  #remember(runId: string, workspaceId: string): void {
    this.#workspaceOf.delete(runId);
    this.#workspaceOf.set(runId, workspaceId);
    while (this.#workspaceOf.size > this.#cacheSize) {
      const oldest = this.#workspaceOf.keys().next();
      if (oldest.done) break;
      this.#workspaceOf.delete(oldest.value);
    }
  }

  #scheduleAlertCheck(): void {
    this.#alertTimer = setTimeout(() => void this.#checkAlerts(), this.#alertCheckMs);
    this.#alertTimer.unref();
  }

  /**
   * Reads `workspaceId`'s alert signature now unless one is known, so that an alert written right
   * after a stream opened is news (the client refetched on opening).
   */
  async baseline(workspaceId: string): Promise<void> {
    if (this.#alertSeen.has(workspaceId)) return;
    const signatures = await this.#alertSignatures([workspaceId]);
    if (this.#listeners.has(workspaceId) && !this.#alertSeen.has(workspaceId))
      this.#alertSeen.set(workspaceId, signatures.get(workspaceId) ?? 'none');
  }

  /** Per workspace: counts, newest id and last acknowledgement and resolution of its alerts. */
  async #alertSignatures(workspaceIds: string[]): Promise<Map<string, string>> {
    const groups = await this.#prisma.alert.groupBy({
      by: ['workspaceId'],
      where: { workspaceId: { in: workspaceIds } },
      _count: { _all: true, acknowledgedAt: true, resolvedAt: true },
      _max: { id: true, acknowledgedAt: true, resolvedAt: true },
    });
    return new Map(
      groups.map((g) => [
        g.workspaceId,
        [
          g._count._all,
          g._count.acknowledgedAt,
          g._count.resolvedAt,
          g._max.id,
          g._max.acknowledgedAt?.toISOString(),
          g._max.resolvedAt?.toISOString(),
        ].join('|'),
      ]),
    );
  }

  /** One grouped read over the listened workspaces; a changed signature is news. */
  async #checkAlerts(): Promise<void> {
    this.#alertTimer = undefined;
    this.#checkingAlerts = true;
    const workspaceIds = [...this.#listeners.keys()];
    try {
      if (workspaceIds.length === 0) return;
      const now = await this.#alertSignatures(workspaceIds);
      for (const workspaceId of workspaceIds) {
        if (!this.#listeners.has(workspaceId)) continue;
        const signature = now.get(workspaceId) ?? 'none';
        const before = this.#alertSeen.get(workspaceId);
        this.#alertSeen.set(workspaceId, signature);
        if (before !== undefined && before !== signature) this.announce(workspaceId, 'alerts');
      }
    } catch (error) {
      this.#onError(`workspace news: cannot read alerts: ${error instanceof Error ? error.message : error}`);
    } finally {
      this.#checkingAlerts = false;
      if (this.#listeners.size > 0 && !this.#alertTimer) this.#scheduleAlertCheck();
    }
  }
}

/** The hubs of this process: one per Prisma client and engine (a test may run two engines on one database). */
const hubs = new WeakMap<object, WeakMap<object, WorkspaceNews>>();
const NO_ENGINE = {};

/**
 * The process's hub for `db` and `engine`, made on first use. It listens to nothing while nobody
 * subscribes, so it needs no closing.
 */
export function workspaceNewsFor(db: Database, engine: unknown): WorkspaceNews {
  const source = hasRunActivity(engine) ? engine : undefined;
  const byEngine = hubs.get(db.prisma) ?? new WeakMap<object, WorkspaceNews>();
  hubs.set(db.prisma, byEngine);
  const key = source ?? NO_ENGINE;
  const found = byEngine.get(key);
  if (found) return found;
  const hub = new WorkspaceNews({
    prisma: db.prisma,
    engine: source,
    onError: (message) => console.warn(message),
  });
  byEngine.set(key, hub);
  return hub;
}
