/**
 * Every TUF ceremony kind through the GUI's path (CeremonyDesk.start / sign / signWithFile /
 * finalize / exportSigned), one repository progressing through the steps: init with a root key
 * generated on a SoftHSM token (its PIN given as a login) and key-file targets, rotate-key,
 * add-signer (a delegation with paths), sign-targets with a real file hashed by the desk,
 * refresh, remove-signer, and recover (impact first). Each exported bundle is verified, published
 * to a directory, checked by securesystemslib, and followed by the tuf-js client.
 */
import { createHash } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { CeremonyDesk } from '../../../electron/core/ceremony-desk';
import { publishTufDir } from '../../../electron/core/publish';
import { RequestPreview } from '../../../shared/ipc/ceremony';
import { ImpactView, type PlanInput } from '../../../shared/ipc/ceremony-plans';
import type { SecretStore } from '../../../shared/secrets/secret-store';
import { serveDir, type TestServer } from '../../support/serve-dir';
import { bundleTokenHost, SOFTHSM_MISSING_REASON, type TokenHostBundle } from '../../support/softhsm';
import { PASSPHRASE, Workspace } from '../ceremony/support/harness';
import { createTokenSet, type TokenSet } from '../ceremony/support/softhsm-tokens';
import { pullDir, sslibVerify, TufJsClient } from '../ceremony/support/tuf-client';
import { deskFor, expectRefusal, loginsFor, pin, runCeremony, signedJson, type SittingOptions } from './support/desk-harness';

const ARTIFACT = Buffer.from('release 1.0 built for the desk test\n'.repeat(1000));
const TARGET = 'releases/app-1.0.tgz';
const FILE_PICK = 'pick-target-0001';

