import type { BundleKind, BundleManifest, CollectedSignature, Proposal, RepoState } from '../../../shared/ceremony/types';
import type { Dialect } from '../../../shared/tuf/model';

/** What a bundle carries, as typed values (the writer's input and the reader's output). */
export interface BundleContent {
  repository: { dialect: Dialect; name: string };
  /** ISO time the bundle was made. */
  createdAt: string;
  /** RepoState.nonce of the request this bundle belongs to. */
  nonce: string;
  /** `state/repo.json`: the pulled repository (request bundles; partial/signed carry it for context). */
  state?: RepoState;
  /** `proposal.json`. */
  proposal?: Proposal;
  /** `signatures/NNNN.json`, sorted by role, version, keyid. */
  signatures?: CollectedSignature[];
  /** `metadata/<role>.json`: role name → exact signed metadata bytes. */
  metadata?: Record<string, Uint8Array>;
  /** `journal.jsonl`: the ceremony journal, exact bytes. */
  journal?: Uint8Array;
  /** `attestation/<name>.der`: PIV attestation / device certificates by name. */
  attestations?: Record<string, Uint8Array>;
}

/** A bundle as read: every part present as a (possibly empty) value. */
export interface ReadBundleContent extends BundleContent {
  kind: BundleKind;
  signatures: CollectedSignature[];
  metadata: Record<string, Uint8Array>;
  attestations: Record<string, Uint8Array>;
}

export interface ReadBundle {
  manifest: BundleManifest;
  content: ReadBundleContent;
  /** SHA-256 of the bundle file (hex): how a bundle is named in journals and reports. */
  sha256: string;
  size: number;
}

/** What each kind must carry; checked on write and on read. */
export const REQUIRED_PARTS: Record<BundleKind, readonly ('state' | 'proposal' | 'journal' | 'metadata')[]> = {
  request: ['state'],
  partial: ['proposal', 'journal'],
  signed: ['metadata', 'journal'],
};
