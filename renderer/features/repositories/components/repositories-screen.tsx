import { type ReactElement, useState } from 'react';

import { ErrorAlert } from '../../../components/alert';
import { EmptyState } from '../../../components/empty-state';
import { Icon } from '../../../components/icons';
import { useAppStore } from '../../../stores/app-store';
import { useRepositoriesStore } from '../../../stores/repositories-store';
import { AddRepositoryDialog } from './add-repository-dialog';
import { RepositoryTable } from './repository-table';

export function RepositoriesScreen(): ReactElement {
  const list = useRepositoriesStore((s) => s.list);
  const listState = useRepositoriesStore((s) => s.listState);
  const listError = useRepositoriesStore((s) => s.listError);
  const navigate = useAppStore((s) => s.navigate);
  const [adding, setAdding] = useState(false);
  const open = (id: string): void => navigate({ screen: 'repository', id, tab: 'overview' });

  return (
    <section aria-labelledby="page-title">
      <div className="page-header">
        <div>
          <h1 id="page-title" tabIndex={-1}>
            Repositories
          </h1>
          <p>Trust state of Notary and TUF repositories: roles, keys, signatures, expiry and findings.</p>
        </div>
        <button type="button" className="button primary" onClick={() => setAdding(true)}>
          <Icon name="plus" />
          Add repository
        </button>
      </div>
      {listError === null ? null : <ErrorAlert title="The repository list could not be loaded" error={listError} />}
      {listState === 'loading' ? (
        <p className="muted" role="status">
          Loading repositories…
        </p>
      ) : list.length === 0 && listState === 'ready' ? (
        <EmptyState icon="repo" title="No repositories yet">
          <p>
            Add a repository to see its trust state: a metadata folder, a Docker/Notary trust dir, a TUF repository folder, or
            (in online mode) a Notary server or TUF URL.
          </p>
          <button type="button" className="button primary" onClick={() => setAdding(true)}>
            <Icon name="plus" />
            Add repository
          </button>
        </EmptyState>
      ) : list.length > 0 ? (
        <RepositoryTable list={list} onOpen={open} />
      ) : null}
      {adding ? (
        <AddRepositoryDialog
          onClose={() => setAdding(false)}
          onAdded={(added) => {
            setAdding(false);
            const only = added.length === 1 ? added[0] : undefined;
            if (only !== undefined) open(only.id);
          }}
        />
      ) : null}
    </section>
  );
}
