import './styles/runs.css';
import './styles/pages.css';
import { AlertsPage } from './alerts/alerts-page';
import { ApprovalsPage, useApprovalCount } from './approvals/approvals-page';
import { AuditPage } from './audit/audit-page';
import { signOut } from './auth/auth-client';
import { SignInPage } from './auth/sign-in-page';
import { type Me, useSession } from './auth/use-session';
import { type Section, type SectionRoute, sectionHref, useSectionRoute } from './routes';
import { RunsPage } from './runs/runs-page';
import { SettingsPage } from './settings/settings-page';
import { RetryButton, StatusPane } from './ui/status';
import { WorkflowsPage } from './workflows/workflows-page';

/** The top navigation: each section, shown to those whose role may read it. */
const NAV: ReadonlyArray<{ section: Section; label: string; permission: string }> = [
  { section: 'workflows', label: 'Workflows', permission: 'workflow:read' },
  { section: 'runs', label: 'Runs', permission: 'run:read' },
  { section: 'approvals', label: 'Approvals', permission: 'approval:read' },
  { section: 'audit', label: 'Audit', permission: 'audit:read' },
  { section: 'alerts', label: 'Alerts', permission: 'alert:read' },
  { section: 'settings', label: 'Settings', permission: 'member:read' },
];

function SectionView({ route, me }: { route: SectionRoute; me: Me }) {
  switch (route.section) {
    case 'runs':
      return <RunsPage rest={route.rest} me={me} />;
    case 'approvals':
      return <ApprovalsPage rest={route.rest} me={me} />;
    case 'audit':
      return <AuditPage rest={route.rest} me={me} />;
    case 'alerts':
      return <AlertsPage me={me} />;
    case 'settings':
      return <SettingsPage rest={route.rest} me={me} />;
    case 'workflows':
      return <WorkflowsPage />;
  }
}

function LogoMark() {
  return (
    <svg
      className="sl-logo__mark"
      viewBox="0 0 24 24"
      width="22"
      height="22"
      aria-hidden="true"
      focusable="false"
    >
      <rect x="1" y="1" width="22" height="22" rx="6" className="sl-logo__tile" />
      <path
        d="M6 8.5h6.5a2.5 2.5 0 0 1 0 5H11a2.5 2.5 0 0 0 0 5h7M12.5 5.5v3M11 18.5v-3"
        className="sl-logo__stroke"
        fill="none"
        strokeWidth="1.8"
        strokeLinecap="round"
      />
    </svg>
  );
}

function Account({ me, onSignedOut }: { me: Me; onSignedOut: () => void }) {
  return (
    <div className="sl-account">
      <span className="sl-account__who">
        <span className="sl-account__name">{me.actor.name}</span>
        <span className="sl-account__meta">
          {me.workspace.name}
          {me.actor.role ? ` · ${me.actor.role}` : ''}
        </span>
      </span>
      <button
        type="button"
        className="sl-button sl-button--quiet"
        onClick={() => void signOut().finally(onSignedOut)}
      >
        Sign out
      </button>
    </div>
  );
}

/** The app shell: the top bar with the product name, sections and account, and the current section. */
export function App() {
  const route = useSectionRoute();
  const session = useSession();
  const { state } = session;
  const approvals = useApprovalCount(
    state.status === 'signed-in' && state.me.permissions.some((p) => p === 'approval:read'),
  );

  if (state.status === 'signed-out') {
    return (
      <SignInPage
        onSignedIn={() => {
          window.location.hash = '#/workflows';
          session.reload();
        }}
      />
    );
  }
  return (
    <div className="sl-app">
      <header className="sl-topbar">
        <a className="sl-logo" href="#/workflows">
          <LogoMark />
          <span className="sl-logo__name">Sluice</span>
        </a>
        <nav className="sl-nav" aria-label="Sections">
          {NAV.filter(
            (item) => state.status !== 'signed-in' || state.me.permissions.some((p) => p === item.permission),
          ).map((item) => (
            <a
              key={item.section}
              className="sl-nav__link"
              href={sectionHref(item.section)}
              aria-current={route.section === item.section ? 'page' : undefined}
            >
              {item.label}
              {item.section === 'approvals' && approvals !== null && approvals > 0 && (
                <span className="sl-nav__badge">
                  {approvals}
                  <span className="sl-visually-hidden"> waiting for you</span>
                </span>
              )}
            </a>
          ))}
        </nav>
        {state.status === 'signed-in' && <Account me={state.me} onSignedOut={session.reload} />}
      </header>
      <main className="sl-main">
        {state.status === 'loading' && <StatusPane tone="loading" title="Loading…" />}
        {state.status === 'error' && (
          <StatusPane
            tone="error"
            title="Could not reach Sluice"
            action={<RetryButton onRetry={session.reload} />}
          >
            {state.message}
          </StatusPane>
        )}
        {state.status === 'signed-in' && <SectionView route={route} me={state.me} />}
      </main>
    </div>
  );
}
