import { type ReactElement, useEffect, useState } from 'react';

import { ErrorAlert } from '../../../components/alert';
import { EmptyState } from '../../../components/empty-state';
import { Icon } from '../../../components/icons';
import { selectOnline, useAppStore } from '../../../stores/app-store';
import { useCeremoniesStore } from '../../../stores/ceremonies-store';
import { useKeysStore } from '../../../stores/keys-store';
import { CeremonyList } from './ceremony-list';
import { CeremonyPage } from './ceremony-page';
import { PullDialog } from './pull-dialog';
import { NewCeremony } from './wizard/new-ceremony';
import '../ceremonies.css';

/** Why pulling is off: ceremonies run air-gapped; only an online workstation pulls. */
export const OFFLINE_PULL_REASON = 'Keyrite runs air-gapped; start it with KEYRITE_NETWORK=online on the online workstation.';

/** Ceremonies: the list (resume any unfinished one), a new ceremony of any kind, pulling a request, and one ceremony's steps. */
export function CeremoniesScreen(): ReactElement {
  const start = useCeremoniesStore((s) => s.start);
  const view = useCeremoniesStore((s) => s.view);
  const list = useCeremoniesStore((s) => s.list);
  const listError = useCeremoniesStore((s) => s.listError);
  const show = useCeremoniesStore((s) => s.show);
  const open = useCeremoniesStore((s) => s.open);
  const startKeys = useKeysStore((s) => s.start);
  const online = useAppStore(selectOnline);
  const [pulling, setPulling] = useState(false);

  // Tokens (PIN state, keys) come from the Keys & Tokens store: one live list for the whole app.
  useEffect(() => startKeys(), [startKeys]);
  useEffect(() => start(), [start]);

  if (view.kind === 'new') return <NewCeremony onCancel={() => show({ kind: 'list' })} />;
  if (view.kind === 'ceremony') return <CeremonyPage id={view.id} onBack={() => show({ kind: 'list' })} />;
  return (
    <section aria-labelledby="page-title" className="ceremonies-screen">
      <div className="page-header">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            Ceremonies
          </h1>
          <p>Offline signing ceremonies: review, confirm, sign with each token, export the signed bundle.</p>
        </div>
        <div className="row">
          <button type="button" className="button" onClick={() => setPulling(true)} disabled={!online} aria-describedby={online ? undefined : 'pull-offline-reason'}>
            <Icon name="globe" />
            Pull request bundle…
          </button>
          <button type="button" className="button primary" onClick={() => show({ kind: 'new' })}>
            <Icon name="plus" />
            New ceremony…
          </button>
        </div>
      </div>
      {online ? null : (
        <p className="hint pull-offline" id="pull-offline-reason" data-testid="pull-offline-reason">
          <Icon name="offline" /> Pulling is off: {OFFLINE_PULL_REASON}
        </p>
      )}
      {pulling ? <PullDialog onClose={() => setPulling(false)} /> : null}
      {listError === null ? null : <ErrorAlert title="The ceremonies could not be listed" error={listError} />}
      {list === null ? (
        <p className="muted" role="status">
          Loading ceremonies…
        </p>
      ) : list.length === 0 ? (
        <EmptyState icon="ceremony" title="No ceremonies yet">
          <p>Start one from a request bundle made with “keyrite pull” on the online machine.</p>
        </EmptyState>
      ) : (
        <CeremonyList rows={list} onOpen={(id) => void open(id)} />
      )}
    </section>
  );
}
