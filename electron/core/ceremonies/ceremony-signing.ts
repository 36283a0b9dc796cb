/**
 * A signing sitting: one signer (token key or key file) signs every task of the proposal its key
 * serves (root as old AND new root key, targets, delegations), write-ahead: workspace ledger claim
 * and journal sign-intent (both fsync'd) → sign → verify on arrival → journal signature. Several
 * signers follow one another in the same ceremony (m-of-n).
 */
import { keyIdentity, signingTasks, verifyIncomingSignature } from '../../../shared/ceremony';
import type { CollectedSignature } from '../../../shared/ceremony/types';
import { toBase64, toHex } from '../../../shared/tuf/encoding';
import type { CeremonyService } from './ceremony-service';
import type { CeremonyView } from './ceremony-view';
import { CeremonyPhaseError, SignerNotRequiredError } from './errors';
import { ensureNotarySnapshotStep } from './notary-snapshot-step';
import type { CeremonySigner } from './signers/ceremony-signer';

export interface SignOutcome {
  /** Signatures made in this sitting (already verified and journalled). */
  signed: CollectedSignature[];
  view: CeremonyView;
}

/** A clock set back (or a dead RTC battery) would sign expiries from the wrong time (catalogue #19). */
function assertClockNotBehind(state: { lastAt: string | null }, now: Date): void {
  if (state.lastAt !== null && Date.parse(state.lastAt) > now.getTime() + CLOCK_TOLERANCE_MS) {
    throw new CeremonyPhaseError(
      `the system clock (${now.toISOString()}) is earlier than the last journal entry (${state.lastAt}); check the clock and confirm a reference time with --now`,
    );
  }
}

const CLOCK_TOLERANCE_MS = 5_000;

export function signCeremony(service: CeremonyService, id: string, signer: CeremonySigner): Promise<SignOutcome> {
  return service.locked(id, () => signLocked(service, id, signer));
}

async function signLocked(service: CeremonyService, id: string, signer: CeremonySigner): Promise<SignOutcome> {
  const state = await service.state(id);
  const proposal = state.proposal;
  if (!proposal) throw new CeremonyPhaseError(`ceremony ${id} has no proposal yet; resume it first`);
  if (state.aborted !== null) throw new CeremonyPhaseError(`ceremony ${id} was aborted (${state.aborted})`);
  if (state.finalized) throw new CeremonyPhaseError(`ceremony ${id} is already finalized; nothing more to sign`);
  if (!state.confirmed) throw new CeremonyPhaseError(`ceremony ${id} is not confirmed: review the proposal and type "Yes" first`);
  assertClockNotBehind(state, service.deps.clock());
  const { crypto } = service.deps;
  const keyids = [...new Set(proposal.keys.filter((k) => keyIdentity(k, crypto) === signer.spkiSha256).map((k) => k.keyid))];
  if (keyids.length === 0) throw new SignerNotRequiredError(`${signer.label} holds none of the keys this ceremony needs`);
  const journal = await service.journal(id);
  const repository = { dialect: proposal.dialect, name: proposal.repository };
  const signatures = [...state.signatures];
  const signed: CollectedSignature[] = [];
  for (const keyid of keyids) {
    for (const task of signingTasks(proposal, keyid, signatures)) {
      await service.ledger.claim(repository, task.role, task.version, task.payloadSha256);
      await service.append(journal, 'sign-intent', { role: task.role, version: task.version, payloadSha256: task.payloadSha256, keyid, signer: signer.label });
      const out = await signer.sign(task.message, proposal.dialect);
      const notary = proposal.dialect === 'notary-v1';
      const collected = verifyIncomingSignature(
        proposal,
        {
          role: task.role,
          version: task.version,
          payloadSha256: task.payloadSha256,
          keyid,
          sig: notary ? toBase64(out.signature) : toHex(out.signature),
          method: notary ? out.method : null,
          signerLabel: signer.label,
        },
        service.env(),
      );
      await service.append(journal, 'signature', { role: task.role, version: task.version, payloadSha256: task.payloadSha256, signature: collected as never });
      signatures.push(collected);
      signed.push(collected);
    }
  }
  // Notary with an offline snapshot key: the other roles just became final, so the snapshot over
  // their bytes is proposed now, and this signer signs it too when it holds the snapshot key.
  if (signed.length > 0 && (await ensureNotarySnapshotStep(service, id))) {
    const more = await signLocked(service, id, signer);
    return { signed: [...signed, ...more.signed], view: more.view };
  }
  return { signed, view: await service.open(id) };
}
