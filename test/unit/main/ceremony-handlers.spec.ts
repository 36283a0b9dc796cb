/**
 * ceremonies:start / resume / impact / pull / signWithFile through the real IPC registry and
 * handlers: request schemas refuse bad plans before the desk is called, pick ids resolve to the
 * right dialog kind (open for the request and target files, save for a pull), PIN bytes handed
 * to the desk are wiped afterwards, and the desk's named errors cross with their names.
 */
import { describe, expect, it, vi } from 'vitest';

import { PinNeededError } from '../../../electron/core/ceremony-desk';
import { createHandlers } from '../../../electron/main/ipc/handlers';
import { createIpcRegistry } from '../../../electron/main/ipc/registry';
import { DialogService } from '../../../electron/main/services/dialog-service';
import { NodeCryptoProvider } from '../../../electron/core/crypto/node-crypto-provider';
import type { CeremonyDetail } from '../../../shared/ipc/ceremony';
import { contract } from '../../../shared/ipc/contract';
import { recordingLogger } from '../electron/main/support/fakes';

const SENDER = { url: 'app://keyrite/index.html', isTopFrame: true } as const;
const HEX64 = 'c'.repeat(64);
const SERIAL = 'a1b2c3d4';

const DETAIL: CeremonyDetail = {
  summary: { id: 'init-1', kind: 'init', dialect: 'tuf-1.0', repository: 'repo', phase: 'proposed', createdAt: '2026-11-22T06:00:00.000Z', complete: false, journalHead: HEX64, journalWords: ['aardvark'], journalEntries: 3 },
  confirmed: false,
  aborted: null,
  basisRootVersion: null,
  keys: [],
  diff: [],
  checks: [],
  blocking: [],
  roles: [],
  pendingSigners: [],
  signatures: [],
  finalizedRoles: [],
  exported: [],
  pendingIntents: 0,
};

function setup() {
  const seen: { pins: Uint8Array[] } = { pins: [] };
  const keepPins = (logins: { pin: Uint8Array }[]) => seen.pins.push(...logins.map((l) => l.pin));
  const desk = {
    start: vi.fn((input: { logins: { pin: Uint8Array }[] }) => {
      keepPins(input.logins);
      return Promise.resolve(DETAIL);
    }),
    resume: vi.fn((_id: string, logins: { pin: Uint8Array }[]) => {
      keepPins(logins);
      return Promise.reject(new PinNeededError(SERIAL, 'before signing'));
    }),
    impact: vi.fn(() => Promise.resolve({ compromised: [HEX64], lost: [], roles: [], attackerCan: [], stranded: [], steps: [] })),
    pull: vi.fn(() => Promise.resolve({ displayPath: '/media/usb/req.bundle', sha256: HEX64, repository: 'docker.io/acme/app', dialect: 'notary-v1' as const, rootVersion: 0 })),
    signWithFile: vi.fn(() => Promise.resolve({ signed: [], detail: DETAIL })),
  };
  const queue: string[] = [];
  const dialogs = new DialogService({
    showDirectoryDialog: () => Promise.resolve({ canceled: true, filePaths: [] }),
    showFileDialog: () => Promise.resolve({ canceled: false, filePath: queue.shift() ?? '/nowhere' }),
  });
  const log = recordingLogger();
  const handlers = createHandlers({
    inspection: {} as never,
    dialogs,
    snapshot: () => ({ appVersion: '1', networkMode: 'offline', platform: 'linux' }),
    ceremonies: { desk: desk as never, files: dialogs, crypto: new NodeCryptoProvider() },
  });
  const registry = createIpcRegistry(contract, handlers, { logger: log.logger });
  const call = (channel: string, payload?: unknown) => registry.dispatch(channel, payload, SENDER);
  const pick = async (mode: 'open' | 'save', filePath: string): Promise<string> => {
    // What keys:pickFile does in the app (that channel belongs to custody's handlers).
    queue.push(filePath);
    const picked = await dialogs.pickFile({ mode, title: 'pick' });
    if (picked === null) throw new Error('the fake dialog was cancelled');
    return picked.pickId;
  };
  return { desk, call, pick, log, seen };
}

