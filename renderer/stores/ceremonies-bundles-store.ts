import { create } from 'zustand';

import type { BundleReport } from '../../shared/ipc/ceremony';
import type { IpcError, Result } from '../../shared/ipc/result';
import { api } from '../lib/api';
import { call } from '../lib/call';

/** The Bundles screen: the bundle files read and verified in this session (newest first). */
interface BundlesState {
  reports: BundleReport[];
  error: IpcError | null;
  inspect: (pickId: string) => Promise<Result<BundleReport>>;
  exportCopy: (sourcePickId: string, pickId: string) => Promise<Result<{ displayPath: string; sha256: string }>>;
}

export const useBundlesStore = create<BundlesState>()((set) => ({
  reports: [],
  error: null,
  async inspect(pickId) {
    const result = await call(() => api().bundles.inspect({ pickId }));
    if (result.ok) set((s) => ({ reports: [result.value, ...s.reports.filter((r) => r.displayPath !== result.value.displayPath)], error: null }));
    else set({ error: result.error });
    return result;
  },
  exportCopy(sourcePickId, pickId) {
    return call(() => api().bundles.export({ sourcePickId, pickId }));
  },
}));
