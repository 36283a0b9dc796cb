import type { IpcRegistry } from './registry';
import type { IpcSender } from './sender';

/** The parts of Electron's `IpcMainInvokeEvent` we read (structural, so tests pass fakes). */
export interface InvokeEventLike {
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/** The parts of Electron's `ipcMain` we use. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

/**
 * Reads who sent an invoke. A null `senderFrame` (the frame navigated away or was destroyed) and a
 * frame whose properties throw (disposed) both become an untrusted sender.
 */
export function senderOf(event: InvokeEventLike): IpcSender {
  try {
    const frame = event.senderFrame;
    if (frame === null) return { url: null, isTopFrame: false };
    return { url: frame.url, isTopFrame: frame.parent === null };
  } catch {
    // Electron throws on a disposed WebFrameMain; such a sender cannot be checked, so it is refused.
    return { url: null, isTopFrame: false };
  }
}

/**
 * Registers one `ipcMain.handle` per invoke channel of the registry. The preload sends exactly one
 * argument; more is refused, so nothing reaches a handler outside its schema. Returns a function
 * that removes the handlers again.
 */
export function bindToIpcMain(ipcMain: IpcMainLike, registry: IpcRegistry): () => void {
  for (const channel of registry.channels) {
    ipcMain.handle(channel, (event, ...args) => {
      if (args.length > 1) {
        return { ok: false, error: { code: 'InvalidRequest', message: `Invalid request for ${channel}: one argument expected.` } };
      }
      return registry.dispatch(channel, args[0], senderOf(event));
    });
  }
  return () => {
    for (const channel of registry.channels) ipcMain.removeHandler(channel);
  };
}
