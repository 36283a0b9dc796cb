import type { PlanInput } from '../../../shared/ipc/ceremony-plans';
import type { Contract } from '../../../shared/ipc/contract';
import type { CryptoProvider } from '../../../shared/tuf/crypto';
import { exportBundleFile, inspectBundleFile, type CeremonyDesk, type DeskLogin } from '../../core/ceremony-desk';
import { TokensUnavailableError } from '../../core/custody';
import { pinBuffer, type FilePicker } from './custody-handlers';
import type { HandlersOf } from './registry';

/** What the ceremonies:* and bundles:* channels call. */
export type CeremonyOperations = Pick<
  CeremonyDesk,
  | 'list'
  | 'get'
  | 'previewRequest'
  | 'start'
  | 'impact'
  | 'pull'
  | 'resume'
  | 'confirm'
  | 'sign'
  | 'signWithFile'
  | 'cancel'
  | 'finalize'
  | 'exportSigned'
  | 'exportPartial'
  | 'mergePartial'
  | 'abort'
>;

type LoginInput = { tokenSerial: string; pin: string; confirmFinalTry?: boolean | undefined };

/** PIN strings → byte buffers the desk copies and wipes; `wipe` clears these too, whatever happened. */
function loginBuffers(logins: readonly LoginInput[] | undefined): { logins: DeskLogin[]; wipe: () => void } {
  const out = (logins ?? []).map((l) => ({ tokenSerial: l.tokenSerial, pin: pinBuffer(l.pin), confirmFinalTry: l.confirmFinalTry === true }));
  return { logins: out, wipe: () => out.forEach((l) => l.pin.fill(0)) };
}

/** The open-pick paths of a sign-targets plan's `add` changes (an unknown pick id is refused here). */
function targetFilesOf(plan: PlanInput, open: (pickId: string) => string): Record<string, string> {
  if (plan.kind !== 'sign-targets') return {};
  const files: Record<string, string> = {};
  for (const change of plan.changes ?? []) if (change.action === 'add') files[change.filePickId] = open(change.filePickId);
  return files;
}

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
      start: async ({ requestPickId, plan, logins }) => {
        const pins = loginBuffers(logins);
        try {
          return await desk.start({ requestPath: open(requestPickId), plan, logins: pins.logins, targetFiles: targetFilesOf(plan, open) });
        } finally {
          pins.wipe();
        }
      },
      impact: ({ requestPickId, compromised, lost, lostTokens }) => desk.impact(open(requestPickId), compromised, lost, lostTokens ?? []),
      pull: ({ source, pickId }) => desk.pull(source, save(pickId)),
      resume: async ({ id, logins }) => {
        const pins = loginBuffers(logins);
        try {
          return await desk.resume(id, pins.logins);
        } finally {
          pins.wipe();
        }
      },
      confirm: ({ id, typed }) => desk.confirm(id, typed),
      sign: async ({ id, tokenSerial, pin, confirmFinalTry }) => {
        const bytes = pinBuffer(pin);
        try {
          return await desk.sign(id, tokenSerial, bytes, confirmFinalTry === true);
        } finally {
          bytes.fill(0);
        }
      },
      signWithFile: (request) =>
        desk.signWithFile(request.id, request.keyId, request.source === 'passphrase' ? { source: 'passphrase', passphrase: request.passphrase } : { source: 'keychain' }),
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
      list: refuse, get: refuse, previewRequest: refuse, start: refuse, impact: refuse, pull: refuse, resume: refuse,
      confirm: refuse, sign: refuse, signWithFile: refuse, cancel: refuse, finalize: refuse, exportSigned: refuse, exportPartial: refuse, mergePartial: refuse, abort: refuse,
    },
    bundles: { inspect: refuse, export: refuse },
  };
}
