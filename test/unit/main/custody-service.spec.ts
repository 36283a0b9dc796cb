import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CustodyService, type TokenOperations } from '../../../electron/core/custody';
import { InventoryStore } from '../../../electron/core/inventory';
import { exportNotaryKeyFile, generateSoftwareKey, KeyStore } from '../../../electron/core/keys';
import { PinIncorrectError } from '../../../shared/token/errors';
import { tokenKeyIds } from '../../../shared/token/key-ids';
import type { TokenInfo, TokenKey } from '../../../shared/token/types';

const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

function token(patch: Partial<TokenInfo> = {}): TokenInfo {
  return { serial: 's1', label: 'yk-root', model: 'SoftHSM v2', manufacturer: 'SoftHSM project', firmware: '2.6', hardware: '2.6', flags: 0x40c, pinState: 'ok', loginRequired: true, protectedAuthPath: false, ...patch };
}

function tokenKey(ckaId: string): TokenKey {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const spkiSha256 = Buffer.from(sha256(der)).toString('hex');
  return {
    tokenSerial: 's1', ckaId, label: 'k', keyType: 'ec', curve: 'P-256', spkiDer: der.toString('hex'), publicKeyPem: pem, spkiSha256,
    keyIdentity: `s1/${ckaId}/${spkiSha256}`, keyIds: tokenKeyIds('P-256', der, pem, sha256), alwaysAuthenticate: null,
  };
}

class FakeTokens implements TokenOperations {
  tokens = [token()];
  keys: TokenKey[] = [];
  logins: string[] = [];
  users: string[] = [];
  pinsAtLogin: Uint8Array[] = [];
  listTokens = () => Promise.resolve(this.tokens);
  listKeys = () => Promise.resolve(this.keys);
  login = (_serial: string, pin: Uint8Array, user: 'user' | 'so' = 'user') => {
    this.pinsAtLogin.push(pin);
    this.users.push(user);
    const text = new TextDecoder().decode(pin);
    this.logins.push(text);
    if (text !== (user === 'so' ? 'ab'.repeat(24) : '123456')) return Promise.reject(new PinIncorrectError('Wrong PIN for token s1.', { pinState: 'count-low' }));
    return Promise.resolve({ pinState: 'ok' as const });
  };
  logout = () => Promise.resolve();
  generateKey = (request: { ckaId: string }) => {
    const key = tokenKey(request.ckaId);
    this.keys.push(key);
    return Promise.resolve(key);
  };
  cancel = () => false;
  close = () => Promise.resolve();
}

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-custody-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function service(tokens: FakeTokens | null) {
  const keysDir = path.join(dir, 'keys');
  const events: unknown[] = [];
  const custody = new CustodyService({
    client: tokens,
    modulePath: tokens ? '/usr/lib/softhsm/libsofthsm2.so' : null,
    unavailableReason: 'No ykcs11 module found.',
    keyStore: new KeyStore(keysDir),
    inventory: new InventoryStore(keysDir),
    onProgress: (p) => events.push(p),
    onTokensChanged: (s) => events.push(s),
  });
  return { custody, events };
}

const pin = (s: string) => new TextEncoder().encode(s);

