/**
 * What leaves a ceremony: finalized metadata (written durably into the ceremony directory, hashes
 * journalled), the signed bundle, and partial-signature bundles that another sitting or
 * workstation signs and that merge back (each merged signature verified again on arrival).
 */
import path from 'node:path';
import { promises as fsp } from 'node:fs';

import { finalize, FinalizeError, frozenBySnapshotStep, notaryOfflineSnapshot, snapshotCoverProblems, verifyIncomingSignature } from '../../../shared/ceremony';
import { parseMetadata } from '../../../shared/tuf/metadata';
import type { CollectedSignature, Proposal } from '../../../shared/ceremony/types';
import { readBundleFile, writeBundleFile } from '../bundles';
import { ensureDir, readFileCapped, writeFileAtomic } from '../fs/atomic-write';
import { encodeFileComponent } from '../fs/safe-names';
import { ceremonyPaths } from '../journal';
import { collectAttestations } from './ceremony-attestations';
import { sha256Hex, type CeremonyService } from './ceremony-service';
import type { CeremonyState } from './ceremony-state';
import type { CeremonyView } from './ceremony-view';
import { CeremonyJournalError, CeremonyPhaseError } from './errors';
import { ensureNotarySnapshotStep, mergeAfterSnapshotStep } from './notary-snapshot-step';

const MAX_METADATA_BYTES = 64 * 1024 * 1024;

function signedDir(service: CeremonyService, id: string): string {
  return path.join(ceremonyPaths(service.deps.workspaceDir, id).dir, 'signed');
}

/** Assembles the signed files (thresholds checked by the pure finalize) and journals their hashes. */
export function finalizeCeremony(service: CeremonyService, id: string): Promise<CeremonyView> {
  return service.locked(id, () => finalizeLocked(service, id));
}

async function finalizeLocked(service: CeremonyService, id: string): Promise<CeremonyView> {
  // Notary offline snapshot key: its step is due once the other roles are complete (then its signature is missing).
  await ensureNotarySnapshotStep(service, id);
  const state = await service.state(id);
  if (state.finalized) return service.open(id);
  if (!state.proposal) throw new CeremonyPhaseError(`ceremony ${id} has no proposal`);
  if (state.aborted !== null) throw new CeremonyPhaseError(`ceremony ${id} was aborted (${state.aborted})`);
  const { files } = finalize(state.proposal, state.signatures, service.env());
  const uncovered = snapshotCoverProblems(state.proposal, files, service.env());
  if (uncovered.length > 0) throw new FinalizeError(`the Notary snapshot does not list the final files: ${uncovered.join('; ')}`, { code: 'SNAPSHOT_MISMATCH' });
  // Never a second, different body for a role+version this workstation signed or exported (review
  // F5): the signatures may all come from elsewhere, so the claim is made here too.
  const repository = { dialect: state.proposal.dialect, name: state.proposal.repository };
  for (const rp of state.proposal.roles) if (files[rp.role]) await service.ledger.claim(repository, rp.role, rp.version, rp.payloadSha256);
  const dir = signedDir(service, id);
  await ensureDir(dir);
  const digests: Record<string, { sha256: string; length: number }> = {};
  for (const [role, bytes] of Object.entries(files).sort(([a], [b]) => a.localeCompare(b))) {
    await writeFileAtomic(path.join(dir, `${encodeFileComponent(role)}.json`), bytes);
    digests[role] = { sha256: sha256Hex(bytes), length: bytes.length };
  }
  await service.append(await service.journal(id), 'finalized', { files: digests });
  return service.open(id);
}

/** The finalized files, read back and checked against the journalled hashes. */
export async function finalizedFiles(service: CeremonyService, id: string, state: CeremonyState): Promise<Record<string, Uint8Array>> {
  if (!state.finalized) throw new CeremonyPhaseError(`ceremony ${id} is not finalized yet`);
  const out: Record<string, Uint8Array> = {};
  for (const [role, digest] of Object.entries(state.finalized.files)) {
    const bytes = await readFileCapped(path.join(signedDir(service, id), `${encodeFileComponent(role)}.json`), MAX_METADATA_BYTES);
    if (bytes === null || sha256Hex(bytes) !== digest.sha256) throw new CeremonyJournalError(`ceremony ${id}: signed ${role} is missing or differs from the journal; finalize again`);
    out[role] = bytes;
  }
  return out;
}

export function exportSigned(service: CeremonyService, id: string, outFile: string): Promise<{ path: string; sha256: string; journalHead: string }> {
  return service.locked(id, () => exportSignedLocked(service, id, outFile));
}

async function exportSignedLocked(service: CeremonyService, id: string, outFile: string): Promise<{ path: string; sha256: string; journalHead: string }> {
  let state = await service.state(id);
  if (!state.finalized) {
    await finalizeCeremony(service, id);
    state = await service.state(id);
  }
  const metadata = await finalizedFiles(service, id, state);
  const attestations = state.proposal ? collectAttestations(state.proposal, await service.deps.inventory.list()) : {};
  const out = await writeOut(service, id, state, outFile, 'signed', { metadata, attestations });
  await advanceTrust(service, id, state, metadata);
  return out;
}

/**
 * After export this workstation trusts the ceremony's new root (review F2): the next ceremony's
 * request must chain from it. Without a new root, a first-use root the operator accepted becomes
 * trusted. The store never moves trust backwards.
 */
