import { signOut } from './auth/auth-client';
import { SignInPage } from './auth/sign-in-page';
import { type Me, useSession } from './auth/use-session';
import { RetryButton, StatusPane } from './ui/status';
import { useHashRoute } from './use-hash-route';
import { WorkflowsPage } from './workflows/workflows-page';

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
  const route = useHashRoute();
  const session = useSession();
  const { state } = session;

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
          <a
            className="sl-nav__link"
            href="#/workflows"
            aria-current={route.section === 'workflows' ? 'page' : undefined}
          >
            Workflows
          </a>
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
        {state.status === 'signed-in' && <WorkflowsPage selectedId={route.workflowId} />}
      </main>
    </div>
  );
}
