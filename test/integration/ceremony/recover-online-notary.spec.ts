/**
 * Issue 4 / review F14, Notary: `ceremony recover` of a compromised server-managed timestamp key,
 * then snapshot key. The server holds those keys, so the recovery first has it rotate the key
 * (`keyrite pull --rotate-server-key R`, notary's `key rotate R -r`), then the offline recover
 * revokes the compromised key in root v+1 and names the server's new one. Against the real
 * notary-server: the client that cached the old root and a fresh one still list the repository.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readBundleFile } from '../../../electron/core/bundles';
import { notaryKeyIdOf } from '../../../electron/core/remote';
import { notaryAvailable } from '../../support/notary';
import { NotaryCeremonyEnv } from './support/notary-env';

const GUN = 'example.com/keyrite/recover-online';

interface RootSigned {
  version: number;
  roles: Record<string, { keyids: string[] }>;
}

describe.skipIf(!notaryAvailable())('Notary recover of compromised server-managed timestamp and snapshot keys', () => {
  let env: NotaryCeremonyEnv;

  beforeAll(async () => {
    env = await NotaryCeremonyEnv.start(GUN, 'recover');
  }, 60_000);

  afterAll(() => env?.stop());

  const pull = (name: string, extra: string[] = []): Promise<string> => env.pull(name, extra);
  const serverRoot = (): Promise<RootSigned> => env.serverSigned<RootSigned>('root');

  it('init → timestamp key compromised: refused until the server rotates, then recovered → snapshot key likewise; clients still list', async () => {
    await env.ceremony('init', await pull('req-init.bundle'), ['--root-key', env.key('root'), '--targets-key', env.key('targets')], 'init.bundle');
    expect((await env.watcher.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);

    for (const [i, role] of (['timestamp', 'snapshot'] as const).entries()) {
      const before = await serverRoot();
      const stolen = before.roles[role]?.keyids[0] as string;
      // The server still signs with the stolen key: the ceremony refuses and says what to do.
      const stale = await pull(`req-${role}-stale.bundle`);
      const refused = await env.ws.cli(['ceremony', 'recover', '--request', stale, '--yes', '--out', env.ws.path(`${role}-refused.bundle`), '--compromised', stolen]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(new RegExp(`ask the Notary server to rotate its ${role} key, then pull again`));

      const request = await pull(`req-${role}.bundle`, ['--rotate-server-key', role]);
      const rotated = (await readBundleFile(request)).content.state?.serverKeys?.[role];
      if (!rotated) throw new Error(`the request carries no server ${role} key`);
      const { stdout } = await env.ceremony('recover', request, ['--compromised', stolen], `recover-${role}.bundle`);
      expect(stdout).toMatch(new RegExp(`Impact of the compromised / lost keys:[\\s\\S]*${role}`));
      const after = await serverRoot();
      expect(after.version).toBe(before.version + 1);
      expect(after.roles[role]?.keyids).toEqual([notaryKeyIdOf(rotated)]);
      expect(notaryKeyIdOf(rotated)).not.toBe(stolen);
      const fresh = env.client(`fresh-${i}`);
      expect((await fresh.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);
      expect((await env.watcher.run(['list', GUN])).stdout).toMatch(/No targets present in this repository/);
    }
  }, 240_000);
});
