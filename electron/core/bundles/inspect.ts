import { createHash, X509Certificate } from 'node:crypto';

import type { BundleKind } from '../../../shared/ceremony/types';
import { canonicalize } from '../../../shared/tuf/canonical-json';
import { parseMetadata } from '../../../shared/tuf/metadata';
import type { Dialect, SignedType } from '../../../shared/tuf/model';
import { AttestationExtensionError, yubicoAttestationInfo } from '../attestation/yubico-extensions';
import { hexToPgpWords, verifyJournal } from '../journal';
import type { ReadBundle } from './content';
import type { BundleLimits } from './limits';
import { readBundle } from './read-bundle';

/** One metadata file of a bundle as a person checks it. */
export interface BundleMetadataSummary {
  role: string;
  sha256: string;
  length: number;
  /** Parsed facts, or the parse error. */
  type?: SignedType;
  version?: number;
  expires?: string;
  signatures?: number;
  /** sha256(canonical(signed)): what every signature covers; compare with the proposal. */
  payloadSha256?: string;
  error?: string;
}

/** What `keyrite bundle inspect` shows (and --json prints). */
export interface BundleSummary {
  kind: BundleKind;
  formatVersion: number;
  repository: { dialect: Dialect; name: string };
  createdAt: string;
  nonce: string;
  sha256: string;
  size: number;
  journal: { head: string; headWords: string[]; entries: number; first: string | null; last: string | null } | null;
  entries: { path: string; sha256: string; length: number }[];
  metadata: BundleMetadataSummary[];
  signatures: { role: string; version: number; keyid: string; signerLabel: string; verifiedAt: string }[];
  proposal: {
    ceremonyId: string;
    kind: string;
    basis: { nonce: string; rootVersion: number };
    roles: { role: string; version: number; expires: string; payloadSha256: string; signing: string }[];
    diff: string[];
    blockingFailures: string[];
  } | null;
  state: { source: string; roles: string[]; rootHistory: number; targetChanges: number; createdAt: string } | null;
  attestations: BundleAttestationSummary[];
}

/** One `attestation/*.der` entry; keyid/part from the `<keyid>-slot|device` name, subject when it parses. */
export interface BundleAttestationSummary {
  name: string;
  sha256: string;
  length: number;
  keyid: string | null;
  part: 'slot' | 'device' | null;
  subject: string | null;
  /** The YubiKey serial a slot certificate names (Yubico extension), when present. */
  yubikeySerial: number | null;
}

export async function inspectBundle(bytes: Uint8Array, limits: Partial<BundleLimits> = {}): Promise<BundleSummary> {
  return summarize(await readBundle(bytes, limits));
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

export function expectedType(role: string): SignedType {
  return role === 'root' || role === 'snapshot' || role === 'timestamp' ? role : 'targets';
}

export function summarizeMetadata(role: string, bytes: Uint8Array, dialect: Dialect): BundleMetadataSummary {
  const base = { role, sha256: sha256(bytes), length: bytes.length };
  try {
    const envelope = parseMetadata(bytes, { dialect, expectedType: expectedType(role) });
    return {
      ...base,
      type: envelope.signed.type,
      version: envelope.signed.version,
      expires: envelope.signed.expires,
      signatures: envelope.signatures.length,
      payloadSha256: sha256(canonicalize(envelope.signedJson)),
    };
  } catch (error) {
    return { ...base, error: error instanceof Error ? error.message : String(error) };
  }
}

export function summarize(bundle: ReadBundle): BundleSummary {
  const { manifest, content } = bundle;
  const journal = content.journal === undefined ? null : verifyJournal(content.journal);
  const { proposal, state } = content;
  return {
    kind: manifest.kind,
    formatVersion: manifest.formatVersion,
    repository: manifest.repository,
    createdAt: manifest.createdAt,
    nonce: manifest.nonce,
    sha256: bundle.sha256,
    size: bundle.size,
    journal:
      journal === null
        ? null
        : { head: journal.head, headWords: hexToPgpWords(journal.head), entries: journal.entries.length, first: journal.entries[0]?.at ?? null, last: journal.entries.at(-1)?.at ?? null },
    entries: manifest.entries,
    metadata: Object.entries(content.metadata)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([role, bytes]) => summarizeMetadata(role, bytes, manifest.repository.dialect)),
    signatures: content.signatures.map(({ role, version, keyid, signerLabel, verifiedAt }) => ({ role, version, keyid, signerLabel, verifiedAt })),
    proposal:
      proposal === undefined
        ? null
        : {
            ceremonyId: proposal.ceremonyId,
            kind: proposal.kind,
            basis: proposal.basis,
            roles: proposal.roles.map(({ role, version, expires, payloadSha256, signing }) => ({ role, version, expires, payloadSha256, signing })),
            diff: proposal.diff.map((d) => d.summary),
            blockingFailures: proposal.checks.filter((c) => c.severity === 'blocking' && !c.passed).map((c) => `${c.code}: ${c.message}`),
          },
    state:
      state === undefined
        ? null
        : {
            source: state.source.kind === 'notary-server' ? `${state.source.url} (${state.source.gun})` : state.source.kind === 'tuf-url' ? state.source.url : state.source.path,
            roles: Object.keys(state.files).sort(),
            rootHistory: state.rootHistory.length,
            targetChanges: state.targetChanges?.length ?? 0,
            createdAt: state.createdAt,
          },
    attestations: Object.entries(content.attestations).map(([name, bytes]) => summarizeAttestation(name, bytes)),
  };
}

function summarizeAttestation(name: string, bytes: Uint8Array): BundleAttestationSummary {
  const match = /^(.+)-(slot|device)$/.exec(name);
  let subject: string | null = null;
  let yubikeySerial: number | null = null;
  try {
    subject = new X509Certificate(bytes).subject.replace(/\n/g, ', ');
    if (match?.[2] === 'slot') yubikeySerial = yubicoAttestationInfo(bytes).serial;
  } catch (error) {
    // Inspect shows what it can; `bundle verify` reports an unparsable certificate as a failure.
    if (!(error instanceof AttestationExtensionError) && !(error instanceof Error && 'code' in error)) throw error;
  }
  return { name, sha256: sha256(bytes), length: bytes.length, keyid: match?.[1] ?? null, part: (match?.[2] as 'slot' | 'device' | undefined) ?? null, subject, yubikeySerial };
}
