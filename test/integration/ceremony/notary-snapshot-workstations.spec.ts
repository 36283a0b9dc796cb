/**
 * Review F6 across workstations: a Notary init whose targets and offline snapshot keys live on
 * another workstation (beta). Alpha signs root and exports a partial bundle; beta imports it, signs
 * targets, which completes the other roles, so beta proposes the snapshot step and signs it; alpha
 * merges: its own snapshot step is the same body (both derive it from the request and the same
 * signatures), so beta's snapshot signature counts here and alpha exports the complete bundle.
 */
import { createHash, createPublicKey } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { expectOk, signedMetadata, Workspace } from './support/harness';
import { newNotaryGunRequest } from './support/notary-request';

const GUN = 'example.com/keyrite/snapshot-two-sites';
const ID = 'init-two-sites';

interface View {
  proposal: { roles: { role: string; payloadSha256: string }[] };
  progress: { complete: boolean };
}

describe('Notary offline snapshot step across two workstations', () => {
  let alpha: Workspace;
  let beta: Workspace;
  const k: Record<string, { id: string }> = {};
  const pub: Record<string, string> = {};

  beforeAll(async () => {
    alpha = await Workspace.create();
    beta = await Workspace.create();
    k['root'] = await alpha.generateKey('root', 'ecdsa-p256');
    for (const role of ['targets', 'snapshot']) {
      k[role] = await beta.generateKey(role, 'ecdsa-p256', ['--gun', GUN]);
      pub[role] = beta.path(`${role}.pub`);
      await writeFile(pub[role], createPublicKey(await beta.privateKey(k[role].id)).export({ type: 'spki', format: 'pem' }));
    }
  }, 60_000);

  afterAll(async () => {
    await alpha?.cleanup();
    await beta?.cleanup();
  });

  async function view(ws: Workspace): Promise<View> {
    return JSON.parse(expectOk(await ws.cli(['ceremony', 'status', ID, '--json']), 'status').stdout) as View;
  }

  it('alpha signs root, beta signs targets and the snapshot, alpha merges and exports', async () => {
    const request = await alpha.writeRequest(newNotaryGunRequest(GUN), 'req.bundle');
    expectOk(
      await alpha.cli([
        'ceremony', 'init', '--request', request, '--ceremony-id', ID, '--yes', '--partial-out', alpha.path('p1.bundle'),
        '--root-key', `file:${k['root']!.id}`, '--targets-key', `pubkey:${pub['targets']}`, '--snapshot-key', `pubkey:${pub['snapshot']}`,
      ]),
      'alpha init',
    );
    expect((await view(alpha)).proposal.roles.map((r) => r.role)).toEqual(['root', 'targets']);

    const signed = expectOk(await beta.cli(['ceremony', 'sign', '--bundle', alpha.path('p1.bundle'), '--yes', '--partial-out', beta.path('p2.bundle')]), 'beta sign');
    expect(signed.stderr).toMatch(/signed targets v1/);
    expect(signed.stderr).toMatch(/signed snapshot v1/);
    const betaSnapshot = (await view(beta)).proposal.roles.find((r) => r.role === 'snapshot');
    expect(betaSnapshot).toBeDefined();

    const merged = expectOk(await alpha.cli(['ceremony', 'merge', ID, beta.path('p2.bundle')]), 'alpha merge');
    expect(merged.stderr).toMatch(/merged 2 verified signature\(s\)/);
    const after = await view(alpha);
    expect(after.proposal.roles.find((r) => r.role === 'snapshot')?.payloadSha256).toBe(betaSnapshot?.payloadSha256);
    expect(after.progress.complete).toBe(true);

    expectOk(await alpha.cli(['ceremony', 'export', ID, '--out', alpha.path('signed.bundle')]), 'alpha export');
    const files = await signedMetadata(alpha.path('signed.bundle'));
    expect(Object.keys(files).sort()).toEqual(['root', 'snapshot', 'targets']);
    const snapshot = JSON.parse(Buffer.from(files['snapshot']!).toString('utf8')) as { signed: { meta: Record<string, { hashes: { sha256: string } }> } };
    for (const role of ['root', 'targets']) expect(snapshot.signed.meta[role]?.hashes.sha256).toBe(createHash('sha256').update(files[role]!).digest('base64'));
  }, 120_000);
});