describe.skipIf(SOFTHSM_MISSING_REASON !== null)('TUF ceremonies from the GUI path (CeremonyDesk), one repository through every kind', () => {
  let ws: Workspace;
  let tokens: TokenSet;
  let host: TokenHostBundle;
  let desk: CeremonyDesk;
  let server: TestServer;
  let repoDir: string;
  let client: TufJsClient;
  const k: Record<string, { id: string; tuf: string }> = {};
  const remembered = new Map<string, string>();
  const keychain: SecretStore = {
    isAvailable: () => Promise.resolve({ available: true, backend: 'test map' }),
    get: (ref) => Promise.resolve(remembered.get(`${ref.kind}:${ref.keyId}`) ?? null),
    set: (ref, secret) => Promise.resolve(void remembered.set(`${ref.kind}:${ref.keyId}`, secret)),
    delete: (ref) => Promise.resolve(remembered.delete(`${ref.kind}:${ref.keyId}`)),
    list: () => Promise.resolve([...remembered.keys()].map((account) => ({ account, keyId: account.split(':')[1] as string }))),
  };

  beforeAll(async () => {
    [tokens, host, ws] = await Promise.all([createTokenSet(['desk-root']), bundleTokenHost(), Workspace.create()]);
    repoDir = ws.path('repo');
    server = await serveDir(repoDir);
    for (const role of ['targets', 'snapshot', 'timestamp', 'targets2', 'alice', 'targets3']) {
      k[role] = await ws.generateKey(role === 'alice' ? 'targets/alice' : role.replace(/\d$/, ''));
    }
    // The OS keychain as the desk sees it: a SecretStore holding alice's (delegation) passphrase.
    // keytar against a real Secret Service is covered by secret-store-keyring.spec; here the desk's
    // part is under test: which keys may use it, under which kind and account it is looked up.
    desk = deskFor(ws, tokens, host, { secrets: () => Promise.resolve(keychain), networkMode: 'online' });
  }, 90_000);

  afterAll(async () => {
    await desk?.close();
    await server?.close();
    await host?.dispose();
    await tokens?.cleanup();
    await ws?.cleanup();
  });

  /** Pull the served directory into a request bundle, as the online side does. */
  async function request(name: string): Promise<string> {
    return ws.writeRequest(await pullDir(repoDir), `req-${name}.bundle`);
  }

  async function publish(metadata: Record<string, Uint8Array>): Promise<void> {
    await publishTufDir(metadata, repoDir, { onlineKeys: [await ws.privateKey(k['snapshot']!.id), await ws.privateKey(k['timestamp']!.id)] });
    const verdict = await sslibVerify(repoDir);
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ ok: true });
  }

  async function step(name: string, plan: PlanInput, extra: { targetFiles?: Record<string, string> } = {}, options: SittingOptions = {}): Promise<Record<string, Uint8Array>> {
    const { metadata } = await runCeremony(desk, { requestPath: await request(name), plan, ...extra }, tokens, ws.path(`${name}.bundle`), options);
    await publish(metadata);
    return metadata;
  }

  it('init: a root key generated on the token needs its PIN — missing → PinNeededError naming the token, wrong → tries left; nothing journalled', async () => {
    const serial = tokens.serials[0] as string;
    const plan: PlanInput = {
      kind: 'init',
      rootKeys: [{ kind: 'token-new', tokenSerial: serial, ckaId: '01', label: 'desk root' }],
      rootThreshold: 1,
      targetsKeys: [{ kind: 'file', keyId: k['targets']!.id }],
      snapshotKeys: [{ kind: 'file', keyId: k['snapshot']!.id }],
      timestampKeys: [{ kind: 'file', keyId: k['timestamp']!.id }],
    };
    const requestPath = await request('init');
    await expectRefusal(desk.start({ requestPath, plan }), 'PinNeededError', `The PIN of token ${serial} is needed`);
    await expectRefusal(
      desk.start({ requestPath, plan, logins: [{ tokenSerial: serial, pin: pin('999999') }] }),
      'PinIncorrectError',
      new RegExp(`^Wrong PIN for token ${serial}: (the token does not report a low retry counter yet|the token reports few PIN tries left)`),
    );
    await expectRefusal(desk.start({ requestPath, plan, logins: [{ tokenSerial: serial, pin: pin('123456') }] }), 'DefaultPinRefusedError', `Token ${serial} still has its factory-default PIN`);
    expect(await desk.list()).toEqual([]);
    // No key was generated by the refused attempts: the CKA_ID is still free for the real start.
    const logins = loginsFor(tokens, [serial]);
    const { metadata, detail } = await runCeremony(desk, { requestPath, plan, logins }, tokens, ws.path('init.bundle'));
    expect(logins.every((l) => l.pin.every((b) => b === 0))).toBe(true); // the desk wipes the PIN bytes it was given
    expect(detail.keys.find((key) => key.where === 'token')).toMatchObject({ tokenSerial: serial });
    expect(signedJson(metadata, 'root').signed['version']).toBe(1);
    await publish(metadata);
    client = await TufJsClient.bootstrap(repoDir);
    expect((await client.refresh(server.url)).rootVersion).toBe(1);
  }, 120_000);

  it('resume: a ceremony interrupted before its key act asks for the PIN again and then makes its proposal', async () => {
    const serial = tokens.serials[0] as string;
    const plan = { kind: 'rotate-root' as const, add: [{ kind: 'token-generate' as const, tokenSerial: serial, ckaId: '03' }], threshold: 1 };
    const state = await pullDir(repoDir);
    const refuse = () => Promise.reject(new Error('power lost before the key act'));
    await expect(desk.service.start(plan, state, { openSigner: refuse, ensureTokenLogin: refuse }, { ceremonyId: 'interrupted-rotate' })).rejects.toThrow('power lost');
    expect((await desk.get('interrupted-rotate')).summary.phase).toBe('planned');
    await expectRefusal(desk.resume('interrupted-rotate'), 'PinNeededError', serial);
    const resumed = await desk.resume('interrupted-rotate', loginsFor(tokens, [serial]));
    expect(resumed.summary.phase).toBe('proposed');
    expect(resumed.keys.filter((key) => key.where === 'token' && key.tokenSerial === serial)).toHaveLength(2);
    expect((await desk.abort('interrupted-rotate', 'test: superseded')).summary.phase).toBe('aborted');
  }, 60_000);

  it('pull: a TUF URL in online mode becomes a request bundle; air-gapped refuses before any connection', async () => {
    const save = ws.path('pulled-tuf.bundle');
    const pulled = await desk.pull({ kind: 'tuf', url: server.url }, save);
    expect(pulled).toMatchObject({ dialect: 'tuf-1.0', rootVersion: 1 });
    expect((await desk.previewRequest('pick-pulled-01', save, save)).rootVersion).toBe(1);
    await expect(desk.pull({ kind: 'tuf', url: server.url }, save)).rejects.toMatchObject({ name: 'RequestFileExistsError' });
    const offline = deskFor(ws, null, null);
    try {
      await expectRefusal(offline.pull({ kind: 'tuf', url: server.url }, ws.path('never.bundle')), 'NetworkModeError', 'KEYRITE_NETWORK=online');
    } finally {
      await offline.close();
    }
  }, 60_000);

  it('the preview of the pulled repository shows roles, keys with their roles, and what is due', async () => {
    const preview = await desk.previewRequest('pick-preview-01', 'req', await request('preview'));
    expect(RequestPreview.safeParse(preview).success).toBe(true); // what main's IPC layer checks on the way out
    expect(preview).toMatchObject({ dialect: 'tuf-1.0', rootVersion: 1, rootThreshold: 1, serverKeys: [], targetChanges: 0 });
    expect(preview.roles.map((r) => [r.role, r.delegatedBy])).toEqual([
      ['root', null],
      ['targets', 'root'],
      ['snapshot', 'root'],
      ['timestamp', 'root'],
    ]);
    expect(preview.roles.find((r) => r.role === 'targets')).toMatchObject({ keyids: [k['targets']!.tuf], threshold: 1, version: 1, targetCount: 0, dueForRefresh: false });
    expect(preview.keys.find((key) => key.keyid === k['targets']!.tuf)).toMatchObject({ roles: ['targets'], where: 'file' });
    expect(preview.rootKeys[0]).toMatchObject({ where: 'token', tokenSerial: tokens.serials[0] });
  }, 60_000);

  it('rotate-key: the targets key is replaced (root re-signed on the token, targets by the new key file)', async () => {
    const serial = tokens.serials[0] as string;
    const wrongPinFirst: SittingOptions = {
      firstSign: async (id, detail) => {
        const typed = pin('000000');
        await expectRefusal(desk.sign(id, serial, typed, false), 'PinIncorrectError', `Wrong PIN for token ${serial}`);
        expect(typed.every((b) => b === 0)).toBe(true);
        expect((await desk.get(id)).signatures).toEqual([]);
        return detail;
      },
    };
    const metadata = await step('rotate-key', { kind: 'rotate-key', role: 'targets', newKeys: [{ kind: 'file', keyId: k['targets2']!.id }] }, {}, wrongPinFirst);
    const root = signedJson(metadata, 'root').signed as { roles: { targets: { keyids: string[] } } };
    expect(root.roles.targets.keyids).toEqual([k['targets2']!.tuf]);
    expect((await client.refresh(server.url)).rootVersion).toBe(2);
  }, 120_000);

  it('add-signer: a TUF delegation "alice" with paths; her first metadata is signed by her key file', async () => {
    const metadata = await step('add-signer', { kind: 'add-signer', name: 'alice', keys: [{ kind: 'file', keyId: k['alice']!.id }], paths: ['releases/*'] });
    const targets = signedJson(metadata, 'targets').signed as { delegations: { roles: { name: string; paths: string[]; keyids: string[] }[] } };
    expect(targets.delegations.roles).toEqual([expect.objectContaining({ name: 'alice', paths: ['releases/*'], keyids: [k['alice']!.tuf] })]);
    const preview = await desk.previewRequest('pick-preview-02', 'req', await request('preview-2'));
    expect(preview.roles.find((r) => r.role === 'alice')).toMatchObject({ delegatedBy: 'targets', paths: ['releases/*'], threshold: 1, version: 1, targetCount: 0 });
  }, 120_000);

  it('sign-targets: the desk hashes the picked file (length, sha256, sha512); tuf-js trusts it through the delegation', async () => {
    const file = ws.path('app-1.0.tgz');
    await writeFile(file, ARTIFACT);
    const plan: PlanInput = { kind: 'sign-targets', changes: [{ action: 'add', role: 'alice', path: TARGET, filePickId: FILE_PICK }] };
    await expect(desk.start({ requestPath: await request('sign-missing'), plan })).rejects.toMatchObject({ name: 'PlanInputError' });
    // alice's passphrase is remembered (a delegation key may be); the targets key holds nothing to sign here.
    remembered.set(`delegation-key-passphrase:${k['alice']!.id}`, PASSPHRASE);
    const fromKeychain: SittingOptions = {
      firstSign: async (id) => {
        await expect(desk.signWithFile(id, k['targets2']!.id, { source: 'keychain' })).rejects.toMatchObject({ name: 'SignerNotRequiredError' });
        const outcome = await desk.signWithFile(id, k['alice']!.id, { source: 'keychain' });
        expect(outcome.signed.map((sig) => sig.role)).toEqual(['alice']);
        return outcome.detail;
      },
    };
    const metadata = await step('sign-targets', plan, { targetFiles: { [FILE_PICK]: file } }, fromKeychain);
    const alice = signedJson(metadata, 'alice').signed as { targets: Record<string, { length: number; hashes: Record<string, string> }> };
    expect(alice.targets[TARGET]).toEqual({
      length: ARTIFACT.length,
      hashes: { sha256: createHash('sha256').update(ARTIFACT).digest('hex'), sha512: createHash('sha512').update(ARTIFACT).digest('hex') },
    });
    expect(await client.targetLength(server.url, TARGET)).toBe(ARTIFACT.length);
  }, 120_000);

  it('refresh: targets re-signed with a new version and the chosen expiry', async () => {
    const expires = new Date(Date.now() + 60 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const refusals: SittingOptions = {
      firstSign: async (id, detail) => {
        await expectRefusal(desk.signWithFile(id, k['targets2']!.id, { source: 'keychain' }), 'KeychainPassphraseMissingError', 'top-level targets key');
        await expect(desk.signWithFile(id, k['targets2']!.id, { source: 'passphrase', passphrase: 'not the passphrase' })).rejects.toMatchObject({ name: 'WrongPassphraseError' });
        return detail;
      },
    };
    const metadata = await step('refresh', { kind: 'refresh', roles: ['targets'], expires: { targets: expires } }, {}, refusals);
    expect(signedJson(metadata, 'targets').signed).toMatchObject({ version: 4, expires });
    expect((await client.refresh(server.url)).targetsVersion).toBe(4);
  }, 120_000);

  it('remove-signer: alice is gone and her target is no longer trusted', async () => {
    await step('remove-signer', { kind: 'remove-signer', name: 'alice' });
    expect(await client.targetLength(server.url, TARGET)).toBeNull();
  }, 120_000);

  it('recover: the impact of a compromised targets key first, then the plan that replaces it', async () => {
    const compromised = k['targets2']!.tuf;
    const impact = await desk.impact(await request('impact'), [compromised], []);
    expect(ImpactView.safeParse(impact).success).toBe(true);
    expect(impact.roles.find((r) => r.role === 'targets')).toMatchObject({ delegatedBy: 'root', compromised: [compromised], remaining: 0, attackerCanSign: true, thresholdHolds: false });
    expect(impact.roles.filter((r) => r.attackerCanSign).map((r) => r.role)).toEqual(['targets']);
    expect(impact.attackerCan.join('\n')).toMatch(/^targets: 1 of 1 needed keys compromised/m);
    expect(impact.steps.map((s) => s.role)).toContain('root');
    const metadata = await step('recover', { kind: 'recover', compromised: [compromised], replacements: { targets: [{ kind: 'file', keyId: k['targets3']!.id }] } });
    const root = signedJson(metadata, 'root').signed as { version: number; roles: { targets: { keyids: string[] } } };
    expect(root.roles.targets.keyids).toEqual([k['targets3']!.tuf]);
    const refreshed = await client.refresh(server.url);
    expect(refreshed.rootVersion).toBe(root.version);
    expect((await readdir(repoDir)).filter((n) => n.endsWith('.root.json'))).toHaveLength(root.version);
  }, 120_000);
});
