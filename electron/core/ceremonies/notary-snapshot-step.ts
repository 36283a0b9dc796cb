/**
 * Notary repositories whose snapshot key is held offline (notary's default without `-r`): the
 * snapshot lists the exact bytes of root, targets and delegations, so it can only be proposed once
 * those have every signature they need. Then it is proposed once, journalled (a resume derives the
 * same proposal from the journal, never re-computes it), and signed like any offline role; the
 * signed bundle carries it and the server verifies it on publish instead of generating one.
 */
import { createHash } from 'node:crypto';

import { blockingFailures, finalize, notaryOfflineSnapshot, notarySnapshotStep, progress, verifyIncomingSignature } from '../../../shared/ceremony';
import type { CollectedSignature } from '../../../shared/ceremony/types';
import type { CeremonyService } from './ceremony-service';
import { NOTARY_SNAPSHOT_STEP, type CeremonyState } from './ceremony-state';

/**
 * Journals the snapshot step when it is due (Notary, snapshot key not the server's, every other role
 * complete, no step yet); true when it did. Idempotent and deterministic: the request's creation
 * time fixes the expiry, so a crash before the entry recomputes the same step.
 */
export async function ensureNotarySnapshotStep(service: CeremonyService, id: string, known?: CeremonyState): Promise<boolean> {
  const state = known ?? (await service.state(id));
  const proposal = state.proposal;
  if (!proposal || proposal.dialect !== 'notary-v1' || state.finalized || state.aborted !== null) return false;
  if (notaryOfflineSnapshot(proposal) || blockingFailures(proposal.checks).length > 0) return false;
  if (!progress(proposal, state.signatures).complete) return false;
  const request = await service.request(id, state);
  // The request's creation time (it travels in every bundle), not this workstation's ceremony clock:
  // another workstation that completes the same roles with the same signatures computes the same
  // snapshot, so its snapshot signatures merge here (and ours there).
  const pulled = new Date(request.createdAt);
  const env = await service.trustEnv(id, state, Number.isNaN(pulled.getTime()) ? new Date(state.plan.createdAt) : pulled);
  const { files } = finalize(proposal, state.signatures, env);
  const step = notarySnapshotStep(request, proposal, files, env, await service.knownKeys());
  if (!step) return false;
  const covers: Record<string, { sha256: string; length: number }> = {};
  for (const [role, bytes] of Object.entries(files)) covers[role] = { sha256: createHash('sha256').update(bytes).digest('hex'), length: bytes.length };
  await service.append(await service.journal(id), 'note', { event: NOTARY_SNAPSHOT_STEP, proposal: step as never, covers });
  return true;
}

/**
 * After a merge: journals the snapshot step if the merged signatures completed the other roles,
 * then merges the partial's own snapshot signatures when they are over the same snapshot (the
 * other workstation computed it from the same request and signatures). Snapshot signatures over
 * another body are left out: this workstation's snapshot still needs its own.
 */
export async function mergeAfterSnapshotStep(service: CeremonyService, id: string, bundleSha256: string, pending: readonly CollectedSignature[]): Promise<CollectedSignature[]> {
  await ensureNotarySnapshotStep(service, id);
  if (pending.length === 0) return [];
  const state = await service.state(id);
  const step = state.proposal ? notaryOfflineSnapshot(state.proposal) : null;
  if (!state.proposal || !step) return [];
  const adopted: CollectedSignature[] = [];
  for (const sig of pending) {
    if (sig.version !== step.version || sig.payloadSha256 !== step.payloadSha256) continue;
    if (state.signatures.some((s) => s.role === sig.role && s.version === sig.version && s.keyid === sig.keyid)) continue;
    const { verifiedAt: _ignored, ...incoming } = sig;
    adopted.push(verifyIncomingSignature(state.proposal, incoming, service.env()));
  }
  if (adopted.length > 0) await service.append(await service.journal(id), 'partial-merged', { bundleSha256, signatures: adopted as never });
  return adopted;
}
