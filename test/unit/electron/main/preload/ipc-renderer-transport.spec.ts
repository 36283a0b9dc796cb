import { describe, expect, it, vi } from 'vitest';

import { createIpcRendererTransport, UnknownChannelError, type IpcRendererLike } from '../../../../../electron/preload/ipc-renderer-transport';
import { listChannels } from '../../../../../shared/ipc/channels';
import { contract } from '../../../../../shared/ipc/contract';
import { createRendererApi } from '../../../../../shared/ipc/create-api';

// Preload tests live here because test/unit/electron/main/** is the IPC owner's test area.
function fakeIpcRenderer() {
  const listeners = new Map<string, Set<(event: unknown, ...args: unknown[]) => void>>();
  const invoke = vi.fn((_channel: string, ..._args: unknown[]) => Promise.resolve<unknown>({ ok: true, value: { removed: true } }));
  const ipcRenderer: IpcRendererLike = {
    invoke,
    on: (channel, listener) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener)),
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  const emit = (channel: string, event: unknown, payload: unknown) => listeners.get(channel)?.forEach((l) => l(event, payload));
  return { ipcRenderer, invoke, listeners, emit };
}

const channels = new Set(listChannels(contract).map((e) => e.channel));

describe('ipcRenderer transport', () => {
  it('invokes contract channels with exactly one argument', async () => {
    const { ipcRenderer, invoke } = fakeIpcRenderer();
    const transport = createIpcRendererTransport(ipcRenderer, channels);
    await transport.invoke('repositories:remove', { id: 'abc' });
    expect(invoke).toHaveBeenCalledWith('repositories:remove', { id: 'abc' });
  });

  it('refuses channels outside the contract', () => {
    const { ipcRenderer, invoke } = fakeIpcRenderer();
    const transport = createIpcRendererTransport(ipcRenderer, channels);
    expect(() => transport.invoke('shell:openExternal', 'https://x')).toThrow(UnknownChannelError);
    expect(() => transport.subscribe('secrets:onPin', () => undefined)).toThrow(UnknownChannelError);
    expect(invoke).not.toHaveBeenCalled();
  });

  it('forwards only the payload of an event, never the Electron event (whose sender is ipcRenderer)', () => {
    const { ipcRenderer, listeners, emit } = fakeIpcRenderer();
    const transport = createIpcRendererTransport(ipcRenderer, channels);
    const seen: unknown[][] = [];
    const unsubscribe = transport.subscribe('repositories:onProgress', (...args: unknown[]) => seen.push(args));
    emit('repositories:onProgress', { sender: ipcRenderer }, { jobId: 'job-00001' });
    expect(seen).toEqual([[{ jobId: 'job-00001' }]]);
    unsubscribe();
    expect(listeners.get('repositories:onProgress')?.size).toBe(0);
  });

  it('backs the generated API end to end', async () => {
    const { ipcRenderer, emit } = fakeIpcRenderer();
    const api = createRendererApi(contract, createIpcRendererTransport(ipcRenderer, channels));
    expect(await api.repositories.remove({ id: 'abc' })).toEqual({ ok: true, value: { removed: true } });
    const progress = vi.fn();
    api.repositories.onProgress(progress);
    emit('repositories:onProgress', {}, { jobId: 'job-00001', phase: 'done', done: 1, total: 1 });
    expect(progress).toHaveBeenCalledWith({ jobId: 'job-00001', phase: 'done', done: 1, total: 1 });
  });
});
