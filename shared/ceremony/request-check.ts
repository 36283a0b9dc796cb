import { inspect } from '../inspection/inspect';
import { InspectionInputError } from '../inspection/errors';
import type { Finding } from '../inspection/report';
import { parseMetadata } from '../tuf/metadata';
import { TOP_LEVEL_ROLES } from '../tuf/model';
import type { CeremonyEnv } from './env';
import { decodeFile } from './state';
import type { RepoState, RuleCheck } from './types';

/**
 * Findings that make a request untrustworthy as the basis of a ceremony: a broken root chain,
 * unsigned or inconsistent top-level metadata, rollback. Expiry is not among them (refreshing
 * expired metadata is a ceremony), nor are delegation files a removed signer still signs.
 */
const BLOCKING = new Set(['ROOT_CHAIN_BROKEN', 'MALFORMED_ROLE', 'SNAPSHOT_MISMATCH', 'TIMESTAMP_MISMATCH', 'ROLLBACK', 'LIMIT_EXCEEDED', 'DELEGATION_CYCLE', 'THRESHOLD_UNMET']);

function blocks(f: Finding): boolean {
  if (f.severity !== 'error' || !BLOCKING.has(f.code)) return false;
  if (f.code === 'THRESHOLD_UNMET' || f.code === 'MALFORMED_ROLE') return f.role === undefined || (TOP_LEVEL_ROLES as readonly string[]).includes(f.role);
  return true;
}

/**
 * Verify the request before anything is proposed (reference/security.md §3: verify every input
 * artefact — hashes, signatures, chain to the previous root): the inspection engine walks the root
 * chain from `env.trustedRoot` (the workspace's pinned root) or from the request's `1.root.json`,
 * and checks every role's signatures and the snapshot/timestamp consistency. Code REQUEST_UNTRUSTED.
 */
export function checkRequest(state: RepoState, env: CeremonyEnv): RuleCheck[] {
  if (!state.files['root']) return [];
  const files = new Map<string, Uint8Array>();
  for (const [role, b64] of Object.entries(state.files)) files.set(role, decodeFile(b64, role));
  const rootHistory = new Map<number, Uint8Array>();
  state.rootHistory.forEach((b64, i) => rootHistory.set(i + 1, decodeFile(b64, `${i + 1}.root.json`)));
  const trusted = env.trustedRoot
    ? { rootVersion: parseMetadata(env.trustedRoot, { expectedType: 'root', dialect: state.dialect }).signed.version, rootBytes: env.trustedRoot, versions: {} }
    : null;
  const source = state.source.kind === 'notary-server' ? 'notary-server' : state.source.kind === 'tuf-url' ? 'tuf-url' : 'tuf-dir';
  try {
    const report = inspect(
      { source: { kind: source, location: 'request' }, dialect: state.dialect, name: state.name, files, rootHistory },
      { at: env.now, warnDays: 0, trusted },
      env.crypto,
    );
    const bad = report.findings.filter(blocks);
    if (bad.length === 0) {
      return [{ code: 'REQUEST_UNTRUSTED', severity: 'blocking', passed: true, message: `request verified: root chain, signatures and snapshot consistency (root v${report.roles.find((r) => r.name === 'root')?.version ?? '?'})` }];
    }
    return bad.map((f) => ({ code: 'REQUEST_UNTRUSTED', severity: 'blocking' as const, passed: false, message: `request does not verify: ${f.code}: ${f.message}`, ...(f.role === undefined ? {} : { role: f.role }) }));
  } catch (e) {
    if (!(e instanceof InspectionInputError)) throw e;
    return [{ code: 'REQUEST_UNTRUSTED', severity: 'blocking', passed: false, message: `request cannot be verified: ${e.message}` }];
  }
}