async function advanceTrust(service: CeremonyService, id: string, state: CeremonyState, metadata: Record<string, Uint8Array>): Promise<void> {
  const request = await service.request(id, state);
  const newRoot = metadata['root'];
  const current = request.files['root'];
  const bytes = newRoot ?? (current === undefined ? undefined : new Uint8Array(Buffer.from(current, 'base64')));
  if (!bytes) return;
  const version = parseMetadata(bytes, { expectedType: 'root', dialect: request.dialect }).signed.version;
  if (!newRoot && ((await service.trust.trustedRoot(request))?.version ?? 0) >= version) return;
  await service.trust.advance(request, bytes, version, service.deps.clock());
}

export function exportPartial(service: CeremonyService, id: string, outFile: string): Promise<{ path: string; sha256: string; journalHead: string }> {
  return service.locked(id, () => exportPartialLocked(service, id, outFile));
}

async function exportPartialLocked(service: CeremonyService, id: string, outFile: string): Promise<{ path: string; sha256: string; journalHead: string }> {
  const state = await service.state(id);
  if (!state.proposal) throw new CeremonyPhaseError(`ceremony ${id} has no proposal to export`);
  return writeOut(service, id, state, outFile, 'partial', {});
}

async function writeOut(
  service: CeremonyService,
  id: string,
  state: CeremonyState,
  outFile: string,
  kind: 'signed' | 'partial',
  extra: { metadata?: Record<string, Uint8Array>; attestations?: Record<string, Uint8Array> },
): Promise<{ path: string; sha256: string; journalHead: string }> {
  const journal = await service.journal(id);
  const journalBytes = await fsp.readFile(ceremonyPaths(service.deps.workspaceDir, id).journal);
  const { bytes } = await writeBundleFile(outFile, kind, {
    repository: { dialect: state.plan.dialect, name: state.plan.repository },
    createdAt: service.deps.clock().toISOString(),
    nonce: state.plan.nonce,
    state: await service.request(id, state),
    ...(state.proposal ? { proposal: state.proposal } : {}),
    signatures: state.signatures,
    journal: new Uint8Array(journalBytes),
    ...extra,
  });
  const result = { path: path.resolve(outFile), sha256: sha256Hex(bytes), journalHead: journal.head };
  await service.append(journal, 'exported', { path: result.path, sha256: result.sha256, kind, journalHead: result.journalHead });
  return result;
}

/** Merges the signatures of a partial bundle for the same proposal (another sitting or workstation). */
export function mergePartial(service: CeremonyService, id: string, bundleFile: string): Promise<{ merged: CollectedSignature[]; view: CeremonyView }> {
  return service.locked(id, () => mergeLocked(service, id, bundleFile));
}

async function mergeLocked(service: CeremonyService, id: string, bundleFile: string): Promise<{ merged: CollectedSignature[]; view: CeremonyView }> {
  const state = await service.state(id);
  if (!state.proposal) throw new CeremonyPhaseError(`ceremony ${id} has no proposal`);
  if (state.finalized) throw new CeremonyPhaseError(`ceremony ${id} is already finalized`);
  const bundle = await readBundleFile(bundleFile);
  const theirs = bundle.content.proposal;
  if (!theirs) throw new CeremonyPhaseError(`${bundleFile} carries no proposal; it is not a partial-signature bundle`);
  assertSameProposal(state.proposal, theirs, bundleFile);
  const repository = { dialect: state.proposal.dialect, name: state.proposal.repository };
  for (const rp of state.proposal.roles) if (rp.signing === 'offline') await service.ledger.check(repository, rp.role, rp.version, rp.payloadSha256);
  const have = (s: CollectedSignature): boolean => state.signatures.some((o) => o.role === s.role && o.version === s.version && o.keyid === s.keyid);
  const merged: CollectedSignature[] = [];
  const theirStepOnly = notaryOfflineSnapshot(theirs) !== null && notaryOfflineSnapshot(state.proposal) === null;
  const snapshotLater: CollectedSignature[] = [];
  for (const sig of bundle.content.signatures ?? []) {
    if (have(sig) || merged.some((m) => m.role === sig.role && m.version === sig.version && m.keyid === sig.keyid)) continue;
    // Past a Notary snapshot step the other files are final: an extra signature would change them.
    if (frozenBySnapshotStep(state.proposal, sig.role)) continue;
    // Their snapshot step becomes ours once their signatures complete the other roles here.
    if (theirStepOnly && sig.role === 'snapshot') {
      snapshotLater.push(sig);
      continue;
    }
    const { verifiedAt: _ignored, ...incoming } = sig;
    merged.push(verifyIncomingSignature(state.proposal, incoming, service.env()));
  }
  await service.append(await service.journal(id), 'partial-merged', { bundleSha256: bundle.sha256, signatures: merged as never });
  merged.push(...(await mergeAfterSnapshotStep(service, id, bundle.sha256, snapshotLater)));
  return { merged, view: await service.open(id) };
}

/** The same roles, versions and payloads: only then do signatures over one mean anything for the other. */
export function assertSameProposal(ours: Proposal, theirs: Proposal, source: string): void {
  // A Notary snapshot step on one side only (a partial from before it): the other roles must match.
  const oneSided = (notaryOfflineSnapshot(ours) === null) !== (notaryOfflineSnapshot(theirs) === null);
  const key = (p: Proposal): string =>
    p.roles
      .filter((r) => !(oneSided && notaryOfflineSnapshot(p) === r))
      .map((r) => `${r.role}@${r.version}:${r.payloadSha256}`)
      .sort()
      .join(',');
  if (ours.repository !== theirs.repository || ours.dialect !== theirs.dialect || key(ours) !== key(theirs)) {
    throw new CeremonyPhaseError(`${source} is for a different proposal (${theirs.ceremonyId}: ${theirs.repository}); its signatures do not apply to ${ours.ceremonyId}`);
  }
}
