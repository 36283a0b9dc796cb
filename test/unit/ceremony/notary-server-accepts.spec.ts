import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { finalize, propose, type RepoState } from '../../../shared/ceremony';
import type { JsonObject } from '../../../shared/tuf/model';
import { toBase64 } from '../../../shared/tuf/encoding';
import { emptyState, env, GUN, makeKey, makeNotaryRootKey, signWith } from './helpers';

const SERVER = '/usr/bin/notary-server';
const CLIENT = '/usr/bin/notary';
const run = promisify(execFile);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      s.close(() => resolve(typeof addr === 'object' && addr !== null ? addr.port : 0));
    });
  });
}

/**
 * The metadata this engine builds (x509 root cert minted in shared/, docker-style delegations,
 * root rotation) is accepted by the real notary-server and trusted by the real notary client.
 * The full ceremony loop (tokens, bundles, publish) is test/integration/ceremony (ceremony-engine).
 */
describe.skipIf(!existsSync(SERVER) || !existsSync(CLIENT))('real notary-server and notary client accept the metadata (needs /usr/bin/notary-server, /usr/bin/notary)', () => {
  let server: ChildProcess | null = null;
  let base = '';
  const dirs: string[] = [];

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'keyrite-nsrv-'));
    dirs.push(dir);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    writeFileSync(path.join(dir, 'server.json'), JSON.stringify({ server: { http_addr: `127.0.0.1:${port}` }, storage: { backend: 'memory' }, trust_service: { type: 'local', key_algorithm: 'ecdsa' }, logging: { level: 'error' } }));
    server = spawn(SERVER, ['-config', path.join(dir, 'server.json')], { stdio: 'ignore' });
    for (let i = 0; i < 100; i++) {
      try {
        if ((await fetch(`${base}/_notary_server/health`)).ok) return;
      } catch {
        // not listening yet: poll again
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('notary-server did not start');
  });

  afterAll(() => {
    if (server?.pid !== undefined) process.kill(server.pid, 'SIGTERM');
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  async function post(files: Record<string, Uint8Array>): Promise<number> {
    const form = new FormData();
    for (const [role, bytes] of Object.entries(files)) form.append('files', new Blob([bytes.slice()]), role);
    const res = await fetch(`${base}/v2/${GUN}/_trust/tuf/`, { method: 'POST', body: form });
    await res.arrayBuffer();
    return res.status;
  }

  it('init, add-signer alice, rotate-root: accepted; a client with the old root still lists the repository', async () => {
    const key = async (role: string): Promise<JsonObject> => (await (await fetch(`${base}/v2/${GUN}/_trust/tuf/${role}.key`)).json()) as JsonObject;
    const now = { ...env, now: new Date() };
    let state: RepoState = emptyState('notary-v1', { timestamp: await key('timestamp'), snapshot: await key('snapshot') });
    const root = await makeNotaryRootKey(GUN);
    const tk = await makeKey('notary-v1');
    const init = propose(state, { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key] }, now);
    const initFiles = finalize(init, signWith(init, [root, tk]), now).files;
    expect(await post(initFiles)).toBe(200);
    state = { ...state, files: { root: toBase64(initFiles['root']!), targets: toBase64(initFiles['targets']!) }, rootHistory: [toBase64(initFiles['root']!)] };
    const clientDir = mkdtempSync(path.join(tmpdir(), 'keyrite-ncl-'));
    dirs.push(clientDir);
    const notary = async (...args: string[]): Promise<string> => (await run(CLIENT, ['-s', base, '-d', clientDir, ...args], { encoding: 'utf8' })).stdout;
    expect(await notary('list', GUN)).toContain('No targets present');

    const alice = await makeKey('notary-v1');
    const add = propose(state, { kind: 'add-signer', name: 'alice', keys: [alice.key] }, now);
    const addFiles = finalize(add, signWith(add, [tk]), now).files;
    expect(await post(addFiles)).toBe(200);
    state = { ...state, files: { ...state.files, targets: toBase64(addFiles['targets']!) } };
    const delegations = await notary('delegation', 'list', GUN);
    expect(delegations).toMatch(new RegExp(`targets/alice\\s+"" <all paths>\\s+${alice.key.keyid}`));
    expect(delegations).toMatch(new RegExp(`targets/releases\\s+"" <all paths>\\s+${alice.key.keyid}`));

    const root2 = await makeNotaryRootKey(GUN);
    const rr = propose(state, { kind: 'rotate-root', add: [root2.key], remove: [root.key.keyid] }, now);
    const rrFiles = finalize(rr, signWith(rr, [root, root2]), now).files;
    expect(await post(rrFiles)).toBe(200);
    expect(await notary('list', GUN)).toContain('No targets present');
  });
});
