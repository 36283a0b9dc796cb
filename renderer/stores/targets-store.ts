import { create } from 'zustand';

import type { TargetView } from '../../shared/inspection/report';
import type { IpcError } from '../../shared/ipc/result';
import { api } from '../lib/api';
import { call } from '../lib/call';

/** Rows per `repositories:getTargets` call; the contract caps a page at 1000. */
export const TARGET_PAGE_SIZE = 500;

interface TargetsState {
  repoId: string | null;
  query: string;
  /** Total rows matching `query`; null until the first page arrives. */
  total: number | null;
  pages: Record<number, TargetView[]>;
  error: IpcError | null;
  /** Bumped on every (repo, query) change so late pages of an old query are dropped. */
  generation: number;
  open: (repoId: string) => void;
  setQuery: (query: string) => void;
  /** Makes sure rows [start, end) are loaded or loading. */
  ensureRange: (start: number, end: number) => void;
}

const inFlight = new Set<string>();

export const useTargetsStore = create<TargetsState>()((set, get) => {
  const loadPage = async (page: number): Promise<void> => {
    const { repoId, query, generation } = get();
    if (repoId === null) return;
    const key = `${generation}:${page}`;
    if (inFlight.has(key) || get().pages[page] !== undefined) return;
    inFlight.add(key);
    const request = {
      id: repoId,
      offset: page * TARGET_PAGE_SIZE,
      limit: TARGET_PAGE_SIZE,
      ...(query === '' ? {} : { query }),
    };
    const result = await call(() => api().repositories.getTargets(request));
    inFlight.delete(key);
    if (get().generation !== generation) return;
    if (result.ok) set({ total: result.value.total, pages: { ...get().pages, [page]: result.value.rows }, error: null });
    else set({ error: result.error });
  };

  const reset = (patch: Partial<TargetsState>): void => {
    set({ ...patch, total: null, pages: {}, error: null, generation: get().generation + 1 });
    void loadPage(0);
  };

  return {
    repoId: null,
    query: '',
    total: null,
    pages: {},
    error: null,
    generation: 0,
    open(repoId) {
      if (get().repoId === repoId && get().total !== null) return;
      reset({ repoId, query: '' });
    },
    setQuery(query) {
      if (query === get().query) return;
      reset({ query });
    },
    ensureRange(start, end) {
      const first = Math.floor(start / TARGET_PAGE_SIZE);
      const last = Math.floor(Math.max(start, end - 1) / TARGET_PAGE_SIZE);
      for (let page = first; page <= last; page += 1) void loadPage(page);
    },
  };
});

export function targetAt(pages: Record<number, TargetView[]>, index: number): TargetView | undefined {
  return pages[Math.floor(index / TARGET_PAGE_SIZE)]?.[index % TARGET_PAGE_SIZE];
}
