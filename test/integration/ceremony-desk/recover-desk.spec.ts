/**
 * recover from the GUI path (CeremonyDesk) with the review fixes the recover form now sends:
 * - F13 `lostTokens`: a TUF root with two keys generated on one SoftHSM token (plus a root key
 *   file); the impact and the plan resolve that token's keys from the inventory, the recovery is
 *   signed by the key file alone and exported; an unknown serial is a LostTokenError for the GUI.
 * - F4 `dropTargets` / `acknowledgeTargets`: a delegation key that signed "evil.tgz" is compromised;
 *   the recover blocks on RESIGNS_COMPROMISED_CONTENT until the suspect targets are dropped (the
 *   re-signed role loses them) or kept after checking (a warning).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { readBundleFile } from '../../../electron/core/bundles';
import type { CeremonyDesk } from '../../../electron/core/ceremony-desk';
import { forIpc } from '../../../electron/core/ceremony-desk/errors';
import { publishTufDir } from '../../../electron/core/publish';
import type { PlanInput } from '../../../shared/ipc/ceremony-plans';
import { bundleTokenHost, SOFTHSM_MISSING_REASON, type TokenHostBundle } from '../../support/softhsm';
import type { TestKey } from '../../unit/ceremony/helpers';
import { compromisedDelegationState } from '../ceremony/support/compromised-delegation';
import { PASSPHRASE, Workspace } from '../ceremony/support/harness';
import { createTokenSet, type TokenSet } from '../ceremony/support/softhsm-tokens';
import { pullDir } from '../ceremony/support/tuf-client';
import { deskFor, expectRefusal, loginsFor, runCeremony, signedJson } from './support/desk-harness';

describe.skipIf(SOFTHSM_MISSING_REASON !== null)('recover from the GUI path: lost token (F13)', () => {
  let ws: Workspace;
  let tokens: TokenSet;
  let host: TokenHostBundle;
  let desk: CeremonyDesk;
  const k: Record<string, { id: string; tuf: string }> = {};

  beforeAll(async () => {
    [tokens, host, ws] = await Promise.all([createTokenSet(['lost-root']), bundleTokenHost(), Workspace.create()]);
    for (const role of ['root', 'targets', 'snapshot', 'timestamp']) k[role] = await ws.generateKey(role);
    desk = deskFor(ws, tokens, host);
  }, 90_000);

  afterAll(async () => {
    await desk?.close();
    await host?.dispose();
    await tokens?.cleanup();
    await ws?.cleanup();
  });

  it('a token holding two of three root keys is lost: impact and plan resolve its keys; the key file signs the recovery alone; an unknown serial is refused', async () => {
    const serial = tokens.serials[0] as string;
    const repoDir = ws.path('repo');
    const init: PlanInput = {
      kind: 'init',
      rootKeys: [
        { kind: 'token-new', tokenSerial: serial, ckaId: '01', label: 'root a' },
        { kind: 'token-new', tokenSerial: serial, ckaId: '02', label: 'root b' },
        { kind: 'file', keyId: k['root']!.id },
      ],
      rootThreshold: 1,
      targetsKeys: [{ kind: 'file', keyId: k['targets']!.id }],
      snapshotKeys: [{ kind: 'file', keyId: k['snapshot']!.id }],
      timestampKeys: [{ kind: 'file', keyId: k['timestamp']!.id }],
    };
    const first = await runCeremony(desk, { requestPath: await ws.writeRequest(await pullDir(repoDir), 'req-init.bundle'), plan: init, logins: loginsFor(tokens, [serial]) }, tokens, ws.path('init.bundle'));
    await publishTufDir(first.metadata, repoDir, { onlineKeys: [await ws.privateKey(k['snapshot']!.id), await ws.privateKey(k['timestamp']!.id)] });
    const rootKeys = (signedJson(first.metadata, 'root').signed as { roles: { root: { keyids: string[] } } }).roles.root.keyids;
    const onToken = rootKeys.filter((id) => id !== k['root']!.tuf).sort();
    expect(onToken).toHaveLength(2);
    const requestPath = await ws.writeRequest(await pullDir(repoDir), 'req-recover.bundle');

    // Impact (the form's "Show impact" with only a lost token): the token's two root keys are lost, 1 of 3 left.
    const impact = await desk.impact(requestPath, [], [], [serial]);
    expect([...impact.lost].sort()).toEqual(onToken);
    expect(impact.roles.find((r) => r.role === 'root')).toMatchObject({ remaining: 1, threshold: 1, thresholdHolds: true });

    // A serial the inventory knows nothing on: LostTokenError, which main maps to InvalidInput.
    const unknown = await desk.impact(requestPath, [], [], ['99999999']).then(
      () => null,
      (e: unknown) => e,
    );
    expect((unknown as Error).name).toBe('LostTokenError');
    expect((unknown as Error).message).toMatch(/the key inventory knows no key on token 99999999/);
    expect((forIpc(unknown) as { ipcCode?: string }).ipcCode).toBe('InvalidInput');
    await expectRefusal(desk.start({ requestPath, plan: { kind: 'recover', compromised: [], lostTokens: ['99999999'] } }), 'LostTokenError', 'token 99999999');

    // The plan the form builds: only lostTokens. The new root drops both token keys; no PIN is asked.
    const started = await desk.start({ requestPath, plan: { kind: 'recover', compromised: [], lostTokens: [serial] } });
    expect(started.blocking).toEqual([]);
    let detail = await desk.confirm(started.summary.id, 'Yes');
    const outcome = await desk.signWithFile(detail.summary.id, k['root']!.id, { source: 'passphrase', passphrase: PASSPHRASE });
    detail = outcome.detail;
    expect(detail.summary.complete, JSON.stringify(detail.roles)).toBe(true);
    await desk.finalize(detail.summary.id);
    const out = ws.path('recover.bundle');
    await desk.exportSigned(detail.summary.id, out);
    const bundle = await readBundleFile(out);
    const root = signedJson(bundle.content.metadata ?? {}, 'root').signed as { version: number; roles: { root: { keyids: string[] } } };
    expect(root.version).toBe(2);
    expect(root.roles.root.keyids).toEqual([k['root']!.tuf]);
  }, 120_000);
});

describe('recover from the GUI path: suspect targets of a compromised key (F4)', () => {
  let ws: Workspace;
  let desk: CeremonyDesk;
  let requestPath: string;
  let alice: TestKey;

  beforeAll(async () => {
    ws = await Workspace.create();
    desk = deskFor(ws, null, null);
    // In memory (unit helpers): targets delegates "releases" to alice and bob; alice's key then signs evil.tgz.
    const built = await compromisedDelegationState();
    alice = built.alice;
    requestPath = await ws.writeRequest(built.state, 'req-recover.bundle');
  }, 60_000);

  afterAll(async () => {
    await desk?.close();
    await ws?.cleanup();
  });

  const suspectCheck = (d: { checks: { code: string; severity: string; passed: boolean; message: string; role: string | null }[] }) => d.checks.find((c) => c.code === 'RESIGNS_COMPROMISED_CONTENT' && c.role === 'releases');

  it('blocks without a choice; dropTargets {releases: "all"} drops evil.tgz; acknowledgeTargets keeps it as a warning', async () => {
    const blocked = await desk.start({ requestPath, plan: { kind: 'recover', compromised: [alice.key.keyid] } });
    expect(blocked.blocking.map((c) => c.code)).toContain('RESIGNS_COMPROMISED_CONTENT');
    expect(suspectCheck(blocked)).toMatchObject({ severity: 'blocking', passed: false });
    expect(suspectCheck(blocked)?.message).toContain('evil.tgz');

    const dropped = await desk.start({ requestPath, plan: { kind: 'recover', compromised: [alice.key.keyid], dropTargets: { releases: 'all' } } });
    expect(dropped.blocking).toEqual([]);
    expect(suspectCheck(dropped)).toMatchObject({ passed: true });
    expect(suspectCheck(dropped)?.message).toContain('every suspect target is dropped');
    expect(dropped.diff.filter((d) => d.role === 'releases').map((d) => d.summary).join('\n')).toMatch(/evil\.tgz/);
    expect(dropped.roles.map((r) => r.role)).toContain('releases');

    const kept = await desk.start({ requestPath, plan: { kind: 'recover', compromised: [alice.key.keyid], acknowledgeTargets: ['releases'] } });
    expect(kept.blocking).toEqual([]);
    expect(suspectCheck(kept)).toMatchObject({ severity: 'warning', passed: false });
    expect(suspectCheck(kept)?.message).toContain('acknowledged by the operator');
  }, 60_000);
});
