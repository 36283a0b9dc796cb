import type { z } from 'zod';

import type { AppSnapshot, Contract } from '../../../shared/ipc/contract';
import type { CryptoProvider } from '../../../shared/tuf/crypto';
import type { InspectionService } from '../../core/inspection/inspection-service';
import type { SourceSpec } from '../../core/sources/source-loader';
import type { PickedDirectory } from '../services/dialog-service';
import { createCustodyHandlers, unavailableCustodyHandlers, type CustodyOperations, type FilePicker } from './custody-handlers';
import { createCeremonyHandlers, unavailableCeremonyHandlers, type CeremonyOperations } from './ceremony-handlers';
import type { HandlersOf } from './registry';

/** The inspection operations the repository channels call (the core's InspectionService). */
export type RepositoryOperations = Pick<InspectionService, 'add' | 'reinspect' | 'cancel' | 'list' | 'get' | 'getTargets' | 'remove'>;

/** The dialog operations: pickers live in main, the renderer only ever holds a pickId. */
export interface DirectoryPicker {
  pickDirectory(title: string): Promise<PickedDirectory | null>;
  /** Throws a named error (UnknownPickError → 'InvalidInput') for ids main never issued. */
  resolve(pickId: string): string;
}

export interface HandlerDeps {
  inspection: RepositoryOperations;
  dialogs: DirectoryPicker;
  snapshot: () => z.input<typeof AppSnapshot>;
  /** Key custody (tokens:*, keys:*). Without it those channels answer with a clear "not available". */
  custody?: { service: CustodyOperations; files: FilePicker };
  /** Ceremonies and bundles (ceremonies:*, bundles:*). Without it those channels answer with a clear "not available". */
  ceremonies?: { desk: CeremonyOperations; files: FilePicker; crypto: CryptoProvider };
}

type InspectParams = { jobId: string; at?: string | undefined; warnDays?: number | undefined };

// exactOptionalPropertyTypes: pass only the keys the renderer actually set.
const jobParams = (params: InspectParams) => ({
  jobId: params.jobId,
  ...(params.at === undefined ? {} : { at: params.at }),
  ...(params.warnDays === undefined ? {} : { warnDays: params.warnDays }),
});

/**
 * Every invoke channel of the contract, wired to the services. Handlers get requests already
 * checked by the registry; they only translate (pickId → path) and delegate.
 */
export function createHandlers(deps: HandlerDeps): HandlersOf<Contract> {
  const { inspection, dialogs } = deps;
  const toSourceSpec = (source: Parameters<HandlersOf<Contract>['repositories']['add']>[0]['source']): SourceSpec => {
    switch (source.kind) {
      case 'directory': {
        const path = dialogs.resolve(source.pickId);
        return source.gun === undefined ? { kind: 'directory', path } : { kind: 'directory', path, gun: source.gun };
      }
      case 'notary-server':
        // Offline mode is enforced by the core's network policy (NetworkRefusedError → SourceUnavailable).
        return { kind: 'notary-server', url: source.url, gun: source.gun };
      case 'tuf-url':
        return { kind: 'tuf-url', url: source.url };
    }
  };
  return {
    app: {
      getSnapshot: () => deps.snapshot(),
    },
    repositories: {
      list: () => inspection.list(),
      pickDirectory: ({ title }) => dialogs.pickDirectory(title),
      add: ({ source, params }) => inspection.add(toSourceSpec(source), jobParams(params)),
      reinspect: ({ id, params }) => inspection.reinspect(id, jobParams(params)),
      cancel: ({ jobId }) => inspection.cancel(jobId),
      get: ({ id }) => inspection.get(id),
      getTargets: ({ id, offset, limit, query }) => inspection.getTargets(id, offset, limit, query),
      remove: ({ id }) => inspection.remove(id),
    },
    ...(deps.custody ? createCustodyHandlers(deps.custody.service, deps.custody.files) : unavailableCustodyHandlers()),
    ...(deps.ceremonies ? createCeremonyHandlers(deps.ceremonies.desk, deps.ceremonies.files, deps.ceremonies.crypto) : unavailableCeremonyHandlers()),
  };
}
