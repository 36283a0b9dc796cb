import { type ReactElement, useEffect, useState } from 'react';

import type { IpcError } from '../../../../shared/ipc/result';
import { ErrorAlert } from '../../../components/alert';
import { Icon } from '../../../components/icons';
import { type TabItem, Tabs } from '../../../components/tabs';
import { formatDateTime } from '../../../lib/format';
import { type RepositoryTab, useAppStore } from '../../../stores/app-store';
import { useRepositoriesStore } from '../../../stores/repositories-store';
import { ExpiryTimeline } from './expiry-timeline';
import { HealthBadge } from './health-badge';
import { JobProgress } from './job-progress';
import { KeysTable } from './keys-table';
import { OverviewPanel } from './overview-panel';
import { RemoveRepositoryDialog } from './remove-repository-dialog';
import { RootHistory } from './root-history';
import { DIALECT_LABEL, SOURCE_LABEL } from './source-label';
import { TargetsTable } from './targets-table';
import { TrustGraph } from './trust-graph';

const TABS: readonly TabItem<RepositoryTab>[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'graph', label: 'Trust graph' },
  { id: 'keys', label: 'Keys' },
  { id: 'targets', label: 'Targets' },
  { id: 'expiry', label: 'Expiry timeline' },
  { id: 'history', label: 'Root history' },
];

export function RepositoryView({ id, tab }: { id: string; tab: RepositoryTab }): ReactElement {
  const navigate = useAppStore((s) => s.navigate);
  const summary = useRepositoriesStore((s) => s.list.find((r) => r.id === id));
  const entry = useRepositoriesStore((s) => s.details[id]);
  const job = useRepositoriesStore((s) => s.job);
  const loadDetail = useRepositoriesStore((s) => s.loadDetail);
  const reinspect = useRepositoriesStore((s) => s.reinspect);
  const remove = useRepositoriesStore((s) => s.remove);
  const cancel = useRepositoriesStore((s) => s.cancel);
  const [actionError, setActionError] = useState<IpcError | null>(null);
  const [confirmRemove, setConfirmRemove] = useState(false);

  useEffect(() => {
    void loadDetail(id);
  }, [id, loadDetail, summary?.inspectedAt]);

  const detail = entry?.detail ?? null;
  const name = summary?.name ?? detail?.summary.name ?? id;
  const back = (): void => navigate({ screen: 'repositories' });

  const onReinspect = async (): Promise<void> => {
    setActionError(await reinspect(id));
  };
  const onRemove = async (): Promise<void> => {
    setConfirmRemove(false);
    const error = await remove(id);
    if (error === null) back();
    else setActionError(error);
  };

  return (
    <section aria-labelledby="page-title">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <button type="button" className="link-button" onClick={back}>
          <Icon name="back" className="visually-hidden" />
          Repositories
        </button>
        <span aria-hidden="true">/</span>
        <span aria-current="page">{name}</span>
      </nav>
      <div className="page-header">
        <div>
          <h1 id="page-title" tabIndex={-1} className="mono">
            {name}
          </h1>
          {summary === undefined ? null : (
            <p className="row">
              <HealthBadge health={summary.health} />
              <span>{DIALECT_LABEL[summary.dialect]}</span>
              <span aria-hidden="true">·</span>
              <span>{SOURCE_LABEL[summary.source.kind]}</span>
              <span aria-hidden="true">·</span>
              <span>Inspected {formatDateTime(summary.inspectedAt)}</span>
            </p>
          )}
        </div>
        <div className="row">
          <button type="button" className="button" onClick={() => void onReinspect()} disabled={job !== null}>
            <Icon name="refresh" />
            Re-inspect
          </button>
          <button type="button" className="button danger" onClick={() => setConfirmRemove(true)} disabled={job !== null}>
            <Icon name="trash" />
            Remove
          </button>
        </div>
      </div>
      {job === null ? null : (
        <div className="card">
          <JobProgress job={job} onCancel={() => void cancel()} />
        </div>
      )}
      {actionError === null ? null : <ErrorAlert title="The action failed" error={actionError} />}
      {confirmRemove ? <RemoveRepositoryDialog name={name} onCancel={() => setConfirmRemove(false)} onConfirm={() => void onRemove()} /> : null}
      <Tabs items={TABS} value={tab} onChange={(next) => navigate({ screen: 'repository', id, tab: next })} label="Repository views" idPrefix="repo" />
      <div id="repo-panel" role="tabpanel" aria-labelledby={`repo-tab-${tab}`}>
        {entry?.state === 'failed' && entry.error !== null ? (
          <ErrorAlert title="The inspection report could not be loaded" error={entry.error} />
        ) : detail === null ? (
          <p className="muted" role="status">
            Loading the inspection report…
          </p>
        ) : tab === 'overview' ? (
          <OverviewPanel detail={detail} />
        ) : tab === 'graph' ? (
          <TrustGraph report={detail.report} />
        ) : tab === 'keys' ? (
          <KeysTable report={detail.report} />
        ) : tab === 'targets' ? (
          <TargetsTable repoId={id} total={detail.summary.targetCount} />
        ) : tab === 'expiry' ? (
          <ExpiryTimeline report={detail.report} />
        ) : (
          <RootHistory steps={detail.report.rootHistory} />
        )}
      </div>
    </section>
  );
}
