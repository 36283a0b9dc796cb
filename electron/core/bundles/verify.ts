import type { CryptoProvider } from '../../../shared/tuf/crypto';
import { NodeCryptoProvider } from '../crypto/node-crypto-provider';
import type { ReadBundle } from './content';
import { BundleRejectedError } from './errors';
import { summarize, type BundleSummary } from './inspect';
import type { BundleLimits } from './limits';
import { readBundle } from './read-bundle';
import { attestationChecks } from './verify-attestations';
import { signatureChecks } from './verify-signatures';

export interface BundleCheck {
  code: string;
  passed: boolean;
  message: string;
  entry?: string;
}

export interface BundleVerification {
  ok: boolean;
  checks: BundleCheck[];
  /** Present when the bundle could be read at all. */
  summary?: BundleSummary;
}

/**
 * `keyrite bundle verify`: the manifest digests and layout (readBundle), the journal chain, the
 * manifest's journal head, every metadata file parsing as its role, each signed payload matching
 * the proposal it claims to answer, and each role's signatures meeting its thresholds (a new root:
 * its own and the previous root's). A refused bundle is a failed check, never a throw; only
 * programming errors throw.
 */
export async function verifyBundle(bytes: Uint8Array, options: { limits?: Partial<BundleLimits>; crypto?: CryptoProvider; attestationTime?: Date } = {}): Promise<BundleVerification> {
  let bundle: ReadBundle;
  let summary: BundleSummary;
  try {
    bundle = await readBundle(bytes, options.limits ?? {});
    summary = summarize(bundle);
  } catch (error) {
    if (!(error instanceof BundleRejectedError)) throw error;
    const check: BundleCheck = { code: error.code, passed: false, message: error.message, ...(error.entry === undefined ? {} : { entry: error.entry }) };
    return { ok: false, checks: [check] };
  }
  const checks: BundleCheck[] = [
    { code: 'MANIFEST', passed: true, message: `${summary.entries.length} entries match the manifest (names, sizes, sha256); no extra or missing entries` },
  ];
  if (summary.journal === null) {
    checks.push({ code: 'JOURNAL', passed: true, message: 'no journal (a request bundle); the manifest names no journal head' });
  } else {
    checks.push({ code: 'JOURNAL_CHAIN', passed: true, message: `${summary.journal.entries} journal entries, hash chain intact` });
    checks.push({ code: 'JOURNAL_HEAD', passed: true, message: `the manifest's journal head matches the journal: ${summary.journal.head}` });
  }
  const proposed = new Map((summary.proposal?.roles ?? []).map((r) => [r.role, r]));
  for (const meta of summary.metadata) {
    if (meta.error !== undefined) {
      checks.push({ code: 'METADATA_PARSE', passed: false, message: `${meta.role}: ${meta.error}`, entry: meta.role });
      continue;
    }
    checks.push({ code: 'METADATA_PARSE', passed: true, message: `${meta.role} v${String(meta.version)} (${String(meta.type)}) parses, ${String(meta.signatures)} signature(s), expires ${String(meta.expires)}`, entry: meta.role });
    const wanted = proposed.get(meta.role);
    if (wanted !== undefined) {
      const same = wanted.version === meta.version && wanted.payloadSha256 === meta.payloadSha256;
      checks.push({
        code: 'METADATA_MATCHES_PROPOSAL',
        passed: same,
        message: same
          ? `${meta.role} v${wanted.version} is exactly the proposed payload`
          : `${meta.role}: the bundle holds v${String(meta.version)} payload ${String(meta.payloadSha256)}, the proposal v${wanted.version} payload ${wanted.payloadSha256}`,
        entry: meta.role,
      });
    }
  }
  checks.push(...signatureChecks(bundle.content, bundle.manifest.repository.dialect, options.crypto ?? new NodeCryptoProvider()));
  checks.push(...attestationChecks(bundle.content, options.attestationTime === undefined ? {} : { at: options.attestationTime }));
  return { ok: checks.every((c) => c.passed), checks, summary };
}
