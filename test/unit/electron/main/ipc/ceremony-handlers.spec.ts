import { describe, expect, it, vi } from 'vitest';

import { CeremonyDeskError, forIpc } from '../../../../../electron/core/ceremony-desk';
import { CeremonyPhaseError } from '../../../../../electron/core/ceremonies';
import { NodeCryptoProvider } from '../../../../../electron/core/crypto/node-crypto-provider';
import { createCeremonyHandlers, type CeremonyOperations } from '../../../../../electron/main/ipc/ceremony-handlers';
import { unavailableCustodyHandlers } from '../../../../../electron/main/ipc/custody-handlers';
import { unavailableCeremonyHandlers } from '../../../../../electron/main/ipc/ceremony-handlers';
import { toIpcError } from '../../../../../electron/main/ipc/error-mapping';
import { createIpcRegistry } from '../../../../../electron/main/ipc/registry';
import { contract } from '../../../../../shared/ipc/contract';
import { APP_SENDER, recordingLogger, SUMMARY } from '../support/fakes';

const CEREMONY_ID = 'rotate-root-20261122T000000Z-abcdef';

function setup(desk: Partial<CeremonyOperations>) {
  const picks = new Map<string, { path: string; mode: 'open' | 'save' }>([
    ['pick-open-0001', { path: '/media/usb/request.bundle', mode: 'open' }],
    ['pick-save-0001', { path: '/media/usb/out.bundle', mode: 'save' }],
  ]);
  const files = {
    pickFile: vi.fn(),
    resolveFile: (pickId: string, mode: 'open' | 'save') => {
      const found = picks.get(pickId);
      if (found?.mode !== mode) throw Object.assign(new Error('That file selection is no longer valid.'), { name: 'UnknownPickError' });
      return found.path;
    },
  };
  const log = recordingLogger();
  const handlers = {
    app: { getSnapshot: () => ({ appVersion: '1', networkMode: 'offline' as const, platform: 'linux' }) },
    repositories: {
      list: () => [SUMMARY], pickDirectory: () => null, add: () => [SUMMARY], reinspect: () => SUMMARY, cancel: () => ({ cancelled: false }),
      get: () => Promise.reject(new Error('unused')), getTargets: ({ offset }: { offset: number }) => ({ total: 0, offset, rows: [] }), remove: () => ({ removed: true }),
    },
    ...unavailableCustodyHandlers(),
    ...createCeremonyHandlers(desk as CeremonyOperations, files, new NodeCryptoProvider()),
  };
  return { registry: createIpcRegistry(contract, handlers, { logger: log.logger }), log };
}

describe('ceremonies:* and bundles:* handlers', () => {
  it('hands the PIN over once as bytes and wipes them after the call, and never logs it', async () => {
    let seen: Uint8Array | null = null;
    const sign = vi.fn((_id: string, _serial: string, pin: Uint8Array) => {
      seen = pin;
      expect(new TextDecoder().decode(pin)).toBe('246810');
      // What the desk's mapped() makes of an engine error: name and message kept, IPC code added.
      return Promise.reject(new CeremonyDeskError('CeremonyPhaseError', 'not confirmed: type exactly "Yes" to go on; nothing was signed', 'InvalidInput'));
    });
    const { registry, log } = setup({ sign });
    const result = await registry.dispatch('ceremonies:sign', { id: CEREMONY_ID, tokenSerial: 'abc123', pin: '246810' }, APP_SENDER);
    expect(result).toMatchObject({ ok: false, error: { code: 'InvalidInput', name: 'CeremonyPhaseError' } });
    expect(sign).toHaveBeenCalledWith(CEREMONY_ID, 'abc123', expect.any(Uint8Array), false);
    expect([...(seen ?? [1])].every((b) => b === 0)).toBe(true);
    expect(log.text()).not.toContain('246810');
  });

  it('resolves open picks for reading and save picks for writing, never the other way round', async () => {
    const exportSigned = vi.fn(() => Promise.resolve({ displayPath: '/media/usb/out.bundle', sha256: 'a'.repeat(64), journalHead: 'b'.repeat(64) }));
    const { registry } = setup({ exportSigned });
    expect(await registry.dispatch('ceremonies:exportSigned', { id: CEREMONY_ID, pickId: 'pick-save-0001' }, APP_SENDER)).toMatchObject({ ok: true });
    expect(exportSigned).toHaveBeenCalledWith(CEREMONY_ID, '/media/usb/out.bundle');
    const wrong = await registry.dispatch('ceremonies:exportSigned', { id: CEREMONY_ID, pickId: 'pick-open-0001' }, APP_SENDER);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'InvalidInput', name: 'UnknownPickError' } });
    expect(exportSigned).toHaveBeenCalledTimes(1);
  });

  it('refuses a confirmation text longer than the gate allows before the desk sees it', async () => {
    const confirm = vi.fn();
    const { registry } = setup({ confirm });
    const result = await registry.dispatch('ceremonies:confirm', { id: CEREMONY_ID, typed: 'Yes'.repeat(10) }, APP_SENDER);
    expect(result).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
    expect(confirm).not.toHaveBeenCalled();
  });

  it('without a desk every channel answers with a clear "not available"', () => {
    const handlers = unavailableCeremonyHandlers('No ceremonies here.');
    expect(() => handlers.ceremonies.list()).toThrow('No ceremonies here.');
    expect(() => handlers.bundles.inspect({ pickId: 'pick-open-0001' })).toThrow('No ceremonies here.');
  });
});

describe('forIpc', () => {
  it('keeps the engine error name and message and gives it an IPC code', () => {
    const mapped = forIpc(new CeremonyPhaseError('ceremony x was aborted (test)'));
    expect(mapped).toBeInstanceOf(CeremonyDeskError);
    expect(toIpcError(mapped).error).toEqual({ code: 'InvalidInput', name: 'CeremonyPhaseError', message: 'ceremony x was aborted (test)' });
  });

  it('leaves unknown errors alone (they cross as a generic Internal)', () => {
    const plain = new Error('boom /secret/path');
    expect(forIpc(plain)).toBe(plain);
    expect(toIpcError(forIpc(plain)).error.message).not.toContain('/secret/path');
  });
});
