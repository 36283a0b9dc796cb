import { create } from 'zustand';

import type { AddSource, Progress, RepositoryDetail, RepositorySummary } from '../../shared/ipc/contract';
import type { IpcError } from '../../shared/ipc/result';
import { api } from '../lib/api';
import { call } from '../lib/call';
import { newJobId } from '../lib/job-id';

export type LoadState = 'idle' | 'loading' | 'ready' | 'failed';

export interface Job {
  jobId: string;
  /** What the job is doing, for the progress panel's label. */
  label: string;
  progress: Progress | null;
}

export interface DetailEntry {
  state: LoadState;
  detail: RepositoryDetail | null;
  error: IpcError | null;
}

export interface PickedFolder {
  pickId: string;
  displayPath: string;
}

interface RepositoriesState {
  list: RepositorySummary[];
  listState: LoadState;
  listError: IpcError | null;
  details: Record<string, DetailEntry>;
  job: Job | null;
  /** Loads the list and subscribes to main's events; returns the unsubscribe. */
  start: () => () => void;
  refresh: () => Promise<void>;
  pickDirectory: () => Promise<{ picked: PickedFolder | null; error: IpcError | null }>;
  /** Adds a repository; resolves with the added summaries or the precise error. */
  add: (source: AddSource, label: string) => Promise<{ added: RepositorySummary[]; error: IpcError | null }>;
  reinspect: (id: string) => Promise<IpcError | null>;
  cancel: () => Promise<void>;
  remove: (id: string) => Promise<IpcError | null>;
  loadDetail: (id: string, force?: boolean) => Promise<void>;
}

const upsert = (list: RepositorySummary[], items: RepositorySummary[]): RepositorySummary[] => {
  const byId = new Map(list.map((r) => [r.id, r]));
  for (const item of items) byId.set(item.id, item);
  return [...byId.values()];
};

export const useRepositoriesStore = create<RepositoriesState>()((set, get) => ({
  list: [],
  listState: 'idle',
  listError: null,
  details: {},
  job: null,

  start() {
    const offProgress = api().repositories.onProgress((progress) => {
      const job = get().job;
      // Progress of someone else's job (another window, the CLI) is not ours to show.
      if (job !== null && job.jobId === progress.jobId) set({ job: { ...job, progress } });
    });
    const offChanged = api().repositories.onChanged((list) => {
      const stale = Object.keys(get().details).filter((id) => {
        const before = get().list.find((r) => r.id === id);
        const after = list.find((r) => r.id === id);
        return after === undefined || before?.inspectedAt !== after.inspectedAt;
      });
      const details = { ...get().details };
      for (const id of stale) delete details[id];
      set({ list, listState: 'ready', listError: null, details });
    });
    void get().refresh();
    return () => {
      offProgress();
      offChanged();
    };
  },

  async refresh() {
    set({ listState: get().list.length === 0 ? 'loading' : get().listState });
    const result = await call(() => api().repositories.list());
    if (result.ok) set({ list: result.value, listState: 'ready', listError: null });
    else set({ listState: 'failed', listError: result.error });
  },

  async pickDirectory() {
    const result = await call(() => api().repositories.pickDirectory({ title: 'Choose a repository folder' }));
    return result.ok ? { picked: result.value, error: null } : { picked: null, error: result.error };
  },

  async add(source, label) {
    const jobId = newJobId();
    set({ job: { jobId, label, progress: null } });
    const result = await call(() => api().repositories.add({ source, params: { jobId } }));
    set({ job: null });
    if (!result.ok) return { added: [], error: result.error };
    set({ list: upsert(get().list, result.value), listState: 'ready' });
    return { added: result.value, error: null };
  },

  async reinspect(id) {
    const jobId = newJobId();
    set({ job: { jobId, label: 'Re-inspecting', progress: null } });
    const result = await call(() => api().repositories.reinspect({ id, params: { jobId } }));
    set({ job: null });
    if (!result.ok) return result.error;
    set({ list: upsert(get().list, [result.value]) });
    await get().loadDetail(id, true);
    return null;
  },

  async cancel() {
    const job = get().job;
    if (job === null) return;
    const result = await call(() => api().repositories.cancel({ jobId: job.jobId }));
    if (!result.ok) console.warn('cancel failed', result.error);
  },

  async remove(id) {
    const result = await call(() => api().repositories.remove({ id }));
    if (!result.ok) return result.error;
    const details = { ...get().details };
    delete details[id];
    set({ list: get().list.filter((r) => r.id !== id), details });
    return null;
  },

  async loadDetail(id, force = false) {
    const current = get().details[id];
    if (!force && current !== undefined && current.state !== 'failed') return;
    set({ details: { ...get().details, [id]: { state: 'loading', detail: current?.detail ?? null, error: null } } });
    const result = await call(() => api().repositories.get({ id }));
    const entry: DetailEntry = result.ok
      ? { state: 'ready', detail: result.value, error: null }
      : { state: 'failed', detail: null, error: result.error };
    set({ details: { ...get().details, [id]: entry } });
  },
}));
