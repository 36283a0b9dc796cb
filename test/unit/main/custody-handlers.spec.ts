import { describe, expect, it, vi } from 'vitest';

import { createHandlers } from '../../../electron/main/ipc/handlers';
import { createIpcRegistry } from '../../../electron/main/ipc/registry';
import { DialogService } from '../../../electron/main/services/dialog-service';
import { contract } from '../../../shared/ipc/contract';
import { recordingLogger } from '../electron/main/support/fakes';

const SENDER = { url: 'app://keyrite/index.html', isTopFrame: true } as const;
const HEX64 = 'a'.repeat(64);

const row = {
  id: HEX64,
  keyIds: { notary: HEX64, tuf: 'b'.repeat(64) },
  algorithm: 'ecdsa-p256' as const,
  roles: ['root'],
  gun: null,
  label: 'root A',
  holder: 'Alice',
  location: { kind: 'token' as const, tokenSerial: 's1', ckaId: '02', slot: '9c', tokenLabel: 'yk' },
  origin: 'token' as const,
  status: 'active' as const,
  addedAt: '2026-11-22T00:00:00.000Z',
  attestation: null,
};

function setup(overrides: Record<string, unknown> = {}) {
  const seenPins: Uint8Array[] = [];
  const custody = {
    listTokens: vi.fn(() => Promise.resolve({ modulePath: '/m.so', tokens: [], problem: null, scannedAt: '2026-11-22T00:00:00.000Z' })),
    tokenKeys: vi.fn(() => Promise.resolve([])),
    generateOnToken: vi.fn((request: { pin: Uint8Array }) => {
      seenPins.push(request.pin);
      return Promise.reject(Object.assign(new Error('Wrong PIN for token s1 (2 tries left).'), { name: 'PinIncorrectError', ipcCode: 'InvalidInput' }));
    }),
    cancelTokenOperation: vi.fn(() => ({ cancelled: true })),
    inventory: vi.fn(() => Promise.resolve([row])),
    importKeyFile: vi.fn(() => Promise.resolve(row)),
    exportKeyFile: vi.fn(() => Promise.resolve()),
    generateSoftwareKey: vi.fn(() => Promise.resolve(row)),
    ...overrides,
  };
  let next: string | null = '/media/usb/root.key';
  const dialogs = new DialogService({
    showDirectoryDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
    showFileDialog: () => Promise.resolve(next === null ? { canceled: true, filePath: null } : { canceled: false, filePath: next }),
  });
  const log = recordingLogger();
  const handlers = createHandlers({
    inspection: {} as never,
    dialogs,
    snapshot: () => ({ appVersion: '1', networkMode: 'offline', platform: 'linux' }),
    custody: { service: custody, files: dialogs },
  });
  const registry = createIpcRegistry(contract, handlers, { logger: log.logger });
  const call = (channel: string, payload?: unknown) => registry.dispatch(channel, payload, SENDER);
  return { custody, call, log, seenPins, setNext: (p: string | null) => (next = p) };
}

