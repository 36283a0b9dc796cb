import { describe, expect, it, vi } from 'vitest';

import { createHandlers } from '../../../../../electron/main/ipc/handlers';
import { createIpcRegistry } from '../../../../../electron/main/ipc/registry';
import { DialogService } from '../../../../../electron/main/services/dialog-service';
import { contract } from '../../../../../shared/ipc/contract';
import { APP_SENDER, recordingLogger, SUMMARY } from '../support/fakes';

function setup() {
  const inspection = {
    add: vi.fn(() => Promise.resolve([SUMMARY])),
    reinspect: vi.fn(() => Promise.resolve(SUMMARY)),
    cancel: vi.fn(() => ({ cancelled: true })),
    list: vi.fn(() => Promise.resolve([SUMMARY])),
    get: vi.fn(() => Promise.reject(new Error('unused'))),
    getTargets: vi.fn((_id: string, offset: number) => Promise.resolve({ total: 0, offset, rows: [] })),
    remove: vi.fn(() => Promise.resolve({ removed: true })),
  };
  const dialogs = new DialogService({
    showDirectoryDialog: () => Promise.resolve({ canceled: false, filePaths: ['/media/usb/trust'] }),
    newId: () => 'pick-00000001',
  });
  const handlers = createHandlers({
    inspection: inspection,
    dialogs,
    snapshot: () => ({ appVersion: '1.2.3', networkMode: 'offline', platform: 'linux' }),
  });
  const registry = createIpcRegistry(contract, handlers, { logger: recordingLogger().logger });
  const call = (channel: string, payload?: unknown) => registry.dispatch(channel, payload, APP_SENDER);
  return { inspection, call };
}

describe('repository handlers', () => {
  it('resolves a directory pickId to the path main picked, and passes only the params that were set', async () => {
    const { inspection, call } = setup();
    await call('repositories:pickDirectory', { title: 'Trust dir' });
    await call('repositories:add', { source: { kind: 'directory', pickId: 'pick-00000001' }, params: { jobId: 'job-00001' } });
    expect(inspection.add).toHaveBeenCalledWith({ kind: 'directory', path: '/media/usb/trust' }, { jobId: 'job-00001' });
    await call('repositories:add', {
      source: { kind: 'directory', pickId: 'pick-00000001', gun: 'docker.io/x' },
      params: { jobId: 'job-00002', at: '2026-01-01T00:00:00Z', warnDays: 7 },
    });
    expect(inspection.add).toHaveBeenLastCalledWith(
      { kind: 'directory', path: '/media/usb/trust', gun: 'docker.io/x' },
      { jobId: 'job-00002', at: '2026-01-01T00:00:00Z', warnDays: 7 },
    );
  });

  it('passes network sources through to the core (whose policy refuses them offline)', async () => {
    const { inspection, call } = setup();
    await call('repositories:add', { source: { kind: 'notary-server', url: 'https://notary.example', gun: 'a/b' }, params: { jobId: 'job-00003' } });
    expect(inspection.add).toHaveBeenCalledWith({ kind: 'notary-server', url: 'https://notary.example', gun: 'a/b' }, { jobId: 'job-00003' });
    await call('repositories:add', { source: { kind: 'tuf-url', url: 'http://127.0.0.1:8080/metadata' }, params: { jobId: 'job-00004' } });
    expect(inspection.add).toHaveBeenLastCalledWith({ kind: 'tuf-url', url: 'http://127.0.0.1:8080/metadata' }, { jobId: 'job-00004' });
  });

  it('delegates the other channels with their parsed arguments', async () => {
    const { inspection, call } = setup();
    expect(await call('app:getSnapshot')).toEqual({ ok: true, value: { appVersion: '1.2.3', networkMode: 'offline', platform: 'linux' } });
    await call('repositories:reinspect', { id: 'abc', params: { jobId: 'job-00005', warnDays: 0 } });
    expect(inspection.reinspect).toHaveBeenCalledWith('abc', { jobId: 'job-00005', warnDays: 0 });
    expect(await call('repositories:cancel', { jobId: 'job-00005' })).toEqual({ ok: true, value: { cancelled: true } });
    expect(await call('repositories:getTargets', { id: 'abc', offset: 20, limit: 10, query: 'sha' })).toEqual({
      ok: true,
      value: { total: 0, offset: 20, rows: [] },
    });
    expect(inspection.getTargets).toHaveBeenCalledWith('abc', 20, 10, 'sha');
    expect(await call('repositories:remove', { id: 'abc' })).toEqual({ ok: true, value: { removed: true } });
    expect(await call('repositories:list')).toEqual({ ok: true, value: [SUMMARY] });
  });
});
