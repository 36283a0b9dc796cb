/**
 * review F4 + F16 through the CLI: `keyrite ceremony recover` blocks on targets the compromised key
 * could have signed until they are dropped (--drop-targets) or acknowledged (--acknowledge-targets),
 * and the printed minimal plan names old → new thresholds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { TestKey } from '../../unit/ceremony/helpers';
import { compromisedDelegationState } from './support/compromised-delegation';
import { Workspace } from './support/harness';

describe('keyrite ceremony recover: content signable by the compromised key (CLI)', () => {
  let ws: Workspace;
  let request: string;
  let alice: TestKey;

  beforeAll(async () => {
    ws = await Workspace.create();
    const built = await compromisedDelegationState();
    alice = built.alice;
    request = await ws.writeRequest(built.state, 'req-recover.bundle');
  }, 60_000);

  afterAll(async () => {
    await ws?.cleanup();
  });

  // The request was "pulled" at the unit helpers' NOW: the ceremony clock is confirmed one hour later (start clock check).
  const recover = (extra: string[]): ReturnType<Workspace['cli']> =>
    ws.cli(['ceremony', 'recover', '--request', request, '--compromised', alice.key.keyid, '--yes', '--no-sign', '--now', '2026-11-22T03:00:00Z', ...extra]);

  it('blocks while the suspect targets are neither dropped nor acknowledged; nothing is signed', async () => {
    const run = await recover(['--ceremony-id', 'recover-blocked']);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/RESIGNS_COMPROMISED_CONTENT/);
    expect(run.stdout).toMatch(/releases: 1 target\(s\) signed while the compromised key was valid .*"evil\.tgz"/);
    expect(run.stderr).toMatch(/blocked by failed rule checks; nothing was signed/);
    expect(run.stdout).toMatch(/releases — threshold old 1, new 1/);
  });

  it('--drop-targets releases re-signs releases without them; --acknowledge-targets keeps them with a warning', async () => {
    const dropped = await recover(['--ceremony-id', 'recover-dropped', '--drop-targets', 'releases', '--json']);
    expect(dropped.code, dropped.stderr).toBe(1); // --no-sign: signatures still missing, but not blocked
    const view = JSON.parse(dropped.stdout) as { blocking: unknown[]; proposal: { roles: { role: string; signed: { targets?: Record<string, unknown> } }[] } };
    expect(view.blocking).toEqual([]);
    expect(Object.keys(view.proposal.roles.find((r) => r.role === 'releases')!.signed.targets ?? {})).toEqual([]);

    const kept = await recover(['--ceremony-id', 'recover-kept', '--acknowledge-targets', 'releases', '--json']);
    const keptView = JSON.parse(kept.stdout) as { blocking: unknown[]; proposal: { checks: { code: string; severity: string; passed: boolean }[] } };
    expect(keptView.blocking).toEqual([]);
    expect(keptView.proposal.checks.find((c) => c.code === 'RESIGNS_COMPROMISED_CONTENT')).toMatchObject({ severity: 'warning', passed: false });

    const typo = await recover(['--ceremony-id', 'recover-typo', '--drop-targets', 'releases=nope.tgz']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/recover: releases has no target "nope\.tgz" to drop/);
  });
});
