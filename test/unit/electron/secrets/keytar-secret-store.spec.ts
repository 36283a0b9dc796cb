import { beforeEach, describe, expect, it } from 'vitest';

import { KeytarSecretStore } from '../../../../electron/core/secrets/keytar-secret-store';
import {
  InvalidSecretRefError,
  SecretNotRememberableError,
  SecretStoreOperationError,
  SecretStoreTimeoutError,
  SecretStoreUnavailableError,
} from '../../../../shared/secrets/errors';
import { FakeKeytar } from './fake-keytar';

const KEY = 'ab'.repeat(32);
const OTHER = 'cd'.repeat(32);
const online = { kind: 'online-key-passphrase', keyId: KEY } as const;

describe('KeytarSecretStore', () => {
  let keytar: FakeKeytar;
  let store: KeytarSecretStore;

  beforeEach(() => {
    keytar = new FakeKeytar();
    store = new KeytarSecretStore(keytar, { backend: 'fake', timeoutMs: 200 });
  });

  it('files secrets under service Keyrite, account key:<keyid>', async () => {
    await store.set(online, 'hunter2');
    expect([...keytar.entries.keys()]).toEqual([`Keyrite\u0000key:${KEY}`]);
    expect(await store.get(online)).toBe('hunter2');
    expect(await store.get({ kind: 'delegation-key-passphrase', keyId: KEY.toUpperCase() })).toBe('hunter2');
  });

  it('returns null for an unknown key and deletes with a truthful result', async () => {
    expect(await store.get({ kind: 'delegation-key-passphrase', keyId: OTHER })).toBeNull();
    await store.set(online, 'pw');
    expect(await store.delete(online)).toBe(true);
    expect(await store.delete(online)).toBe(false);
    expect(await store.get(online)).toBeNull();
  });

  it('lists Keyrite entries without their secrets, ignoring foreign accounts', async () => {
    await store.set(online, 'one');
    await store.set({ kind: 'delegation-key-passphrase', keyId: OTHER }, 'two');
    keytar.entries.set('Keyrite\u0000something-else', 'x');
    keytar.entries.set(`Other\u0000key:${KEY}`, 'y');
    const entries = await store.list();
    expect(entries).toEqual([
      { account: `key:${KEY}`, keyId: KEY },
      { account: `key:${OTHER}`, keyId: OTHER },
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/one|two/);
  });

  it.each(['root-key-passphrase', 'root-pin', 'token-pin'] as const)('refuses to remember or read a %s without touching keytar', async (kind) => {
    await expect(store.set({ kind, keyId: KEY }, '123456')).rejects.toBeInstanceOf(SecretNotRememberableError);
    await expect(store.get({ kind, keyId: KEY })).rejects.toThrow(/never stored in the OS keychain/);
    expect(keytar.calls).toEqual([]);
    // Forgetting is always allowed: it cannot leak anything.
    expect(await store.delete({ kind, keyId: KEY })).toBe(false);
  });

  it('rejects malformed key ids and unstorable secrets with InvalidSecretRefError', async () => {
    await expect(store.set({ kind: 'online-key-passphrase', keyId: '../etc' }, 'pw')).rejects.toBeInstanceOf(InvalidSecretRefError);
    await expect(store.set(online, '')).rejects.toBeInstanceOf(InvalidSecretRefError);
    await expect(store.set(online, 'x'.repeat(1025))).rejects.toBeInstanceOf(InvalidSecretRefError);
    expect(keytar.calls).toEqual([]);
  });

  it('reports available when the read-only probe answers', async () => {
    expect(await store.isAvailable()).toEqual({ available: true, backend: 'fake' });
    expect(keytar.calls).toEqual(['findCredentials']);
  });

  it('maps "no D-Bus" to unavailable: no-dbus-session, for the probe and for every call', async () => {
    keytar.failWith = new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
    const availability = await store.isAvailable();
    expect(availability).toMatchObject({ available: false, reason: 'no-dbus-session' });
    expect(availability.available ? '' : availability.detail).toMatch(/no D-Bus session bus/);
    const error: unknown = await store.get(online).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SecretStoreUnavailableError);
    expect((error as SecretStoreUnavailableError).reason).toBe('no-dbus-session');
    expect((error as Error).message).toMatch(/^unavailable: no D-Bus session bus/);
    await expect(store.set(online, 'pw')).rejects.toBeInstanceOf(SecretStoreUnavailableError);
  });

  it('maps a bus without a Secret Service to no-keyring', async () => {
    keytar.failWith = new Error('The name org.freedesktop.secrets was not provided by any .service files');
    expect(await store.isAvailable()).toMatchObject({ available: false, reason: 'no-keyring' });
  });

  it('keeps other keychain failures as SecretStoreOperationError', async () => {
    keytar.failWith = new Error('Object does not exist at path “/org/freedesktop/secrets/collection/login”');
    await expect(store.set(online, 'pw')).rejects.toBeInstanceOf(SecretStoreOperationError);
    expect(await store.isAvailable()).toMatchObject({ available: false, reason: 'keyring-error' });
  });

  it('bounds a hung keychain call with SecretStoreTimeoutError', async () => {
    keytar.hang = true;
    await expect(store.get(online)).rejects.toBeInstanceOf(SecretStoreTimeoutError);
    expect(await store.isAvailable()).toMatchObject({ available: false, reason: 'timeout' });
  });
});
