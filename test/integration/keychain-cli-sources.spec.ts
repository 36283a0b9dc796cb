/**
 * The keychain as a passphrase source, in-process with an in-memory keytar behind the real
 * KeytarSecretStore (so the storage policy is the product's): where it sits in the source order,
 * which kinds are looked up at all, a stale or unavailable or hanging keychain, and the CLI
 * commands' refusals and kinds. The real gnome-keyring runs in keychain-cli.spec.ts.
 */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../electron/cli/cli';
import { loadOnlineKeys } from '../../electron/cli/publish-online-keys';
import { resolvePassphrase, type KeysIo, type Prompter } from '../../electron/cli/keys-passphrase';
import { scripted } from '../support/scripted-prompt';
import { KeytarSecretStore, UnavailableSecretStore, passphraseKindForRoles } from '../../electron/core/secrets';
import type { SecretStore } from '../../shared/secrets/secret-store';
import { FakeKeytar } from '../unit/electron/secrets/fake-keytar';

const GOOD = 'online passphrase 1';

let tmp: string;
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'kr-kc-src-'));
});
afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

function io(store: SecretStore | null, env: Record<string, string> = {}, prompt: Prompter | null = null): KeysIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env,
    cwd: tmp,
    homedir: tmp,
    prompt,
    keychain: store === null ? null : () => Promise.resolve(store),
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('which passphrases may be remembered', () => {
  it('online and delegation roles only; any root or top-level targets role refuses', () => {
    expect(passphraseKindForRoles(['snapshot'])).toEqual({ rememberable: true, kind: 'online-key-passphrase' });
    expect(passphraseKindForRoles(['timestamp', 'snapshot'])).toEqual({ rememberable: true, kind: 'online-key-passphrase' });
    expect(passphraseKindForRoles(['targets/releases'])).toEqual({ rememberable: true, kind: 'delegation-key-passphrase' });
    expect(passphraseKindForRoles(['releases'])).toEqual({ rememberable: true, kind: 'delegation-key-passphrase' });
    expect(passphraseKindForRoles(['root'])).toMatchObject({ rememberable: false, why: expect.stringMatching(/^it is a root key/) as unknown });
    expect(passphraseKindForRoles(['snapshot', 'root'])).toMatchObject({ rememberable: false });
    expect(passphraseKindForRoles(['targets'])).toMatchObject({ rememberable: false, why: expect.stringMatching(/top-level targets/) as unknown });
    expect(passphraseKindForRoles(['targets/'])).toMatchObject({ rememberable: false });
    expect(passphraseKindForRoles([])).toMatchObject({ rememberable: false });
  });
});

