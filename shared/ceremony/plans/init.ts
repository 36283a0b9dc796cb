import { buildRoot, buildTargets } from '../builders';
import { finishProposal, newDraft, serverKey, type CommonPlanOptions } from '../draft';
import type { CeremonyEnv } from '../env';
import { PlanError } from '../errors';
import type { LoadedState } from '../state';
import type { CeremonyKey, Proposal } from '../types';
import { requireThreshold, requireX509 } from './edit-helpers';

export interface InitPlan extends CommonPlanOptions {
  kind: 'init';
  rootKeys: CeremonyKey[];
  rootThreshold: number;
  targetsKeys: CeremonyKey[];
  targetsThreshold?: number;
  /** TUF; Notary: an offline snapshot key (default: the server's snapshot key from the request). */
  snapshotKeys?: CeremonyKey[];
  /** TUF only (Notary's timestamp is always the server's key). */
  timestampKeys?: CeremonyKey[];
}

/** A new repository: root (m-of-n), targets, and the snapshot/timestamp keys (Notary: the server's). */
export function proposeInit(loaded: LoadedState, plan: InitPlan, env: CeremonyEnv): Proposal {
  if (loaded.root !== null) throw new PlanError(`${loaded.name} already has a root (version ${loaded.root.signed.version}); use rotate-root`);
  const dialect = loaded.dialect;
  const d = newDraft(loaded, 'init');
  requireThreshold(plan.rootThreshold, plan.rootKeys.length, 'root');
  const targetsThreshold = plan.targetsThreshold ?? 1;
  requireThreshold(targetsThreshold, plan.targetsKeys.length, 'targets');
  let snapshotKeys: CeremonyKey[];
  let timestampKeys: CeremonyKey[];
  if (dialect === 'notary-v1') {
    requireX509(plan.rootKeys, 'init');
    timestampKeys = [serverKey(d, 'timestamp', env)];
    // Server-managed snapshot when the server offered a key; else an offline key (second step: notarySnapshotStep).
    if (plan.snapshotKeys?.length) snapshotKeys = plan.snapshotKeys;
    else if (loaded.state.serverKeys.snapshot) snapshotKeys = [serverKey(d, 'snapshot', env)];
    else throw new PlanError('init: the request has no server snapshot key; give snapshotKeys to sign the snapshot offline');
  } else {
    if (!plan.snapshotKeys?.length || !plan.timestampKeys?.length) throw new PlanError('init: a TUF repository needs snapshot and timestamp public keys');
    snapshotKeys = plan.snapshotKeys;
    timestampKeys = plan.timestampKeys;
  }
  const all = [...plan.rootKeys, ...plan.targetsKeys, ...snapshotKeys, ...timestampKeys];
  d.newKeys.push(...all);
  const ids = (ks: CeremonyKey[]): string[] => ks.map((k) => k.keyid);
  d.bodies.set(
    'root',
    buildRoot(dialect, {
      version: 1,
      expires: '',
      keys: all.filter((k, i) => all.findIndex((x) => x.keyid === k.keyid) === i),
      roles: {
        root: { keyids: ids(plan.rootKeys), threshold: plan.rootThreshold },
        targets: { keyids: ids(plan.targetsKeys), threshold: targetsThreshold },
        snapshot: { keyids: ids(snapshotKeys), threshold: 1 },
        timestamp: { keyids: ids(timestampKeys), threshold: 1 },
      },
    }),
  );
  d.bodies.set('targets', buildTargets(dialect, { version: 1, expires: '', targets: {}, delegations: null }));
  return finishProposal(d, env, plan);
}
