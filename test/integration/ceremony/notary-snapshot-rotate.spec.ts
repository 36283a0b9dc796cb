/**
 * Review F6, second way in: a Notary repository whose snapshot was server-managed takes it offline
 * (`ceremony rotate-key --role snapshot --key …`, what `notary key rotate GUN snapshot` without -r
 * does). Root v2 names the client-held key and the same ceremony signs snapshot v+1 with it over
 * the final root bytes; the real notary-server accepts it, and both a client that cached root v1
 * and a fresh one list the repository. A later sign-targets signs the snapshot offline again.
 */
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { notaryAvailable } from '../../support/notary';
import { NotaryCeremonyEnv } from './support/notary-env';

const GUN = 'example.com/keyrite/snapshot-offline-rotate';

interface Envelope<T> {
  signed: T;
  signatures: { keyid: string }[];
}

function parse<T>(bytes: Uint8Array | undefined): Envelope<T> {
  if (!bytes) throw new Error('file missing from the signed bundle');
  return JSON.parse(Buffer.from(bytes).toString('utf8')) as Envelope<T>;
}

describe.skipIf(!notaryAvailable())('Notary rotate-key snapshot from server-managed to a client-held key', () => {
  let env: NotaryCeremonyEnv;

  beforeAll(async () => {
    env = await NotaryCeremonyEnv.start(GUN, 'snapshot-rotate', ['root', 'targets', 'snapshot']);
  }, 60_000);

  afterAll(() => env?.stop());

  const pull = (name: string, extra: string[] = []): Promise<string> => env.pull(name, extra);
  const ceremony = async (kind: string, request: string, args: string[], out: string): Promise<Record<string, Uint8Array>> => (await env.ceremony(kind, request, args, out)).files;

  it('server-managed init → rotate-key snapshot to a client-held key → sign-targets; clients trust every step', async () => {
    const init = await ceremony('init', await pull('req-init.bundle'), ['--root-key', env.key('root'), '--targets-key', env.key('targets')], 'init.bundle');
    expect(Object.keys(init).sort()).toEqual(['root', 'targets']);
    expect((await env.watcher.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);

    const rotate = await ceremony('rotate-key', await pull('req-rotate.bundle'), ['--role', 'snapshot', '--key', env.key('snapshot')], 'rotate.bundle');
    expect(Object.keys(rotate).sort()).toEqual(['root', 'snapshot']);
    const root2 = parse<{ version: number; roles: Record<string, { keyids: string[] }> }>(rotate['root']);
    expect(root2.signed.version).toBe(2);
    const snapshot = parse<{ version: number }>(rotate['snapshot']);
    expect(snapshot.signatures.map((s) => s.keyid)).toEqual(root2.signed.roles['snapshot']?.keyids);
    expect(snapshot.signed.version).toBeGreaterThan(1);
    expect((await env.watcher.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);

    const artefact = env.ws.path('app-2.0.tgz');
    await writeFile(artefact, 'release 2.0\n');
    const sign = await ceremony('sign-targets', await pull('req-sign.bundle', ['--add-target', `app-2.0.tgz=${artefact}`]), [], 'sign.bundle');
    expect(Object.keys(sign).sort()).toEqual(['snapshot', 'targets']);
    expect(parse<{ version: number }>(sign['snapshot']).signed.version).toBe(snapshot.signed.version + 1);
    expect((await env.watcher.list(GUN)).map((t) => t.name)).toEqual(['app-2.0.tgz']);
    const fresh = env.client('fresh');
    expect((await fresh.list(GUN)).map((t) => t.name)).toEqual(['app-2.0.tgz']);
  }, 180_000);
});
