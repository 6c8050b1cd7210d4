// Settings: `#/settings/members` (default), `/tokens`, `/credentials`, `/notifications`.
import type { Me } from '../auth/use-session';
import { sectionHref } from '../routes';
import { CredentialsSettings } from './credentials';
import { MembersSettings } from './members';
import { TokensSettings } from './tokens';
import { WebhookSettings } from './webhook';

const TABS = [
  { id: 'members', label: 'Members and roles' },
  { id: 'tokens', label: 'Agent tokens' },
  { id: 'credentials', label: 'Credentials' },
  { id: 'notifications', label: 'Notifications' },
] as const;

export function SettingsPage({ rest, me }: { rest: readonly string[]; me: Me }) {
  const tab = TABS.find((t) => t.id === rest[0])?.id ?? 'members';
  return (
    <div className="sl-page sl-settings">
      <header className="sl-page__head">
        <h1 className="sl-page__title">Settings</h1>
      </header>
      <nav className="sl-tabs" aria-label="Settings">
        {TABS.map((t) => (
          <a
            key={t.id}
            className="sl-tabs__link"
            href={sectionHref('settings', t.id)}
            aria-current={tab === t.id ? 'page' : undefined}
          >
            {t.label}
          </a>
        ))}
      </nav>
      {tab === 'members' && <MembersSettings me={me} />}
      {tab === 'tokens' && <TokensSettings me={me} />}
      {tab === 'credentials' && <CredentialsSettings me={me} />}
      {tab === 'notifications' && <WebhookSettings me={me} />}
    </div>
  );
}
