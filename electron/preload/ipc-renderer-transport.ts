import type { Transport } from '../../shared/ipc/create-api';

/** The parts of Electron's `ipcRenderer` the transport uses (structural, so tests pass a fake). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

// Refused before anything is sent: the API only ever names contract channels, so this is a bug.
export class UnknownChannelError extends Error {
  override readonly name = 'UnknownChannelError';
}

/**
 * A Transport over ipcRenderer, limited to the contract's channels. The Electron event object is
 * never handed on (its `sender` is ipcRenderer itself), only the payload.
 */
export function createIpcRendererTransport(ipcRenderer: IpcRendererLike, channels: ReadonlySet<string>): Transport {
  const check = (channel: string) => {
    if (!channels.has(channel)) throw new UnknownChannelError(`${channel} is not a contract channel`);
  };
  return {
    invoke(channel, payload) {
      check(channel);
      return ipcRenderer.invoke(channel, payload);
    },
    subscribe(channel, listener) {
      check(channel);
      const forward = (_event: unknown, payload?: unknown) => listener(payload);
      ipcRenderer.on(channel, forward);
      return () => {
        ipcRenderer.removeListener(channel, forward);
      };
    },
  };
}
