import { describe, expect, it } from 'vitest';

import { createSecretStore } from '../../../../electron/core/secrets/create-secret-store';
import { KeytarSecretStore } from '../../../../electron/core/secrets/keytar-secret-store';
import { UnavailableSecretStore } from '../../../../electron/core/secrets/unavailable-secret-store';
import { deserializeError, serializeError } from '../../../../shared/errors';
import { SecretNotRememberableError, SecretStoreUnavailableError } from '../../../../shared/secrets/errors';
import { describeAvailability } from '../../../../shared/secrets/secret-store';
import { FakeKeytar } from './fake-keytar';

const ref = { kind: 'delegation-key-passphrase', keyId: 'ef'.repeat(32) } as const;

describe('UnavailableSecretStore', () => {
  const store = new UnavailableSecretStore('no-dbus-session', 'no D-Bus session bus');

  it('reports a clear unavailable state', async () => {
    const availability = await store.isAvailable();
    expect(availability).toEqual({ available: false, reason: 'no-dbus-session', detail: 'no D-Bus session bus' });
    expect(describeAvailability(availability)).toBe('unavailable: no D-Bus session bus');
  });

  it('rejects every operation with SecretStoreUnavailableError carrying the reason', async () => {
    for (const attempt of [store.get(ref), store.set(ref, 'pw'), store.delete(ref), store.list()]) {
      const error: unknown = await attempt.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SecretStoreUnavailableError);
      expect((error as SecretStoreUnavailableError).reason).toBe('no-dbus-session');
      expect((error as Error).message).toBe('unavailable: no D-Bus session bus');
    }
  });

  it('still refuses a root PIN by policy first', async () => {
    await expect(store.set({ kind: 'root-pin', keyId: ref.keyId }, '123456')).rejects.toBeInstanceOf(SecretNotRememberableError);
  });

  it('its errors survive IPC serialization as the same class', () => {
    const rebuilt = deserializeError(serializeError(SecretStoreUnavailableError.because('no-keyring', 'no Secret Service', 'get')));
    expect(rebuilt).toBeInstanceOf(SecretStoreUnavailableError);
    expect((rebuilt as SecretStoreUnavailableError).reason).toBe('no-keyring');
  });
});

describe('createSecretStore', () => {
  it('falls back to an unavailable store when keytar fails to load', async () => {
    const store = await createSecretStore({ load: () => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file')) });
    expect(store).toBeInstanceOf(UnavailableSecretStore);
    expect(await store.isAvailable()).toEqual({
      available: false,
      reason: 'keytar-load-failed',
      detail: 'keytar failed to load: libsecret-1.so.0: cannot open shared object file',
    });
  });

  it('wraps a loaded keytar', async () => {
    const store = await createSecretStore({ load: () => Promise.resolve(new FakeKeytar()), backend: 'fake' });
    expect(store).toBeInstanceOf(KeytarSecretStore);
    expect(await store.isAvailable()).toEqual({ available: true, backend: 'fake' });
  });
});

describe('loadKeytar', () => {
  it('loads the native keytar built at npm ci (libsecret-1-dev) and exposes the four calls', async () => {
    const { loadKeytar } = await import('../../../../electron/core/secrets/keytar-api');
    const keytar = await loadKeytar();
    for (const name of ['getPassword', 'setPassword', 'deletePassword', 'findCredentials'] as const) {
      expect(typeof keytar[name]).toBe('function');
    }
  });
});
