import { inspect } from '../inspection/inspect';
import { InspectionInputError } from '../inspection/errors';
import type { Finding } from '../inspection/report';
import { parseMetadata } from '../tuf/metadata';
import { TOP_LEVEL_ROLES } from '../tuf/model';
import { toHex } from '../tuf/encoding';
import type { CeremonyEnv } from './env';
import { fingerprintLine, rootKeysOf } from './review-trust';
import { decodeFile, rootRole } from './state';
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
  if (!state.files['root']) return env.trustedRoot ? [reinitCheck(state, env.trustedRoot)] : [];
  return [...verifyRequest(state, env), ...(env.trustedRoot ? [] : [firstUseCheck(state, env)])];
}

/**
 * No pinned root (review finding F2): the request's chain is verified from its own 1.root.json,
 * which the online side chose. Not silent TOFU: a warning names the current root's hash and its
 * root keys with their SPKI fingerprints, to compare out of band before anything is signed.
 */
function firstUseCheck(state: RepoState, env: CeremonyEnv): RuleCheck {
  const bytes = decodeFile(state.files['root']!, 'root');
  const sha = toHex(env.crypto.sha256(bytes));
  let detail = '';
  try {
    const root = parseMetadata(bytes, { expectedType: 'root', dialect: state.dialect });
    const keys = rootKeysOf(state.dialect, root.signedJson, env);
    const entry = rootRole(root.signedJson, 'root');
    const named = (entry?.keyids ?? []).map((id) => keys.get(id)).filter((k) => k !== undefined).map((k) => fingerprintLine(k, env));
    detail = ` root v${root.signed.version} (sha256 ${sha}), root keys (threshold ${entry?.threshold ?? '?'}): ${named.join('; ')}`;
  } catch (e) {
    if (!(e instanceof Error)) throw e;
    detail = ` root file sha256 ${sha} (unreadable: ${e.message})`;
  }
  return {
    code: 'REQUEST_FIRST_USE',
    severity: 'warning',
    passed: false,
    role: 'root',
    message: `first use: this workstation has no trusted root of ${state.name}; the request's root is trusted on first use —${detail}. Compare the hash and the fingerprints out of band (or pin a root with --trusted-root FILE / keyrite inspect)`,
  };
}

/** A request for a new repository while this workstation already trusts a root of it. */
function reinitCheck(state: RepoState, trustedRoot: Uint8Array): RuleCheck {
  let version = '?';
  try {
    version = String(parseMetadata(trustedRoot, { expectedType: 'root', dialect: state.dialect }).signed.version);
  } catch (e) {
    if (!(e instanceof Error)) throw e;
  }
  return {
    code: 'REQUEST_REINIT',
    severity: 'warning',
    passed: false,
    role: 'root',
    message: `the request says ${state.name} has no metadata, but this workstation trusts its root v${version}: a new root v1 replaces that trust (clients pinned to the old root will refuse it); make sure the repository really was wiped`,
  };
}

function verifyRequest(state: RepoState, env: CeremonyEnv): RuleCheck[] {
  const files = new Map<string, Uint8Array>();
  for (const [role, b64] of Object.entries(state.files)) files.set(role, decodeFile(b64, role));
  const rootHistory = new Map<number, Uint8Array>();
  state.rootHistory.forEach((b64, i) => rootHistory.set(i + 1, decodeFile(b64, `${i + 1}.root.json`)));
  const trusted = env.trustedRoot
    ? { rootVersion: parseMetadata(env.trustedRoot, { expectedType: 'root', dialect: state.dialect }).signed.version, rootBytes: env.trustedRoot, versions: env.trustedVersions ?? {} }
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
      const from = trusted ? `from this workstation's trusted root v${trusted.rootVersion} (sha256 ${toHex(env.crypto.sha256(trusted.rootBytes))})` : "from the request's own 1.root.json (first use)";
      return [{ code: 'REQUEST_UNTRUSTED', severity: 'blocking', passed: true, message: `request verified: root chain ${from}, signatures and snapshot consistency (root v${report.roles.find((r) => r.name === 'root')?.version ?? '?'})` }];
    }
    return bad.map((f) => ({ code: 'REQUEST_UNTRUSTED', severity: 'blocking' as const, passed: false, message: `request does not verify: ${f.code}: ${f.message}`, ...(f.role === undefined ? {} : { role: f.role }) }));
  } catch (e) {
    if (!(e instanceof InspectionInputError)) throw e;
    return [{ code: 'REQUEST_UNTRUSTED', severity: 'blocking', passed: false, message: `request cannot be verified: ${e.message}` }];
  }
}