describe('resolvePassphrase with a keychain', () => {
  const keyId = 'ab'.repeat(32);
  const lookup = { keyId, kind: 'online-key-passphrase' as const };
  const request = { purpose: 'the passphrase', envNames: ['KEYRITE_PASSPHRASE'], role: 'snapshot', confirm: false };

  it('comes after --passphrase-file and the environment, before the prompt', async () => {
    const keytar = new FakeKeytar();
    const store = new KeytarSecretStore(keytar);
    await store.set(lookup, 'remembered');
    await fsp.writeFile(path.join(tmp, 'p.txt'), 'from file\n');
    keytar.calls = [];
    expect(await resolvePassphrase({ ...request, file: 'p.txt', keychain: lookup }, io(store))).toEqual({ value: 'from file', source: path.join(tmp, 'p.txt') });
    expect(await resolvePassphrase({ ...request, keychain: lookup }, io(store, { NOTARY_SNAPSHOT_PASSPHRASE: 'env' }))).toEqual({ value: 'env', source: '$NOTARY_SNAPSHOT_PASSPHRASE' });
    expect(keytar.calls, 'the keychain is not asked when an earlier source answers').toEqual([]);
    const prompt = scripted([]);
    expect(await resolvePassphrase({ ...request, keychain: lookup }, io(store, {}, prompt))).toEqual({ value: 'remembered', source: 'the OS keychain' });
    expect(prompt.questions).toEqual([]);
    // Without a key to look up (a caller that did not opt in), the prompt as before.
    expect(await resolvePassphrase(request, io(store, {}, scripted(['typed'])))).toEqual({ value: 'typed', source: 'prompt' });
  });

  it('a remembered passphrase that fails its proof is reported, then the prompt is used', async () => {
    const store = new KeytarSecretStore(new FakeKeytar());
    await store.set(lookup, 'stale');
    const cli = io(store, {}, scripted(['typed']));
    const verify = (value: string): Promise<boolean> => Promise.resolve(value === 'typed');
    expect(await resolvePassphrase({ ...request, keychain: { ...lookup, verify } }, cli)).toEqual({ value: 'typed', source: 'prompt' });
    expect(cli.err()).toBe(`keyrite: warning: the remembered passphrase for ${keyId} no longer opens it: run keyrite keys forget ${keyId}\n`);
  });

  it('unavailable, hanging or forbidden: skipped silently', async () => {
    const unavailable = io(new UnavailableSecretStore('no-dbus-session', 'no D-Bus session bus'), {}, scripted(['typed']));
    expect((await resolvePassphrase({ ...request, keychain: lookup }, unavailable)).source).toBe('prompt');
    expect(unavailable.err()).toBe('');

    const hung = new FakeKeytar();
    hung.hang = true;
    const slow = io(new KeytarSecretStore(hung, { timeoutMs: 50 }), {}, scripted(['typed']));
    expect((await resolvePassphrase({ ...request, keychain: lookup }, slow)).source).toBe('prompt');
    expect(slow.err()).toBe('');

    const keytar = new FakeKeytar();
    const root = io(new KeytarSecretStore(keytar), {}, scripted(['typed']));
    expect((await resolvePassphrase({ ...request, keychain: { keyId, kind: 'root-key-passphrase' } }, root)).source).toBe('prompt');
    expect(keytar.calls, 'a root passphrase is never even looked up').toEqual([]);
  });
});

describe('keys remember / keychain and publish --online-key (in-process)', () => {
  it('stores a snapshot key as an online passphrase, refuses a targets key, and publish opens the online key from it', async () => {
    const ws = path.join(tmp, 'ws');
    const keytar = new FakeKeytar();
    const store = new KeytarSecretStore(keytar);
    const gen = async (role: string): Promise<{ id: string; file: string }> => {
      const cli = io(store, { KEYRITE_PASSPHRASE: GOOD });
      expect(await runCli(['keys', 'generate', '--algorithm', 'ed25519', '--role', role, '--gun', 'example.com/app', '--json', '--workspace', ws], cli)).toBe(0);
      const parsed = JSON.parse(cli.out()) as { key: { id: string }; file: string };
      return { id: parsed.key.id, file: parsed.file };
    };
    const snapshot = await gen('snapshot');
    const targets = await gen('targets');
    await fsp.writeFile(path.join(tmp, 'good.txt'), GOOD);

    const refused = io(store);
    expect(await runCli(['keys', 'remember', targets.id.slice(0, 10), '--passphrase-file', 'good.txt', '--workspace', ws], refused)).toBe(1);
    expect(refused.err()).toContain(`the passphrase of key ${targets.id} (targets) is never remembered: it is a top-level targets key`);

    const remember = io(store);
    expect(await runCli(['keys', 'remember', snapshot.id, '--passphrase-file', 'good.txt', '--workspace', ws], remember)).toBe(0);
    expect(await store.get({ kind: 'online-key-passphrase', keyId: snapshot.id })).toBe(GOOD);
    expect([...keytar.entries.keys()]).toEqual([`Keyrite\u0000key:${snapshot.id}`]);

    const listed = io(store);
    expect(await runCli(['keys', 'keychain', '--json', '--workspace', ws], listed)).toBe(0);
    expect(JSON.parse(listed.out())).toMatchObject({ available: true, entries: [{ keyId: snapshot.id, roles: ['snapshot'], label: null }] });

    // publish's --online-key with a Keyrite key file: no file, no env, no prompt → the keychain.
    const publishIo = io(store, {}, scripted([]));
    const [key] = await loadOnlineKeys([snapshot.file], undefined, publishIo);
    expect(key?.asymmetricKeyType).toBe('ed25519');
    expect(publishIo.err()).toBe('');
  });
});
