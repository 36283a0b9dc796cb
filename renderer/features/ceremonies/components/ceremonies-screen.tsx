import { type ReactElement, useEffect } from 'react';

import { ErrorAlert } from '../../../components/alert';
import { EmptyState } from '../../../components/empty-state';
import { Icon } from '../../../components/icons';
import { useCeremoniesStore } from '../../../stores/ceremonies-store';
import { useKeysStore } from '../../../stores/keys-store';
import { CeremonyList } from './ceremony-list';
import { CeremonyPage } from './ceremony-page';
import { NewRotateRoot } from './new-rotate-root';
import '../ceremonies.css';

/** Ceremonies: the list (resume any unfinished one), a new rotate-root, and one ceremony's steps. */
export function CeremoniesScreen(): ReactElement {
  const start = useCeremoniesStore((s) => s.start);
  const view = useCeremoniesStore((s) => s.view);
  const list = useCeremoniesStore((s) => s.list);
  const listError = useCeremoniesStore((s) => s.listError);
  const show = useCeremoniesStore((s) => s.show);
  const open = useCeremoniesStore((s) => s.open);
  const startKeys = useKeysStore((s) => s.start);

  // Tokens (PIN state, keys) come from the Keys & Tokens store: one live list for the whole app.
  useEffect(() => startKeys(), [startKeys]);
  useEffect(() => start(), [start]);

  if (view.kind === 'new') return <NewRotateRoot onCancel={() => show({ kind: 'list' })} />;
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
          <button type="button" className="button primary" onClick={() => show({ kind: 'new' })}>
            <Icon name="plus" />
            New rotate-root ceremony
          </button>
        </div>
      </div>
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
