import type { Contract } from '../../../shared/ipc/contract';
import type { CustodyService } from '../../core/custody';
import { TokensUnavailableError } from '../../core/custody';
import type { HandlersOf } from './registry';

/** The custody operations the tokens:* and keys:* channels call (the core's CustodyService). */
export type CustodyOperations = Pick<
  CustodyService,
  'listTokens' | 'tokenKeys' | 'generateOnToken' | 'cancelTokenOperation' | 'inventory' | 'importKeyFile' | 'exportKeyFile' | 'generateSoftwareKey'
>;

/** File dialogs for key files: the renderer only ever holds a pickId. */
export interface FilePicker {
  pickFile(request: { mode: 'open' | 'save'; title: string; suggestedName?: string | undefined }): Promise<{ pickId: string; displayPath: string } | null>;
  /** Throws UnknownPickError ('InvalidInput') for ids main never issued. */
  resolveFile(pickId: string, mode: 'open' | 'save'): string;
}

type CustodyHandlers = Pick<HandlersOf<Contract>, 'tokens' | 'keys'>;

/** The PIN as bytes main can wipe; the renderer's string is not kept anywhere. */
export const pinBuffer = (pin: string): Buffer => Buffer.from(pin, 'utf8');

/**
 * tokens:* and keys:* wired to the custody facade. The PIN is turned into a Buffer that the core
 * wipes (fill(0)) after use, and wiped again here whatever happened; PINs and passphrases are never
 * logged (the registry logs channel names and schema paths only).
 */
export function createCustodyHandlers(custody: CustodyOperations, files: FilePicker): CustodyHandlers {
  return {
    tokens: {
      list: () => custody.listTokens(),
      keys: ({ tokenSerial }) => custody.tokenKeys(tokenSerial),
      generate: async ({ pin, managementKey, confirmFinalTry, ...rest }) => {
        // A management key is the SO secret (YubiKey PIV); otherwise the user PIN logs in.
        const secret = managementKey === undefined ? pinBuffer(pin ?? '') : pinBuffer(managementKey.toLowerCase());
        try {
          return await custody.generateOnToken({ ...rest, pin: secret, user: managementKey === undefined ? 'user' : 'so', confirmFinalTry: confirmFinalTry === true });
        } finally {
          secret.fill(0);
        }
      },
      cancel: () => custody.cancelTokenOperation(),
    },
    keys: {
      inventory: () => custody.inventory(),
      pickFile: (request) => files.pickFile(request),
      import: ({ pickId, passphrase, ...duty }) => custody.importKeyFile(files.resolveFile(pickId, 'open'), passphrase, duty),
      export: async ({ keyId, pickId, format, passphrase }) => {
        const destination = files.resolveFile(pickId, 'save');
        await custody.exportKeyFile(keyId, destination, format, passphrase);
        return { displayPath: destination };
      },
      generateSoftware: ({ algorithm, passphrase, ...duty }) => custody.generateSoftwareKey(algorithm, passphrase, duty),
    },
  };
}

/** For windows (and tests) without key custody: every custody channel answers with a clear error. */
export function unavailableCustodyHandlers(reason = 'Key custody is not available in this window.'): CustodyHandlers {
  const refuse = (): never => {
    throw new TokensUnavailableError(reason);
  };
  return {
    tokens: { list: refuse, keys: refuse, generate: refuse, cancel: refuse },
    keys: { inventory: refuse, pickFile: refuse, import: refuse, export: refuse, generateSoftware: refuse },
  };
}
