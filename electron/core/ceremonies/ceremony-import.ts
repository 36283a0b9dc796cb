/**
 * Another workstation's ceremony, from its partial-signature bundle: the proposal and request are
 * taken as they are (their payload hashes are what gets signed), every signature in it is verified
 * again here, and this workstation still needs its own "Yes" before it signs.
 */
import { verifyIncomingSignature } from '../../../shared/ceremony';
import type { CollectedSignature } from '../../../shared/ceremony/types';
import { readBundleFile } from '../bundles';
import { listCeremonies } from '../journal';
import { sha256Hex, type CeremonyService } from './ceremony-service';
import type { PlanRecord } from './ceremony-state';
import type { CeremonyView } from './ceremony-view';
import { mergePartial } from './ceremony-outputs';
import { CeremonyPhaseError } from './errors';

export async function importPartial(service: CeremonyService, bundleFile: string): Promise<{ view: CeremonyView; created: boolean }> {
  const bundle = await readBundleFile(bundleFile);
  const { proposal, state: request } = bundle.content;
  if (!proposal || !request) throw new CeremonyPhaseError(`${bundleFile} carries no proposal and request; it is not a partial-signature bundle`);
  const id = proposal.ceremonyId;
  if ((await listCeremonies(service.deps.workspaceDir)).includes(id)) {
    return { view: (await mergePartial(service, id, bundleFile)).view, created: false };
  }
  if (request.nonce !== proposal.basis.nonce) throw new CeremonyPhaseError(`${bundleFile}: the proposal answers request ${proposal.basis.nonce}, the bundle carries ${request.nonce}`);
  const requestSha256 = await service.storeRequest(id, request);
  const record: PlanRecord = {
    ceremonyId: id,
    kind: proposal.kind,
    dialect: proposal.dialect,
    repository: proposal.repository,
    createdAt: service.deps.clock().toISOString(),
    nonce: request.nonce,
    requestSha256,
    plan: { kind: 'sign-targets' },
    imported: true,
  };
  const journal = await service.journal(id);
  await service.append(journal, 'plan', { ...(record as unknown as Record<string, never>), importedFrom: bundle.sha256 });
  await service.append(journal, 'proposal', { proposal: proposal as never });
  const merged: CollectedSignature[] = [];
  for (const sig of bundle.content.signatures ?? []) {
    const { verifiedAt: _ignored, ...incoming } = sig;
    merged.push(verifyIncomingSignature(proposal, incoming, service.env()));
  }
  await service.append(journal, 'partial-merged', { bundleSha256: bundle.sha256, signatures: merged as never, proposalSha256: sha256Hex(JSON.stringify(proposal)) });
  return { view: await service.open(id), created: true };
}
