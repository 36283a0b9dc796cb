/**
 * The F4 recover scenario, built in memory with the unit helpers: targets delegates "releases" to
 * alice and bob, then alice's key alone signs "evil.tgz". A recover that names alice's key as
 * compromised must block on that target (RESIGNS_COMPROMISED_CONTENT) until it is dropped or
 * acknowledged; the CLI and the GUI (CeremonyDesk) specs both start from this state.
 */
import { propose, type RepoState } from '../../../../shared/ceremony';
import { emptyState, env, makeKey, publish, signWith, type TestKey } from '../../../unit/ceremony/helpers';

export interface CompromisedDelegation {
  state: RepoState;
  /** The compromised key: it signed evil.tgz into "releases". */
  alice: TestKey;
}

export async function compromisedDelegationState(): Promise<CompromisedDelegation> {
  const root = await makeKey('tuf-1.0', 'ed25519');
  const tk = await makeKey('tuf-1.0', 'ed25519');
  const online = { snapshot: await makeKey('tuf-1.0', 'ed25519'), timestamp: await makeKey('tuf-1.0', 'ed25519') };
  const init = propose(emptyState('tuf-1.0'), { kind: 'init', rootKeys: [root.key], rootThreshold: 1, targetsKeys: [tk.key], snapshotKeys: [online.snapshot.key], timestampKeys: [online.timestamp.key] }, env);
  let state: RepoState = publish(emptyState('tuf-1.0'), init, signWith(init, [root, tk]), online);
  const alice = await makeKey('tuf-1.0', 'ecdsa-p256', 'alice');
  const bob = await makeKey('tuf-1.0', 'ecdsa-p256', 'bob');
  const add = propose(state, { kind: 'add-signer', name: 'releases', keys: [alice.key, bob.key], threshold: 1, paths: ['*'] }, env);
  state = publish(state, add, signWith(add, [tk, alice]), online);
  const evil = propose(state, { kind: 'sign-targets', changes: [{ role: 'releases', action: 'add', path: 'evil.tgz', length: 666, hashes: { sha256: 'ee'.repeat(32) } }] }, env);
  state = publish(state, evil, signWith(evil, [alice]), online);
  return { state, alice };
}
