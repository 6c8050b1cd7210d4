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

/** The app shell: the top bar with the product name and sections, and the current section. */
export function App() {
  const route = useHashRoute();
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
      </header>
      <main className="sl-main">
        <WorkflowsPage selectedId={route.workflowId} />
      </main>
    </div>
  );
}