const INIT = {
  kind: 'init',
  rootKeys: [{ kind: 'token-new', tokenSerial: SERIAL, ckaId: '01', curve: 'P-384' }],
  rootThreshold: 1,
  targetsKeys: [{ kind: 'file', keyId: HEX64 }],
};

describe('ceremony IPC handlers: start, resume, impact, pull, signWithFile', () => {
  it('start resolves the request pick, hands PIN bytes to the desk and wipes them, and never logs the PIN', async () => {
    const { call, pick, desk, seen, log } = setup();
    const requestPickId = await pick('open', '/media/usb/request.bundle');
    const result = await call('ceremonies:start', { requestPickId, plan: INIT, logins: [{ tokenSerial: SERIAL, pin: '246810' }] });
    expect(result).toEqual({ ok: true, value: DETAIL });
    expect(desk.start).toHaveBeenCalledWith({ requestPath: '/media/usb/request.bundle', plan: INIT, logins: [expect.objectContaining({ tokenSerial: SERIAL, confirmFinalTry: false })], targetFiles: {} });
    expect(seen.pins).toHaveLength(1);
    expect([...(seen.pins[0] ?? [1])].every((b) => b === 0)).toBe(true);
    expect(log.text()).not.toContain('246810');
  });

  it('refuses malformed plans before the desk runs: bad threshold, bad CKA_ID, unknown kind, extra fields, bad expiry', async () => {
    const { call, pick, desk } = setup();
    const requestPickId = await pick('open', '/media/usb/request.bundle');
    const bad = [
      { ...INIT, rootThreshold: 0 },
      { ...INIT, rootKeys: [{ kind: 'token', tokenSerial: SERIAL, ckaId: 'XYZ' }] },
      { ...INIT, rootKeys: [] },
      { kind: 'rotate-everything' },
      { ...INIT, privateKey: 'MIGHAgEAMBMG' },
      { ...INIT, expires: { root: '2027-01-01' } },
      { kind: 'add-signer', name: '../evil', keys: [{ kind: 'keyid', keyid: 'abcdef0123' }] },
      { kind: 'sign-targets', changes: [{ action: 'add', role: 'targets/../root', path: 'x', filePickId: 'pick-00000001' }] },
    ];
    for (const plan of bad) {
      expect(await call('ceremonies:start', { requestPickId, plan }), JSON.stringify(plan)).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
    }
    expect(await call('ceremonies:start', { requestPickId, plan: INIT, logins: [{ tokenSerial: SERIAL, pin: '12' }] })).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
    expect(desk.start).not.toHaveBeenCalled();
  });

  it('sign-targets target files must be open picks main issued; they reach the desk as paths', async () => {
    const { call, pick, desk } = setup();
    const requestPickId = await pick('open', '/media/usb/request.bundle');
    const filePickId = await pick('open', '/builds/app-1.0.tgz');
    const plan = { kind: 'sign-targets', changes: [{ action: 'add', role: 'targets', path: 'app-1.0.tgz', filePickId }, { action: 'remove', role: 'targets', path: 'old.tgz' }] };
    expect(await call('ceremonies:start', { requestPickId, plan })).toMatchObject({ ok: true });
    expect(desk.start).toHaveBeenCalledWith(expect.objectContaining({ targetFiles: { [filePickId]: '/builds/app-1.0.tgz' }, logins: [] }));
    const savePick = await pick('save', '/builds/not-a-source.tgz');
    const refused = await call('ceremonies:start', { requestPickId, plan: { kind: 'sign-targets', changes: [{ action: 'add', role: 'targets', path: 'x', filePickId: savePick }] } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'InvalidInput', name: 'UnknownPickError' } });
    expect(desk.start).toHaveBeenCalledTimes(1);
  });

  it('resume passes logins and wipes them; the desk\'s PinNeededError crosses with its name and the token serial', async () => {
    const { call, desk, seen } = setup();
    const result = await call('ceremonies:resume', { id: 'init-1', logins: [{ tokenSerial: SERIAL, pin: '135790', confirmFinalTry: true }] });
    expect(result).toEqual({ ok: false, error: { code: 'InvalidInput', name: 'PinNeededError', message: `The PIN of token ${SERIAL} is needed before signing; enter it and try again.` } });
    expect(desk.resume).toHaveBeenCalledWith('init-1', [expect.objectContaining({ tokenSerial: SERIAL, confirmFinalTry: true })]);
    expect([...(seen.pins[0] ?? [1])].every((b) => b === 0)).toBe(true);
    expect(await call('ceremonies:resume', { id: 'init-1' })).toMatchObject({ ok: false, error: { name: 'PinNeededError' } });
    expect(desk.resume).toHaveBeenLastCalledWith('init-1', []);
  });

  it('impact reads an open pick; pull writes to a save pick only, with an http(s) URL', async () => {
    const { call, pick, desk } = setup();
    const requestPickId = await pick('open', '/media/usb/request.bundle');
    expect(await call('ceremonies:impact', { requestPickId, compromised: [HEX64], lost: [] })).toMatchObject({ ok: true, value: { compromised: [HEX64] } });
    expect(desk.impact).toHaveBeenCalledWith('/media/usb/request.bundle', [HEX64], [], []);
    expect(await call('ceremonies:impact', { requestPickId, compromised: ['NOT-HEX'], lost: [] })).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });

    const source = { kind: 'notary', server: 'https://notary.example.com', gun: 'docker.io/acme/app' };
    expect(await call('ceremonies:pull', { source, pickId: requestPickId })).toMatchObject({ ok: false, error: { name: 'UnknownPickError' } });
    const savePick = await pick('save', '/media/usb/req.bundle');
    expect(await call('ceremonies:pull', { source, pickId: savePick })).toMatchObject({ ok: true, value: { rootVersion: 0 } });
    expect(desk.pull).toHaveBeenCalledWith(source, '/media/usb/req.bundle');
    expect(await call('ceremonies:pull', { source: { kind: 'tuf', url: 'file:///etc' }, pickId: savePick })).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
    expect(desk.pull).toHaveBeenCalledTimes(1);
  });

  it('signWithFile: a passphrase or the keychain, never both; the passphrase is not logged', async () => {
    const { call, desk, log } = setup();
    expect(await call('ceremonies:signWithFile', { source: 'passphrase', id: 'init-1', keyId: HEX64, passphrase: 'tr0ub4dor&3' })).toMatchObject({ ok: true });
    expect(desk.signWithFile).toHaveBeenLastCalledWith('init-1', HEX64, { source: 'passphrase', passphrase: 'tr0ub4dor&3' });
    expect(await call('ceremonies:signWithFile', { source: 'keychain', id: 'init-1', keyId: HEX64 })).toMatchObject({ ok: true });
    expect(desk.signWithFile).toHaveBeenLastCalledWith('init-1', HEX64, { source: 'keychain' });
    expect(await call('ceremonies:signWithFile', { source: 'keychain', id: 'init-1', keyId: HEX64, passphrase: 'x' })).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
    expect(await call('ceremonies:signWithFile', { source: 'passphrase', id: 'init-1', keyId: 'abc', passphrase: 'x' })).toMatchObject({ ok: false, error: { code: 'InvalidRequest' } });
    expect(log.text()).not.toContain('tr0ub4dor');
  });

  it('without a desk the new channels answer "not available"', async () => {
    const registry = createIpcRegistry(
      contract,
      createHandlers({ inspection: {} as never, dialogs: new DialogService({ showDirectoryDialog: () => Promise.resolve({ canceled: true, filePaths: [] }) }), snapshot: () => ({ appVersion: '1', networkMode: 'offline', platform: 'linux' }) }),
      { logger: recordingLogger().logger },
    );
    for (const [channel, payload] of [
      ['ceremonies:start', { requestPickId: 'pick-00000001', plan: INIT }],
      ['ceremonies:impact', { requestPickId: 'pick-00000001', compromised: [], lost: [] }],
      ['ceremonies:pull', { source: { kind: 'tuf', url: 'https://tuf.example.com' }, pickId: 'pick-00000001' }],
      ['ceremonies:signWithFile', { source: 'keychain', id: 'x1', keyId: HEX64 }],
    ] as const) {
      expect(await registry.dispatch(channel, payload, SENDER)).toMatchObject({ ok: false, error: { code: 'SourceUnavailable', name: 'TokensUnavailableError' } });
    }
  });
});
