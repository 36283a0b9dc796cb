/**
 * Another workstation's ceremony, from its partial-signature bundle. Only the role bodies are taken
 * from it (their payload hashes are what gets signed); requirements, keys, rule checks and the diff
 * are recomputed here from the request, which must chain from this workstation's trusted root.
 * Every signature in it is verified again, and this workstation still needs its own "Yes".
 */
import { assertReviewed, reviewProposal, verifyIncomingSignature } from '../../../shared/ceremony';
import type { CollectedSignature, Proposal, RepoState } from '../../../shared/ceremony/types';
import { readBundleFile, type ReadBundle } from '../bundles';
import { sha256Hex, type CeremonyService } from './ceremony-service';
import type { PlanRecord } from './ceremony-state';
import { storeAnchor, type TrustAnchor } from './ceremony-trust';
import type { CeremonyView } from './ceremony-view';
import { mergePartial } from './ceremony-outputs';
import { CeremonyPhaseError } from './errors';

export interface ImportOptions {
  /** A root the operator pins for this import (CLI --trusted-root); default the workspace's trusted root. */
  trustedRoot?: TrustAnchor;
}

export async function importPartial(service: CeremonyService, bundleFile: string, options: ImportOptions = {}): Promise<{ view: CeremonyView; created: boolean }> {
  const bundle = await readBundleFile(bundleFile);
  const { proposal, state: request } = bundle.content;
  if (!proposal || !request) throw new CeremonyPhaseError(`${bundleFile} carries no proposal and request; it is not a partial-signature bundle`);
  const id = proposal.ceremonyId;
  // The workspace ledger's own directory sits among the ceremonies (review P3-5): never a ceremony id.
  if (id === 'signed-ledger') throw new CeremonyPhaseError(`${bundleFile}: "${id}" is reserved and cannot be a ceremony id`);
  return service.locked(id, () => importLocked(service, bundleFile, bundle, proposal, request, options));
}

async function importLocked(
  service: CeremonyService,
  bundleFile: string,
  bundle: ReadBundle,
  stated: Proposal,
  request: RepoState,
  options: ImportOptions,
): Promise<{ view: CeremonyView; created: boolean }> {
  const id = stated.ceremonyId;
  // Not listCeremonies: taking the lock has already opened (created) the journal; an empty one is no ceremony yet.
  if ((await service.journal(id)).entries.length > 0) {
    return { view: (await mergePartial(service, id, bundleFile)).view, created: false };
  }
  if (request.nonce !== stated.basis.nonce) throw new CeremonyPhaseError(`${bundleFile}: the proposal answers request ${stated.basis.nonce}, the bundle carries ${request.nonce}`);
  // Everything is checked before anything is written (review F1, F2, F5, F7): the request is
  // verified from this workstation's trusted root, the proposal recomputed here from the request
  // and its bodies, the ledger consulted, every signature verified.
  const now = service.deps.clock();
  const anchor = options.trustedRoot ?? (await service.trust.trustedRoot(request));
  const env = anchor ? { ...service.env(now), trustedRoot: anchor.rootBytes, ...(anchor.versions ? { trustedVersions: anchor.versions } : {}) } : service.env(now);
  const proposal = assertReviewed(reviewProposal(request, stated, env, await service.knownKeys(), bundle.content.signatures ?? []), bundleFile);
  const repository = { dialect: proposal.dialect, name: proposal.repository };
  for (const rp of proposal.roles) if (rp.signing === 'offline') await service.ledger.check(repository, rp.role, rp.version, rp.payloadSha256);
  const merged: CollectedSignature[] = [];
  for (const sig of bundle.content.signatures ?? []) {
    const { verifiedAt: _ignored, ...incoming } = sig;
    merged.push(verifyIncomingSignature(proposal, incoming, env));
  }

  const requestSha256 = await service.storeRequest(id, request);
  const record: PlanRecord = {
    ceremonyId: id,
    kind: proposal.kind,
    dialect: proposal.dialect,
    repository: proposal.repository,
    createdAt: now.toISOString(),
    nonce: request.nonce,
    requestSha256,
    plan: { kind: 'sign-targets' },
    imported: true,
    trustedRoot: await storeAnchor(service, id, anchor),
  };
  const journal = await service.journal(id);
  await service.append(journal, 'plan', { ...(record as unknown as Record<string, never>), importedFrom: bundle.sha256, importedProposalSha256: sha256Hex(JSON.stringify(stated)) });
  await service.append(journal, 'proposal', { proposal: proposal as never });
  await service.append(journal, 'partial-merged', { bundleSha256: bundle.sha256, signatures: merged as never, proposalSha256: sha256Hex(JSON.stringify(stated)) });
  return { view: await service.open(id), created: true };
}
