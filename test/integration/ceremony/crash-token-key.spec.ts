/**
 * Crash acceptance (issue 4; security.md §5), the token case: the bundled `keyrite` CLI generates
 * the root key on a SoftHSM token and is SIGKILLed before the `key-generated done` entry is
 * durable (test-only CLI entry, test/support/crash-cli-entry.ts). `keyrite ceremony resume` must
 * find that key again by its CKA_ID, use it, and finish; the token holds exactly one key with that
 * CKA_ID (no second key was generated), and the signed root lists it.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { bundleCli } from '../../support/bundle-cli';
import { runNode } from '../../support/processes';
import { SOFTHSM_MISSING_REASON } from '../../support/softhsm';
import { PASSPHRASE, signedMetadata, Workspace } from './support/harness';
import { createTokenSet, type TokenSet } from './support/softhsm-tokens';
import { pullDir } from './support/tuf-client';

const NOW = '2026-11-22T10:00:00Z';
const repoRoot = path.resolve(__dirname, '../../..');

interface ListedKey {
  ckaId: string;
  spkiSha256: string;
  keyIds: { notary: string; tuf: string };
}

if (SOFTHSM_MISSING_REASON !== null) console.warn(`crash-token-key.spec: skipped, ${SOFTHSM_MISSING_REASON}`);

describe.skipIf(SOFTHSM_MISSING_REASON !== null)('crash between generating a token key and journalling it', () => {
  let tmp: string;
  let cli: string;
  let ws: Workspace;
  let tokens: TokenSet;

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), 'keyrite-crash-token-'));
    cli = await bundleCli(path.join(tmp, 'app'), { entry: 'test/support/crash-cli-entry.ts' });
    tokens = await createTokenSet(['root-1']);
    ws = await Workspace.create();
  }, 120_000);

  afterAll(async () => {
    await ws?.cleanup();
    await tokens?.cleanup();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  // The bundled token host keeps pkcs11js external: it resolves from the repository's node_modules.
  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    PATH: process.env['PATH'],
    KEYRITE_HOME: ws.env['KEYRITE_HOME'],
    KEYRITE_PASSPHRASE: PASSPHRASE,
    KEYRITE_PIN: tokens.pin,
    SOFTHSM2_CONF: tokens.conf,
    NODE_PATH: path.join(repoRoot, 'node_modules'),
    ...extra,
  });

  async function tokenKeys(serial: string): Promise<ListedKey[]> {
    const run = await runNode(cli, ['token', 'list', '--module', 'softhsm2', '--json'], env());
    expect(run.code, run.stderr).toBe(0);
    const listed = JSON.parse(run.stdout) as { tokens: { serial: string; keys: ListedKey[] }[] };
    return listed.tokens.find((t) => t.serial === serial)?.keys ?? [];
  }

  it('resume finds the generated key by CKA_ID on the token and finishes with it; no second key', async () => {
    const [serial] = tokens.serials as [string];
    const keys: Record<string, { id: string }> = {};
    for (const role of ['targets', 'snapshot', 'timestamp']) keys[role] = await ws.generateKey(role);
    const request = await ws.writeRequest(await pullDir(ws.path('repo'), new Date(Date.parse(NOW) - 3_600_000)), 'request.bundle');
    const out = path.join(tmp, 'init.bundle');
    const args = [
      'ceremony', 'init', '--request', request, '--now', NOW, '--yes', '--module', 'softhsm2', '--out', out,
      '--root-key', `token-new:${serial}:01`,
      '--targets-key', `file:${keys['targets']!.id}`, '--snapshot-key', `file:${keys['snapshot']!.id}`, '--timestamp-key', `file:${keys['timestamp']!.id}`,
    ];
    expect(await tokenKeys(serial)).toEqual([]);

    const killed = await runNode(cli, args, env({ KEYRITE_TEST_KILL_BEFORE_KEY_DONE: '1' }));
    expect(killed.signal, killed.stderr).toBe('SIGKILL');
    const home = ws.env['KEYRITE_HOME'] as string;
    const id = (await readdir(path.join(home, 'ceremonies'))).find((n) => n.startsWith('init-')) as string;
    const journal = (await readFile(path.join(home, 'ceremonies', id, 'journal.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; data: { phase?: string } });
    // The crash left the intent without its result, and the key on the token.
    expect(journal.map((e) => `${e.type}${e.data.phase ? `:${e.data.phase}` : ''}`)).toEqual(['plan', 'key-generated:intent']);
    const generated = await tokenKeys(serial);
    expect(generated.map((k) => k.ckaId)).toEqual(['01']);

    const resumed = await runNode(cli, ['ceremony', 'resume', id, '--now', NOW, '--yes', '--module', 'softhsm2', '--out', out], env());
    expect(resumed.code, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
    // Still exactly the one key: resume did not generate another.
    expect(await tokenKeys(serial)).toEqual(generated);
    const root = JSON.parse(Buffer.from((await signedMetadata(out))['root'] as Uint8Array).toString('utf8')) as { signed: { roles: { root: { keyids: string[] } } } };
    expect(root.signed.roles.root.keyids).toEqual([generated[0]?.keyIds.tuf]);
    const after = (await readFile(path.join(home, 'ceremonies', id, 'journal.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as { type: string; data: { phase?: string } });
    expect(after.filter((e) => e.type === 'key-generated').map((e) => e.data.phase)).toEqual(['intent', 'done']);
  }, 180_000);
});
