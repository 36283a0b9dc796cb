import type { z } from 'zod';
import { create } from 'zustand';

import type { CeremonyDetail, CeremonyProgressEvent, CeremonySummary, RequestPreview, SignOutcomeView } from '../../shared/ipc/ceremony';
import type { ImpactQuery, ImpactView, PulledRequest, PullRequest, SignWithFile, StartCeremony, TokenLogin } from '../../shared/ipc/ceremony-plans';
import type { IpcError, Result } from '../../shared/ipc/result';
import { api } from '../lib/api';
import { call } from '../lib/call';

/**
 * Ceremonies state: the list, the ceremony being worked on and the signing progress. No PIN is
 * ever kept here: the PIN dialog holds it in component state and passes it to one `sign` call.
 */
export type SignOutcome = z.infer<typeof SignOutcomeView>;
export type ExportOutcome = { displayPath: string; sha256: string; journalHead: string };
export type StartRequest = z.input<typeof StartCeremony>;
export type Login = z.input<typeof TokenLogin>;
export type Pulled = z.infer<typeof PulledRequest>;

interface CeremoniesState {
  list: CeremonySummary[] | null;
  listError: IpcError | null;
  /** The ceremony open on screen (null: the list), or the new-ceremony form. */
  view: { kind: 'list' } | { kind: 'new' } | { kind: 'ceremony'; id: string };
  detail: CeremonyDetail | null;
  detailError: IpcError | null;
  progress: CeremonyProgressEvent | null;
  lastExport: ExportOutcome | null;
  start: () => () => void;
  loadList: () => Promise<void>;
  show: (view: CeremoniesState['view']) => void;
  open: (id: string) => Promise<void>;
  preview: (pickId: string) => Promise<Result<RequestPreview>>;
  /** Starts any ceremony kind; `logins` (PINs) are passed through to one call and never kept. */
  startCeremony: (request: StartRequest) => Promise<Result<CeremonyDetail>>;
  impact: (query: z.input<typeof ImpactQuery>) => Promise<Result<ImpactView>>;
  pull: (request: z.input<typeof PullRequest>) => Promise<Result<Pulled>>;
  resume: (id: string, logins?: Login[]) => Promise<Result<CeremonyDetail>>;
  confirm: (id: string, typed: string) => Promise<Result<CeremonyDetail>>;
  sign: (id: string, tokenSerial: string, pin: string, confirmFinalTry: boolean) => Promise<Result<SignOutcome>>;
  /** Signs with a workspace key file; the passphrase (if any) crosses in this one call. */
  signWithFile: (request: z.input<typeof SignWithFile>) => Promise<Result<SignOutcome>>;
  cancel: () => Promise<void>;
  finalize: (id: string) => Promise<Result<CeremonyDetail>>;
  exportSigned: (id: string, pickId: string) => Promise<Result<ExportOutcome>>;
  exportPartial: (id: string, pickId: string) => Promise<Result<ExportOutcome>>;
  mergePartial: (id: string, pickId: string) => Promise<Result<CeremonyDetail>>;
  abort: (id: string, reason: string) => Promise<Result<CeremonyDetail>>;
}

export const useCeremoniesStore = create<CeremoniesState>()((set, get) => {
  /** Every call that returns a detail refreshes the open ceremony and the list. */
  const withDetail = async (run: () => Promise<Result<CeremonyDetail>>): Promise<Result<CeremonyDetail>> => {
    const result = await call(run);
    if (result.ok) set({ detail: result.value, detailError: null });
    void get().loadList();
    return result;
  };
  return {
    list: null,
    listError: null,
    view: { kind: 'list' },
    detail: null,
    detailError: null,
    progress: null,
    lastExport: null,
    start() {
      const off = api().ceremonies.onProgress((progress) => set({ progress }));
      void get().loadList();
      return off;
    },
    async loadList() {
      const result = await call(() => api().ceremonies.list());
      if (result.ok) set({ list: result.value, listError: null });
      else set({ listError: result.error });
    },
    show(view) {
      set({ view, progress: null, lastExport: null, ...(view.kind === 'ceremony' ? {} : { detail: null, detailError: null }) });
    },
    async open(id) {
      set({ view: { kind: 'ceremony', id }, detail: null, detailError: null, progress: null, lastExport: null });
      const result = await call(() => api().ceremonies.get({ id }));
      if (result.ok) set({ detail: result.value });
      else set({ detailError: result.error });
    },
    preview(pickId) {
      return call(() => api().ceremonies.previewRequest({ pickId }));
    },
    async startCeremony(request) {
      const result = await withDetail(() => api().ceremonies.start(request));
      if (result.ok) set({ view: { kind: 'ceremony', id: result.value.summary.id } });
      return result;
    },
    impact(query) {
      return call(() => api().ceremonies.impact(query));
    },
    pull(request) {
      return call(() => api().ceremonies.pull(request));
    },
    resume: (id, logins) => withDetail(() => api().ceremonies.resume(logins === undefined || logins.length === 0 ? { id } : { id, logins })),
    confirm: (id, typed) => withDetail(() => api().ceremonies.confirm({ id, typed })),
    async sign(id, tokenSerial, pin, confirmFinalTry) {
      set({ progress: null });
      const result = await call(() => api().ceremonies.sign({ id, tokenSerial, pin, ...(confirmFinalTry ? { confirmFinalTry } : {}) }));
      if (result.ok) set({ detail: result.value.detail });
      else {
        // The journal may have moved (an intent written before the failure): show what is true now.
        const fresh = await call(() => api().ceremonies.get({ id }));
        if (fresh.ok) set({ detail: fresh.value });
      }
      void get().loadList();
      return result;
    },
    async signWithFile(request) {
      set({ progress: null });
      const result = await call(() => api().ceremonies.signWithFile(request));
      if (result.ok) set({ detail: result.value.detail });
      else {
        const fresh = await call(() => api().ceremonies.get({ id: request.id }));
        if (fresh.ok) set({ detail: fresh.value });
      }
      void get().loadList();
      return result;
    },
    async cancel() {
      await call(() => api().ceremonies.cancel());
    },
    finalize: (id) => withDetail(() => api().ceremonies.finalize({ id })),
    async exportSigned(id, pickId) {
      const result = await call(() => api().ceremonies.exportSigned({ id, pickId }));
      if (result.ok) set({ lastExport: result.value });
      await get().open(id).then(() => (result.ok ? set({ lastExport: result.value }) : undefined));
      void get().loadList();
      return result;
    },
    async exportPartial(id, pickId) {
      const result = await call(() => api().ceremonies.exportPartial({ id, pickId }));
      if (result.ok) set({ lastExport: result.value });
      return result;
    },
    mergePartial: (id, pickId) => withDetail(() => api().ceremonies.mergePartial({ id, pickId })),
    abort: (id, reason) => withDetail(() => api().ceremonies.abort({ id, reason })),
  };
});
