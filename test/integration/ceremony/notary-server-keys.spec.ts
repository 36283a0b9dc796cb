/**
 * Issue 4, rotate-key for Notary server-managed keys (what `notary key rotate GUN timestamp -r`
 * does, split over the air gap): `keyrite pull --rotate-server-key R` asks the real notary-server
 * for a new key (POST …/R.key), the offline `ceremony rotate-key --role R --server-managed` puts it
 * in a new root, and after publishing, a fresh `notary` client and one that cached the old root
 * still list the repository, whose root names the server's new key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readBundleFile } from '../../../electron/core/bundles';
import { notaryKeyIdOf } from '../../../electron/core/remote';
import { notaryAvailable } from '../../support/notary';
import { NotaryCeremonyEnv } from './support/notary-env';

const GUN = 'example.com/keyrite/server-keys';

interface RootSigned {
  version: number;
  roles: Record<string, { keyids: string[] }>;
}

describe.skipIf(!notaryAvailable())('Notary server-managed timestamp and snapshot key rotation', () => {
  let env: NotaryCeremonyEnv;

  beforeAll(async () => {
    env = await NotaryCeremonyEnv.start(GUN, 'server-keys');
  }, 60_000);

  afterAll(() => env?.stop());

  const pull = (name: string, extra: string[] = []): Promise<string> => env.pull(name, extra);
  const serverRoot = (): Promise<RootSigned> => env.serverSigned<RootSigned>('root');

  async function requestedKeyId(request: string, role: 'timestamp' | 'snapshot'): Promise<string> {
    const key = (await readBundleFile(request)).content.state?.serverKeys?.[role];
    if (!key) throw new Error(`${request} carries no server ${role} key`);
    return notaryKeyIdOf(key);
  }

  it('init (server-managed snapshot and timestamp), published; a client trusts it', async () => {
    const request = await pull('req-init.bundle');
    await env.ceremony('init', request, ['--root-key', env.key('root'), '--targets-key', env.key('targets')], 'init.bundle');
    expect((await env.watcher.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);
    const root = await serverRoot();
    expect(root.roles['timestamp']?.keyids).toEqual([await requestedKeyId(request, 'timestamp')]);
  }, 120_000);

  for (const role of ['timestamp', 'snapshot'] as const) {
    it(`rotate-key --role ${role} --server-managed: root names the server's NEW ${role} key and clients still list`, async () => {
      const before = await serverRoot();
      const request = await pull(`req-rotate-${role}.bundle`, ['--rotate-server-key', role]);
      const fresh = await requestedKeyId(request, role);
      expect(before.roles[role]?.keyids).not.toContain(fresh);
      await env.ceremony('rotate-key', request, ['--role', role, '--server-managed'], `rotate-${role}.bundle`);
      const after = await serverRoot();
      expect(after.version).toBe(before.version + 1);
      expect(after.roles[role]?.keyids).toEqual([fresh]);
      // The server now signs (timestamp, or snapshot and timestamp) with the new key: a fresh client
      // verifies everything from this root, and the client that cached the old root moves on.
      const client = env.client(`fresh-${role}`);
      expect((await client.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);
      expect((await env.watcher.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);
    }, 120_000);
  }
});