describe('custody IPC handlers', () => {
  it('turns the PIN into bytes, wipes them after the call, reports the named error and never logs the PIN', async () => {
    const { call, custody, seenPins, log } = setup();
    const result = await call('tokens:generate', { tokenSerial: 's1', pin: '271828', label: 'root A', role: 'root' });
    expect(result).toEqual({ ok: false, error: { code: 'InvalidInput', message: 'Wrong PIN for token s1 (2 tries left).', name: 'PinIncorrectError' } });
    expect(custody.generateOnToken).toHaveBeenCalledWith(expect.objectContaining({ tokenSerial: 's1', slot: '9c', curve: 'P-256', label: 'root A', role: 'root', confirmFinalTry: false }));
    expect(seenPins).toHaveLength(1);
    expect([...(seenPins[0] ?? [1])].every((b) => b === 0)).toBe(true);
    // A refused request is logged by path only.
    await call('tokens:generate', { tokenSerial: 's1', pin: '12', label: '' });
    expect(log.text()).not.toContain('271828');
    expect(log.text()).not.toMatch(/"12"/);
  });

  it('a management key logs in as SO (YubiKey PIV) and is wiped the same way', async () => {
    const { call, custody, seenPins } = setup();
    await call('tokens:generate', { tokenSerial: 's1', managementKey: 'AB'.repeat(24) });
    expect(custody.generateOnToken).toHaveBeenCalledWith(expect.objectContaining({ user: 'so' }));
    expect([...(seenPins[0] ?? [1])].every((b) => b === 0)).toBe(true);
    const missing = await call('tokens:generate', { tokenSerial: 's1' });
    expect(missing).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
    expect(JSON.stringify(missing)).toContain('enter the PIN');
  });

  it('refuses a response with private material (strict schemas) and an unknown slot or curve', async () => {
    const leaky = { ...row, privateKey: 'MIGHAgEAMBMGByqGSM49' };
    const { call } = setup({ inventory: () => Promise.resolve([leaky]) });
    const result = await call('keys:inventory');
    expect(result).toMatchObject({ ok: false, error: { code: 'InvalidResponse' } });
    expect(JSON.stringify(result)).not.toContain('MIGHAgEA');
    expect(await call('tokens:generate', { tokenSerial: 's1', pin: '123456', slot: '82' })).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
    expect(await call('tokens:generate', { tokenSerial: 's1', pin: '123456', curve: 'P-521' })).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
  });

  it('import and export take only pickIds main issued, of the right dialog kind', async () => {
    const { call, custody, setNext } = setup();
    const picked = await call('keys:pickFile', { mode: 'open', title: 'Import key file' });
    expect(picked).toMatchObject({ ok: true, value: { displayPath: '/media/usb/root.key' } });
    const pickId = (picked as { value: { pickId: string } }).value.pickId;
    expect(await call('keys:import', { pickId, passphrase: 'correct horse', role: 'root' })).toMatchObject({ ok: true });
    expect(custody.importKeyFile).toHaveBeenCalledWith('/media/usb/root.key', 'correct horse', { role: 'root' });
    // An open pick is not a destination to write to.
    expect(await call('keys:export', { keyId: HEX64, pickId, format: 'keyrite' })).toMatchObject({ ok: false, error: { code: 'InvalidInput', name: 'UnknownPickError' } });
    expect(await call('keys:import', { pickId: 'never-issued-1', passphrase: 'x' })).toMatchObject({ ok: false, error: { code: 'InvalidInput' } });
    setNext('/media/usb/out.key');
    const saved = (await call('keys:pickFile', { mode: 'save', title: 'Export', suggestedName: 'root.key' })) as { value: { pickId: string } };
    expect(await call('keys:export', { keyId: HEX64, pickId: saved.value.pickId, format: 'notary', passphrase: 'pw' })).toEqual({ ok: true, value: { displayPath: '/media/usb/out.key' } });
    expect(custody.exportKeyFile).toHaveBeenCalledWith(HEX64, '/media/usb/out.key', 'notary', 'pw');
    setNext(null);
    expect(await call('keys:pickFile', { mode: 'open', title: 'x' })).toEqual({ ok: true, value: null });
  });

  it('delegates list, keys, cancel and software generation', async () => {
    const { call, custody } = setup();
    expect(await call('tokens:list')).toMatchObject({ ok: true, value: { modulePath: '/m.so', tokens: [] } });
    expect(await call('tokens:keys', { tokenSerial: 's1' })).toEqual({ ok: true, value: [] });
    expect(await call('tokens:cancel')).toEqual({ ok: true, value: { cancelled: true } });
    expect(await call('keys:generateSoftware', { algorithm: 'ed25519', role: 'targets', gun: 'example.com/app', passphrase: 'long enough pw' })).toMatchObject({ ok: true });
    expect(custody.generateSoftwareKey).toHaveBeenCalledWith('ed25519', 'long enough pw', { role: 'targets', gun: 'example.com/app' });
  });

  it('without custody every channel says it is unavailable', async () => {
    const registry = createIpcRegistry(
      contract,
      createHandlers({ inspection: {} as never, dialogs: new DialogService({ showDirectoryDialog: () => Promise.resolve({ canceled: true, filePaths: [] }) }), snapshot: () => ({ appVersion: '1', networkMode: 'offline', platform: 'linux' }) }),
      { logger: recordingLogger().logger },
    );
    expect(await registry.dispatch('tokens:list', undefined, SENDER)).toMatchObject({ ok: false, error: { code: 'SourceUnavailable', name: 'TokensUnavailableError' } });
  });
});
