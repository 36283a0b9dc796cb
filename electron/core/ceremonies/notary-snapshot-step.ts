/**
 * Notary repositories whose snapshot key is held offline (notary's default without `-r`): the
 * snapshot lists the exact bytes of root, targets and delegations, so it can only be proposed once
 * those have every signature they need. Then it is proposed once, journalled (a resume derives the
 * same proposal from the journal, never re-computes it), and signed like any offline role; the
 * signed bundle carries it and the server verifies it on publish instead of generating one.
 */
import { createHash } from 'node:crypto';

import { blockingFailures, finalize, notaryOfflineSnapshot, notarySnapshotStep, progress } from '../../../shared/ceremony';
import type { CeremonyService } from './ceremony-service';
import { NOTARY_SNAPSHOT_STEP, type CeremonyState } from './ceremony-state';

/**
 * Journals the snapshot step when it is due (Notary, snapshot key not the server's, every other role
 * complete, no step yet); true when it did. Idempotent and deterministic: the ceremony clock
 * (plan.createdAt) fixes the expiry, so a crash before the entry recomputes the same step.
 */
export async function ensureNotarySnapshotStep(service: CeremonyService, id: string, known?: CeremonyState): Promise<boolean> {
  const state = known ?? (await service.state(id));
  const proposal = state.proposal;
  if (!proposal || proposal.dialect !== 'notary-v1' || state.finalized || state.aborted !== null) return false;
  if (notaryOfflineSnapshot(proposal) || blockingFailures(proposal.checks).length > 0) return false;
  if (!progress(proposal, state.signatures).complete) return false;
  const env = await service.trustEnv(id, state, new Date(state.plan.createdAt));
  const request = await service.request(id, state);
  const { files } = finalize(proposal, state.signatures, env);
  const step = notarySnapshotStep(request, proposal, files, env, await service.knownKeys());
  if (!step) return false;
  const covers: Record<string, { sha256: string; length: number }> = {};
  for (const [role, bytes] of Object.entries(files)) covers[role] = { sha256: createHash('sha256').update(bytes).digest('hex'), length: bytes.length };
  await service.append(await service.journal(id), 'note', { event: NOTARY_SNAPSHOT_STEP, proposal: step as never, covers });
  return true;
}
