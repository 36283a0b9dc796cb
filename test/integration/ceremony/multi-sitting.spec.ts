/**
 * m-of-n across workstations and the ceremony controls (security.md §3, §6 #2, #37, #44): a 2-of-2
 * root whose second key lives on another workstation, signed through partial-signature bundles
 * (export → sign elsewhere → merge → export), every signature verified on arrival, the "Yes" gate,
 * and the workspace-wide equivocation guard.
 */
import { createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readBundleFile, writeBundleFile } from '../../../electron/core/bundles';
import { runCli } from '../../../electron/cli/cli';
import type { CeremonyIo } from '../../../electron/cli/ceremony-context';
import { expectOk, signedMetadata, Workspace } from './support/harness';
import { pullDir } from './support/tuf-client';

// An unrelated key: its signatures cannot verify for root key 2.
const stray = generateKeyPairSync('ed25519').privateKey;

describe('multi-sitting ceremonies and ceremony controls', () => {
  let alpha: Workspace; // holds root key 1, targets, online keys
  let beta: Workspace; // another workstation: holds root key 2 only
  let request: string;
  let k2Pub: string;
  const k: Record<string, { id: string; tuf: string }> = {};
  let ceremonyId = '';

  beforeAll(async () => {
    alpha = await Workspace.create();
    beta = await Workspace.create();
    for (const role of ['root', 'targets', 'snapshot', 'timestamp']) k[role] = await alpha.generateKey(role);
    k['root2'] = await beta.generateKey('root');
    k2Pub = alpha.path('root2.pub');
    await writeFile(k2Pub, createPublicKey(await beta.privateKey(k['root2'].id)).export({ type: 'spki', format: 'pem' }));
    request = await alpha.writeRequest(await pullDir(alpha.path('repo')), 'request.bundle');
  }, 60_000);

  afterAll(async () => {
    await alpha?.cleanup();
    await beta?.cleanup();
  });

  const initArgs = (): string[] => [
    'ceremony', 'init', '--request', request, '--root-key', `file:${k['root']!.id}`, '--root-key', `pubkey:${k2Pub}`, '--threshold', '2',
    '--targets-key', `file:${k['targets']!.id}`, '--snapshot-key', `file:${k['snapshot']!.id}`, '--timestamp-key', `file:${k['timestamp']!.id}`,
  ];

  it('refuses to sign unless the operator types exactly "Yes"', async () => {
    let stdout = '';
    let stderr = '';
    const io: CeremonyIo = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: alpha.env, cwd: alpha.dir, homedir: alpha.dir, prompt: null, confirm: () => Promise.resolve('yes') };
    const code = await runCli([...initArgs(), '--ceremony-id', 'gate-test'], io);
    expect(code).toBe(1);
    expect(stderr).toMatch(/not confirmed \(type exactly "Yes"\); nothing was signed/);
    expect(stdout).toMatch(/root keys|root:/);
    const status = JSON.parse(expectOk(await alpha.cli(['ceremony', 'status', 'gate-test', '--json']), 'status').stdout) as { phase: string; signatures: unknown[] };
    expect(status).toMatchObject({ phase: 'proposed', signatures: [] });
    expectOk(await alpha.cli(['ceremony', 'abort', 'gate-test', '--reason', 'test of the gate']), 'abort');
  });

  it('signs 1 of 2 here, exports a partial bundle, and says who still has to sign', async () => {
    const run = await alpha.cli([...initArgs(), '--yes', '--ceremony-id', 'two-sites', '--partial-out', alpha.path('partial-1.bundle')]);
    expectOk(run, 'init with a partial bundle');
    expect(run.stdout).toMatch(/root v1 — root v1 \(new\): 1\/2/);
    expect(run.stdout).toMatch(/can still sign: /);
    ceremonyId = 'two-sites';
    const partial = await readBundleFile(alpha.path('partial-1.bundle'));
    expect(partial.manifest.kind).toBe('partial');
    expect(partial.content.signatures?.map((s) => s.role).sort()).toEqual(['root', 'targets']);
  }, 60_000);

  it('the other workstation imports it, signs with its own key after its own "Yes", and exports its signature', async () => {
    const run = await beta.cli(['ceremony', 'sign', '--bundle', alpha.path('partial-1.bundle'), '--yes', '--partial-out', beta.path('partial-2.bundle')]);
    // Complete now on beta too, but beta only hands its signature back.
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/imported ceremony two-sites/);
    expect(run.stderr).toMatch(/signed root v1 with key file .* \(verified\)/);
  }, 60_000);

  it('refuses a merged signature that does not verify (signed over other bytes), naming it', async () => {
    const good = await readBundleFile(beta.path('partial-2.bundle'));
    const forged = (good.content.signatures ?? []).map((s) => (s.role === 'root' ? { ...s, sig: sign(null, Buffer.from('other bytes'), stray).toString('hex') } : s));
    const file = alpha.path('forged.bundle');
    await writeBundleFile(file, 'partial', { ...good.content, signatures: forged });
    const run = await alpha.cli(['ceremony', 'merge', ceremonyId, file]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refused: .*(signature|verify)/i);
  });

  it('merges the real signature and exports a signed bundle with root 2-of-2', async () => {
    expectOk(await alpha.cli(['ceremony', 'merge', ceremonyId, beta.path('partial-2.bundle')]), 'merge');
    expectOk(await alpha.cli(['ceremony', 'export', ceremonyId, '--out', alpha.path('signed.bundle')]), 'export');
    const root = JSON.parse(Buffer.from((await signedMetadata(alpha.path('signed.bundle')))['root'] as Uint8Array).toString('utf8')) as { signatures: { keyid: string }[] };
    expect(root.signatures.map((s) => s.keyid).sort()).toEqual([k['root']!.tuf, k['root2']!.tuf].sort());
    const journal = await readFile(alpha.path('home', 'ceremonies', ceremonyId, 'journal.jsonl'), 'utf8');
    expect(journal).toMatch(/"type":"partial-merged"/);
  });

  it('never signs root v1 over different bytes in another ceremony (equivocation guard)', async () => {
    const run = await alpha.cli([...initArgs(), '--yes', '--ceremony-id', 'second-init', '--expires', 'root=400d', '--out', alpha.path('second.bundle')]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/refused: refusing to sign root v1 over different bytes/);
  }, 60_000);
});
