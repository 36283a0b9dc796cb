import { type ReactElement, useEffect, useRef } from 'react';

import { Alert } from '../../../components/alert';
import { useAppStore } from '../../../stores/app-store';
import { useRepositoriesStore } from '../../../stores/repositories-store';
import { BundlesScreen } from '../../bundles';
import { CeremoniesScreen } from '../../ceremonies';
import { KeysScreen } from '../../keys';
import { LaterScreen } from '../../placeholders';
import { RepositoriesScreen, RepositoryView } from '../../repositories';
import { SideNav } from './side-nav';
import { TopBar } from './top-bar';

export function AppShell(): ReactElement {
  const route = useAppStore((s) => s.route);
  const load = useAppStore((s) => s.load);
  const snapshotError = useAppStore((s) => s.snapshotError);
  const start = useRepositoriesStore((s) => s.start);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    void load();
    return start();
  }, [load, start]);

  // After navigation, move focus to the new screen so screen readers announce it.
  const routeKey = route.screen === 'repository' ? `repository:${route.id}` : route.screen;
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    mainRef.current?.querySelector<HTMLElement>('h1')?.focus();
  }, [routeKey]);

  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar />
      <SideNav />
      <main id="main" className="main" ref={mainRef} tabIndex={-1}>
        {snapshotError === null ? null : <Alert tone="err" title="Keyrite could not load its state">{snapshotError}</Alert>}
        {route.screen === 'repositories' ? <RepositoriesScreen />
        : route.screen === 'repository' ? <RepositoryView id={route.id} tab={route.tab} />
        : route.screen === 'keys' ? <KeysScreen />
        : route.screen === 'ceremonies' ? <CeremoniesScreen />
        : route.screen === 'bundles' ? <BundlesScreen />
        : <LaterScreen screen={route.screen} />}
      </main>
    </div>
  );
}
