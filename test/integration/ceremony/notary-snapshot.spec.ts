/**
 * Issue 4 / review F6: a Notary repository whose snapshot key is held offline by the client (what
 * `notary init` does without `-r`). The ceremony signs the snapshot with that key once root,
 * targets and delegations are final, over their exact bytes; the real notary-server verifies the
 * uploaded snapshot instead of generating one, and the real `notary` client trusts the result.
 * Progression: pull (no server snapshot key) → init with --snapshot-key → publish → `notary list`
 * → sign-targets (targets v2, snapshot v2 signed offline again) → publish → `notary list` shows it
 * → refresh of the snapshot alone (v3) → publish → still listed.
 */
import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PolicyHttpGetter } from '../../../electron/core/net/http-fetch';
import { createNetworkPolicy } from '../../../electron/core/net/network-policy';
import { notaryTufBase } from '../../../electron/core/remote';
import { notaryAvailable } from '../../support/notary';
import { expectOk, signedMetadata } from './support/harness';
import { NotaryCeremonyEnv } from './support/notary-env';

const GUN = 'example.com/keyrite/offline-snapshot';

interface Envelope<T> {
  signed: T;
  signatures: { keyid: string }[];
}
interface RootBody {
  version: number;
  roles: Record<string, { keyids: string[] }>;
}
interface SnapshotBody {
  version: number;
  meta: Record<string, { length: number; hashes: { sha256: string } }>;
}

function parse<T>(bytes: Uint8Array | undefined): Envelope<T> {
  if (!bytes) throw new Error('file missing from the signed bundle');
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as Envelope<T>;
}

function sha256b64(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('base64');
}

describe.skipIf(!notaryAvailable())('Notary repository with an offline (client-held) snapshot key', () => {
  let env: NotaryCeremonyEnv;

  beforeAll(async () => {
    env = await NotaryCeremonyEnv.start(GUN, 'snapshot', ['root', 'targets', 'snapshot']);
  }, 60_000);

  afterAll(() => env?.stop());

  const pull = (name: string, extra: string[] = []): Promise<string> => env.pull(name, extra);

  async function ceremonyAndPublish(kind: string, request: string, args: string[], out: string): Promise<{ files: Record<string, Uint8Array>; stderr: string }> {
    const run = expectOk(await env.ws.cli(['ceremony', kind, '--request', request, '--yes', '--out', env.ws.path(out), ...args]), `ceremony ${kind}`);
    const files = await signedMetadata(env.ws.path(out));
    // The product path: `keyrite publish` posts the offline-signed snapshot with the other files.
    const published = expectOk(await env.ws.cli(['publish', env.ws.path(out), '--server', env.server.url, '--online']), `publish ${out}`);
    expect(published.stdout).toMatch(/published .*snapshot/);
    return { files, stderr: run.stderr };
  }

  async function serverFile(role: string): Promise<Uint8Array> {
    const bytes = await new PolicyHttpGetter(createNetworkPolicy('online')).get(`${notaryTufBase({ url: env.server.url, gun: GUN })}${role}.json`, { maxBytes: 1 << 20 });
    if (!bytes) throw new Error(`the server has no ${role}.json`);
    return bytes;
  }

  it('init with --snapshot-key, then sign-targets: the snapshot is signed offline each time, the server keeps it, the client trusts it', async () => {
    // 1. init: the request carries no server snapshot key; root names ours; the bundle carries a snapshot signed by it.
    const init = await ceremonyAndPublish(
      'init',
      await pull('req-init.bundle', ['--snapshot-key', 'never']),
      ['--root-key', env.key('root'), '--targets-key', env.key('targets'), '--snapshot-key', env.key('snapshot')],
      'init.bundle',
    );
    expect(Object.keys(init.files).sort()).toEqual(['root', 'snapshot', 'targets']);
    expect(init.stderr).toMatch(/signed snapshot v1 with/);
    const root = parse<RootBody>(init.files['root']);
    const snapKeyIds = root.signed.roles['snapshot']?.keyids ?? [];
    expect(snapKeyIds).toHaveLength(1);
    const snap1 = parse<SnapshotBody>(init.files['snapshot']);
    expect(snap1.signed.version).toBe(1);
    expect(snap1.signatures.map((s) => s.keyid)).toEqual(snapKeyIds);
    // The snapshot lists the exact bytes that were published.
    for (const role of ['root', 'targets']) expect(snap1.signed.meta[role]?.hashes.sha256).toBe(sha256b64(init.files[role]!));
    // The server verified and kept our snapshot (it holds no snapshot key of its own for this GUN).
    expect(Buffer.from(await serverFile('snapshot')).equals(Buffer.from(init.files['snapshot']!))).toBe(true);
    expect((await env.watcher.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);

    // 2. sign-targets: targets v2 and a new snapshot v2 over it, signed with the offline snapshot key again.
    const artefact = env.ws.path('app-1.0.tgz');
    await writeFile(artefact, 'release 1.0\n');
    const sign = await ceremonyAndPublish('sign-targets', await pull('req-sign.bundle', ['--add-target', `app-1.0.tgz=${artefact}`]), [], 'sign.bundle');
    expect(Object.keys(sign.files).sort()).toEqual(['snapshot', 'targets']);
    expect(sign.stderr).toMatch(/signed snapshot v2 with/);
    const snap2 = parse<SnapshotBody>(sign.files['snapshot']);
    expect(snap2.signed.version).toBe(2);
    expect(snap2.signed.meta['targets']?.hashes.sha256).toBe(sha256b64(sign.files['targets']!));
    expect(snap2.signed.meta['root']?.hashes.sha256).toBe(sha256b64(init.files['root']!));
    expect(Buffer.from(await serverFile('snapshot')).equals(Buffer.from(sign.files['snapshot']!))).toBe(true);
    // Both the client that cached v1 and a fresh one trust the new target.
    expect((await env.watcher.list(GUN)).map((t) => t.name)).toEqual(['app-1.0.tgz']);
    const fresh = env.client('fresh');
    expect((await fresh.list(GUN)).map((t) => `${t.name} ${t.role}`)).toEqual(['app-1.0.tgz targets']);

    // 3. refresh of the client-held snapshot alone (what `notary witness` cannot do for it): snapshot v3 only.
    const refresh = await ceremonyAndPublish('refresh', await pull('req-refresh.bundle'), ['--role', 'snapshot'], 'refresh.bundle');
    expect(Object.keys(refresh.files)).toEqual(['snapshot']);
    const snap3 = parse<SnapshotBody>(refresh.files['snapshot']);
    expect(snap3.signed.version).toBe(3);
    expect(snap3.signed.meta['targets']?.hashes.sha256).toBe(sha256b64(sign.files['targets']!));
    expect(Buffer.from(await serverFile('snapshot')).equals(Buffer.from(refresh.files['snapshot']!))).toBe(true);
    expect((await fresh.list(GUN)).map((t) => t.name)).toEqual(['app-1.0.tgz']);
  }, 180_000);
});
