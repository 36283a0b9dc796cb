/**
 * Issue 4 / review F14, TUF: `ceremony recover` of a compromised timestamp key, then of a compromised
 * snapshot key (security.md §2 rule 8: rotate those keys, don't just re-sign with reset versions).
 * Each recovery is root v+1 naming the replacement key, published with the new online key; the
 * real tuf-js client updates through it (also after caching an attacker's timestamp v1000 signed
 * with the stolen key: the new root no longer trusts that file), and securesystemslib verifies.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { publishTufDir, roleKeysFromRoot, signTufRole } from '../../../electron/core/publish';
import type { JsonObject } from '../../../shared/tuf/model';
import { serveDir, type TestServer } from '../../support/serve-dir';
import { expectOk, signedMetadata, Workspace } from './support/harness';
import { pullDir, sslibVerify, TufJsClient } from './support/tuf-client';

interface RootBody {
  version: number;
  roles: Record<string, { keyids: string[] }>;
}

describe('TUF recover of compromised snapshot and timestamp keys', () => {
  let ws: Workspace;
  let server: TestServer;
  let repoDir: string;
  const k: Record<string, { id: string; tuf: string }> = {};

  beforeAll(async () => {
    ws = await Workspace.create();
    repoDir = ws.path('repo');
    server = await serveDir(repoDir);
    for (const role of ['root', 'targets', 'snapshot', 'timestamp', 'snapshot2', 'timestamp2']) k[role] = await ws.generateKey(role.replace(/2$/, ''));
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    await ws?.cleanup();
  });

  async function step(kind: string, args: string[], name: string, online: { snapshot: string; timestamp: string }): Promise<{ stdout: string }> {
    const request = await ws.writeRequest(await pullDir(repoDir), `req-${name}.bundle`);
    const run = expectOk(await ws.cli(['ceremony', kind, '--request', request, '--yes', '--out', ws.path(`${name}.bundle`), ...args]), `ceremony ${kind}`);
    await publishTufDir(await signedMetadata(ws.path(`${name}.bundle`)), repoDir, { onlineKeys: [await ws.privateKey(online.snapshot), await ws.privateKey(online.timestamp)] });
    const verdict = await sslibVerify(repoDir);
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ ok: true });
    return run;
  }

  async function published(name: string): Promise<{ signed: JsonObject & { version: number } }> {
    return JSON.parse(await readFile(path.join(repoDir, name), 'utf8')) as { signed: JsonObject & { version: number } };
  }

  it('init → timestamp key compromised (attacker timestamp v1000 cached by a client) → recover → snapshot key compromised → recover; tuf-js follows', async () => {
    await step('init', ['--root-key', `file:${k['root']!.id}`, '--targets-key', `file:${k['targets']!.id}`, '--snapshot-key', `file:${k['snapshot']!.id}`, '--timestamp-key', `file:${k['timestamp']!.id}`], 'init', {
      snapshot: k['snapshot']!.id,
      timestamp: k['timestamp']!.id,
    });
    const client = await TufJsClient.bootstrap(repoDir);
    expect((await client.refresh(server.url)).rootVersion).toBe(1);

    // The attacker holds the timestamp key: a client is fed a timestamp v1000 it must accept today.
    const legit = await readFile(path.join(repoDir, 'timestamp.json'));
    const root1 = (await published('1.root.json')).signed;
    const forged = { ...(await published('timestamp.json')).signed, version: 1000 };
    await writeFile(path.join(repoDir, 'timestamp.json'), signTufRole('timestamp', forged, roleKeysFromRoot(root1, 'timestamp'), [await ws.privateKey(k['timestamp']!.id)]));
    await client.refresh(server.url);
    expect((JSON.parse(await readFile(path.join(client.dir, 'timestamp.json'), 'utf8')) as { signed: { version: number } }).signed.version).toBe(1000);
    await writeFile(path.join(repoDir, 'timestamp.json'), legit);

    // Recover without a replacement key is refused with what to do.
    const request = await ws.writeRequest(await pullDir(repoDir), 'req-refused.bundle');
    const refused = await ws.cli(['ceremony', 'recover', '--request', request, '--yes', '--out', ws.path('refused.bundle'), '--compromised', k['timestamp']!.tuf]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/give replacement keys for timestamp/);

    const run = await step('recover', ['--compromised', k['timestamp']!.tuf, '--replace', `timestamp=file:${k['timestamp2']!.id}`], 'recover-ts', { snapshot: k['snapshot']!.id, timestamp: k['timestamp2']!.id });
    expect(run.stdout).toMatch(/Impact of the compromised \/ lost keys:[\s\S]*timestamp/);
    const root2 = (await published('2.root.json')).signed as unknown as RootBody;
    expect(root2.roles['timestamp']?.keyids).toEqual([k['timestamp2']!.tuf]);
    // Versions continue (rule 8: no reset), and the client drops the forged v1000 the new root no longer trusts.
    expect((await published('timestamp.json')).signed.version).toBe(2);
    expect((await client.refresh(server.url)).rootVersion).toBe(2);

    await step('recover', ['--compromised', k['snapshot']!.tuf, '--replace', `snapshot=file:${k['snapshot2']!.id}`], 'recover-snap', { snapshot: k['snapshot2']!.id, timestamp: k['timestamp2']!.id });
    const root3 = (await published('3.root.json')).signed as unknown as RootBody;
    expect(root3.roles['snapshot']?.keyids).toEqual([k['snapshot2']!.tuf]);
    expect(root3.roles['timestamp']?.keyids).toEqual([k['timestamp2']!.tuf]);
    expect((await published('timestamp.json')).signed.version).toBe(3);
    expect((await client.refresh(server.url)).rootVersion).toBe(3);
    // A fresh client from 1.root.json walks the whole chain.
    expect((await (await TufJsClient.bootstrap(repoDir)).refresh(server.url)).rootVersion).toBe(3);
  }, 180_000);
});
