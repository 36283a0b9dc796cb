import type { ReactElement } from 'react';

import { Icon } from '../../../components/icons';
import { useAppStore } from '../../../stores/app-store';
import { ThemeToggle } from './theme-toggle';

export function TopBar(): ReactElement {
  const snapshot = useAppStore((s) => s.snapshot);
  // Unknown means air-gapped: the badge must never claim a network the app does not have.
  const online = snapshot?.networkMode === 'online';
  return (
    <header className="top-bar">
      <div className="brand">
        <Icon name="shield" className="brand-mark" />
        <span>Keyrite</span>
      </div>
      <div className="top-bar-spacer" />
      <span
        className="network-badge"
        data-mode={online ? 'online' : 'offline'}
        role="status"
        aria-label={online ? 'Network mode: online' : 'Network mode: air-gapped'}
        title={online ? 'Online mode: Keyrite may reach Notary servers and TUF repositories.' : 'Air-gapped: Keyrite makes no network connections.'}
      >
        <Icon name={online ? 'globe' : 'offline'} />
        {online ? 'Online' : 'Air-gapped'}
      </span>
      <ThemeToggle />
      {snapshot === null ? null : <span className="app-version">v{snapshot.appVersion}</span>}
    </header>
  );
}
