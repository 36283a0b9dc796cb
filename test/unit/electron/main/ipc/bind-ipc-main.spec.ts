import { describe, expect, it, vi } from 'vitest';

import { bindToIpcMain, senderOf, type InvokeEventLike, type IpcMainLike } from '../../../../../electron/main/ipc/bind-ipc-main';
import type { IpcRegistry } from '../../../../../electron/main/ipc/registry';

/** A fake ipcMain that keeps the registered listeners so the test can invoke them. */
function fakeIpcMain() {
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  const ipcMain: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  return { ipcMain, handlers };
}

function fakeRegistry() {
  const dispatch = vi.fn<IpcRegistry['dispatch']>(() => Promise.resolve({ ok: true, value: 'done' }));
  const registry: IpcRegistry = { channels: ['a:one', 'a:two'], dispatch };
  return { registry, dispatch };
}

const frame = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

describe('bindToIpcMain', () => {
  it('registers one handler per registry channel and removes them on dispose', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const dispose = bindToIpcMain(ipcMain, fakeRegistry().registry);
    expect([...handlers.keys()]).toEqual(['a:one', 'a:two']);
    dispose();
    expect(handlers.size).toBe(0);
  });

  it('dispatches with the sender read from event.senderFrame', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const { registry, dispatch } = fakeRegistry();
    bindToIpcMain(ipcMain, registry);
    expect(await handlers.get('a:one')?.(frame('app://keyrite/index.html'), { x: 1 })).toEqual({ ok: true, value: 'done' });
    expect(dispatch).toHaveBeenCalledWith('a:one', { x: 1 }, { url: 'app://keyrite/index.html', isTopFrame: true });
  });

  it('refuses more than one argument without dispatching', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const { registry, dispatch } = fakeRegistry();
    bindToIpcMain(ipcMain, registry);
    const result = await handlers.get('a:one')?.(frame('app://keyrite/index.html'), { x: 1 }, '/etc/passwd');
    expect(result).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
    expect(dispatch).not.toHaveBeenCalled();
  });
});

describe('senderOf', () => {
  it('marks a null senderFrame as gone and not top-level', () => {
    expect(senderOf({ senderFrame: null })).toEqual({ url: null, isTopFrame: false });
  });

  it('marks a frame with a parent as a subframe', () => {
    expect(senderOf(frame('app://keyrite/index.html', { url: 'app://keyrite/index.html' }))).toEqual({
      url: 'app://keyrite/index.html',
      isTopFrame: false,
    });
  });

  it('treats a disposed frame (property access throws) as gone', () => {
    const disposed = {
      get senderFrame(): InvokeEventLike['senderFrame'] {
        return {
          get url(): string {
            throw new Error('Render frame was disposed before WebFrameMain could be accessed');
          },
          parent: null,
        };
      },
    };
    expect(senderOf(disposed)).toEqual({ url: null, isTopFrame: false });
  });
});
