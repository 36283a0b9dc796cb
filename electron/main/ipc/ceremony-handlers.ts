import type { Contract } from '../../../shared/ipc/contract';
import type { CryptoProvider } from '../../../shared/tuf/crypto';
import { exportBundleFile, inspectBundleFile, type CeremonyDesk } from '../../core/ceremony-desk';
import { TokensUnavailableError } from '../../core/custody';
import { pinBuffer, type FilePicker } from './custody-handlers';
import type { HandlersOf } from './registry';

/** What the ceremonies:* and bundles:* channels call. */
export type CeremonyOperations = Pick<
  CeremonyDesk,
  'list' | 'get' | 'previewRequest' | 'startRotateRoot' | 'resume' | 'confirm' | 'sign' | 'cancel' | 'finalize' | 'exportSigned' | 'exportPartial' | 'mergePartial' | 'abort'
>;

type CeremonyHandlers = Pick<HandlersOf<Contract>, 'ceremonies' | 'bundles'>;

/**
 * ceremonies:* and bundles:* wired to the ceremony desk. Files come from main's dialogs only
 * (keys:pickFile): open picks are read, save picks are written. The PIN becomes a Buffer that the
 * desk wipes after login, and it is wiped here again whatever happened.
 */
export function createCeremonyHandlers(desk: CeremonyOperations, files: FilePicker, crypto: CryptoProvider): CeremonyHandlers {
  const open = (pickId: string): string => files.resolveFile(pickId, 'open');
  const save = (pickId: string): string => files.resolveFile(pickId, 'save');
  return {
    ceremonies: {
      list: () => desk.list(),
      get: ({ id }) => desk.get(id),
      previewRequest: ({ pickId }) => {
        const filePath = open(pickId);
        return desk.previewRequest(pickId, filePath, filePath);
      },
      startRotateRoot: ({ requestPickId, add, remove, threshold, expires }) =>
        desk.startRotateRoot({ requestPath: open(requestPickId), add, remove, threshold, expires }),
      resume: ({ id }) => desk.resume(id),
      confirm: ({ id, typed }) => desk.confirm(id, typed),
      sign: async ({ id, tokenSerial, pin, confirmFinalTry }) => {
        const bytes = pinBuffer(pin);
        try {
          return await desk.sign(id, tokenSerial, bytes, confirmFinalTry === true);
        } finally {
          bytes.fill(0);
        }
      },
      cancel: () => desk.cancel(),
      finalize: ({ id }) => desk.finalize(id),
      exportSigned: ({ id, pickId }) => desk.exportSigned(id, save(pickId)),
      exportPartial: ({ id, pickId }) => desk.exportPartial(id, save(pickId)),
      mergePartial: ({ id, pickId }) => desk.mergePartial(id, open(pickId)),
      abort: ({ id, reason }) => desk.abort(id, reason),
    },
    bundles: {
      inspect: ({ pickId }) => inspectBundleFile(pickId, open(pickId), crypto),
      export: ({ sourcePickId, pickId }) => exportBundleFile(open(sourcePickId), save(pickId)),
    },
  };
}

/** For windows (and tests) without ceremonies: every channel answers with a clear error. */
export function unavailableCeremonyHandlers(reason = 'Ceremonies are not available in this window.'): CeremonyHandlers {
  const refuse = (): never => {
    throw new TokensUnavailableError(reason);
  };
  return {
    ceremonies: {
      list: refuse, get: refuse, previewRequest: refuse, startRotateRoot: refuse, resume: refuse, confirm: refuse, sign: refuse,
      cancel: refuse, finalize: refuse, exportSigned: refuse, exportPartial: refuse, mergePartial: refuse, abort: refuse,
    },
    bundles: { inspect: refuse, export: refuse },
  };
}