describe('CustodyService: tokens', () => {
  it('generates in 9c (CKA_ID 02) by default, records the key, badges it honestly and wipes the PIN', async () => {
    const tokens = new FakeTokens();
    const { custody, events } = service(tokens);
    const bytes = pin('123456');
    const result = await custody.generateOnToken({ tokenSerial: 's1', slot: '9c', curve: 'P-256', label: 'root A', role: 'root', holder: 'Alice', pin: bytes });
    expect(result.key).toMatchObject({ ckaId: '02', slot: '9c', roles: ['root'], holder: 'Alice', attestation: { badge: 'unverifiable' } });
    expect(result.entry).toMatchObject({ roles: ['root'], holder: 'Alice', label: 'root A', location: { kind: 'token', tokenSerial: 's1', slot: '9c' }, attestation: { badge: 'unverifiable' } });
    expect([...bytes].every((b) => b === 0)).toBe(true);
    expect(tokens.logins).toEqual(['123456']);
    expect(events).toContainEqual(expect.objectContaining({ operation: 'generate', phase: 'done' }));
    expect(await custody.inventory()).toHaveLength(1);
    const keys = await custody.tokenKeys('s1');
    expect(keys[0]).toMatchObject({ inventoryId: result.entry.id, attestation: { badge: 'unverifiable' } });
  });

  it('refuses an occupied slot, a locked PIN and an unconfirmed final try before any login', async () => {
    const tokens = new FakeTokens();
    tokens.keys.push(tokenKey('02'));
    const { custody } = service(tokens);
    await expect(custody.generateOnToken({ tokenSerial: 's1', slot: '9c', curve: 'P-256', label: '', pin: pin('123456') })).rejects.toMatchObject({ name: 'SlotOccupiedError' });
    tokens.tokens = [token({ pinState: 'locked' })];
    await expect(custody.generateOnToken({ tokenSerial: 's1', slot: '9a', curve: 'P-256', label: '', pin: pin('123456') })).rejects.toThrow(/locked.*PUK/);
    tokens.tokens = [token({ pinState: 'final-try' })];
    const bytes = pin('123456');
    await expect(custody.generateOnToken({ tokenSerial: 's1', slot: '9a', curve: 'P-256', label: '', pin: bytes })).rejects.toMatchObject({ name: 'FinalTryNotConfirmedError' });
    expect([...bytes].every((b) => b === 0)).toBe(true);
    expect(tokens.logins).toEqual([]);
    await expect(custody.generateOnToken({ tokenSerial: 's1', slot: '9a', curve: 'P-256', label: '', pin: pin('123456'), confirmFinalTry: true })).resolves.toBeDefined();
  });

  it('SO login (YubiKey management key) does not spend or check the user PIN tries', async () => {
    const tokens = new FakeTokens();
    tokens.tokens = [token({ pinState: 'final-try' })];
    const { custody } = service(tokens);
    const secret = pin('ab'.repeat(24));
    await custody.generateOnToken({ tokenSerial: 's1', slot: '9c', curve: 'P-256', label: '', pin: secret, user: 'so' });
    expect(tokens.users).toEqual(['so']);
    expect([...secret].every((b) => b === 0)).toBe(true);
  });

  it('a wrong PIN fails with the named error and a failed progress event', async () => {
    const { custody, events } = service(new FakeTokens());
    await expect(custody.generateOnToken({ tokenSerial: 's1', slot: '9c', curve: 'P-256', label: '', pin: pin('000000') })).rejects.toMatchObject({ name: 'PinIncorrectError' });
    expect(events).toContainEqual(expect.objectContaining({ operation: 'generate', phase: 'failed', message: 'Wrong PIN for token s1.' }));
    expect(await custody.inventory()).toEqual([]);
  });

  it('cancel while the token works: the operation fails as cancelled, nothing is recorded', async () => {
    const tokens = new FakeTokens();
    let reject: (error: Error) => void = () => undefined;
    tokens.generateKey = () =>
      new Promise<TokenKey>((_resolve, fail) => {
        reject = fail;
      });
    tokens.cancel = () => {
      reject(Object.assign(new Error('The generateKey request was cancelled; nothing was produced.'), { name: 'FunctionCanceledError' }));
      return true;
    };
    const { custody, events } = service(tokens);
    const pending = custody.generateOnToken({ tokenSerial: 's1', slot: '9c', curve: 'P-256', label: '', pin: pin('123456') });
    await new Promise((r) => setTimeout(r, 10));
    expect(events).toContainEqual(expect.objectContaining({ operation: 'generate', phase: 'touch' }));
    expect(custody.cancelTokenOperation()).toEqual({ cancelled: true });
    await expect(pending).rejects.toMatchObject({ name: 'FunctionCanceledError' });
    expect(events).toContainEqual(expect.objectContaining({ operation: 'generate', phase: 'cancelled' }));
    expect(await custody.inventory()).toEqual([]);
  });

  it('without a module the token list is an explained state, and token calls fail clearly', async () => {
    const { custody } = service(null);
    expect(await custody.listTokens()).toMatchObject({ modulePath: null, tokens: [], problem: 'No ykcs11 module found.' });
    await expect(custody.tokenKeys('s1')).rejects.toMatchObject({ name: 'TokensUnavailableError' });
  });

  it('pushes a changed token list (PIN state change) and a scan failure as a problem', async () => {
    const tokens = new FakeTokens();
    const { custody, events } = service(tokens);
    await custody.listTokens();
    tokens.tokens = [token({ pinState: 'count-low' })];
    await custody.listTokens();
    tokens.listTokens = () => Promise.reject(new Error('The token host stopped (SIGKILL) during listTokens; it restarts on the next request.'));
    const failed = await custody.listTokens();
    expect(failed.problem).toMatch(/token host stopped/);
    const snapshots = events.filter((e) => (e as { tokens?: unknown }).tokens !== undefined) as Array<{ tokens: TokenInfo[]; problem: string | null }>;
    expect(snapshots.map((s) => [s.tokens[0]?.pinState ?? null, s.problem === null])).toEqual([['ok', true], ['count-low', true], [null, false]]);
  });
});

describe('CustodyService: key files', () => {
  it('imports a Notary key file, exports it in both formats and never overwrites a file', async () => {
    const { custody } = service(null);
    const pair = await generateSoftwareKey('ecdsa-p256');
    const source = path.join(dir, 'abc.key');
    await writeFile(source, exportNotaryKeyFile(pair.privateKey, { role: 'targets', gun: 'example.com/app', passphrase: 'notary pass 1' }));
    const row = await custody.importKeyFile(source, 'notary pass 1', { holder: 'Bob' });
    expect(row).toMatchObject({ roles: ['targets'], gun: 'example.com/app', holder: 'Bob', origin: 'imported', location: { kind: 'file' }, attestation: null });
    const out = path.join(dir, 'out.key');
    await custody.exportKeyFile(row.id, out, 'notary', 'notary pass 1');
    await expect(custody.exportKeyFile(row.id, out, 'keyrite')).rejects.toMatchObject({ name: 'KeyFileExistsError' });
    await expect(custody.importKeyFile(source, 'wrong pass', {})).rejects.toMatchObject({ name: 'WrongPassphraseError' });
    await expect(custody.exportKeyFile('f'.repeat(64), path.join(dir, 'x.key'), 'keyrite')).rejects.toMatchObject({ name: 'CustodyKeyNotFoundError' });
  });

  it('generates a software key encrypted at rest and lists it in the inventory', async () => {
    const { custody } = service(null);
    const row = await custody.generateSoftwareKey('ed25519', 'a long passphrase', { role: 'targets/releases', gun: 'example.com/app', label: 'release key' });
    expect(row).toMatchObject({ algorithm: 'ed25519', roles: ['targets/releases'], origin: 'generated', label: 'release key' });
    await expect(custody.generateSoftwareKey('ed25519', 'short', { role: 'targets' })).rejects.toMatchObject({ name: 'WeakPassphraseError' });
  });
});
