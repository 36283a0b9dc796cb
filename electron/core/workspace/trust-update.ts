import type { RepositoryInput, TrustedState, VerifiedFile } from '../../../shared/inspection/input';
import type { InspectionReport } from '../../../shared/inspection/report';

export interface TrustUpdate {
  state: TrustedState;
  /** Verified roots to keep: `N.root.json` by N. */
  history: Map<number, Uint8Array>;
}

/** Error-level findings that concern the root (its chain, signatures, certificates, expiry). */
export function rootHasErrors(report: InspectionReport): boolean {
  return report.findings.some((f) => f.severity === 'error' && (f.role === 'root' || f.code === 'ROOT_CHAIN_BROKEN'));
}

/**
 * The trusted state after an inspection, or null when nothing may be persisted: only a root that
 * verified without error-level findings becomes trusted (security.md §2 rule 10, spec §5.3).
 * Role versions only ever go up, so a rollback stays detectable on every later inspection.
 */
export function nextTrustedState(report: InspectionReport, input: RepositoryInput, previous: TrustedState | null): TrustUpdate | null {
  const rootView = report.roles.find((role) => role.name === 'root');
  const rootBytes = input.files.get('root');
  if (!rootView || rootView.version === null || !rootBytes || rootView.status !== 'valid' || rootHasErrors(report)) return null;

  const versions: Record<string, number> = { ...(previous?.versions ?? {}) };
  for (const role of report.roles) {
    if (role.version === null || (role.status !== 'valid' && role.status !== 'expired')) continue;
    versions[role.name] = Math.max(versions[role.name] ?? 0, role.version);
  }
  const rootVersion = Math.max(rootView.version, previous?.rootVersion ?? 0);
  if (rootVersion !== rootView.version) return null; // an older root than trusted: never replace trust with it

  const okSteps = new Set(report.rootHistory.filter((step) => step.ok).map((step) => step.version));
  const history = new Map<number, Uint8Array>();
  for (const [version, bytes] of input.rootHistory) {
    if (version <= rootVersion && okSteps.has(version)) history.set(version, bytes);
  }
  history.set(rootVersion, rootBytes);
  const files = report.health === 'healthy' ? verifiedFiles(report, input) : previous?.files;
  return { state: { rootVersion, rootBytes, versions, ...(files === undefined ? {} : { files }) }, history };
}

/**
 * After a healthy report (no warning, no error: every signature valid, no target finding), the
 * pre-verified delegated files as verified cleanly under the current delegating `targets` bytes.
 * Only those files: the sequential path re-verifies everything (small repositories).
 */
function verifiedFiles(report: InspectionReport, input: RepositoryInput): Record<string, VerifiedFile> | undefined {
  const deferred = input.deferred?.roles;
  if (deferred === undefined || deferred.length === 0) return undefined;
  const views = new Map(report.roles.map((r) => [r.name, r]));
  const parentSha256 = views.get('targets')?.sha256 ?? null;
  if (parentSha256 === null) return undefined;
  const files: Record<string, VerifiedFile> = {};
  for (const { name } of deferred) {
    const r = views.get(name);
    if (r === undefined || r.parent !== 'targets' || r.status !== 'valid' || r.validSignatures < r.requiredSignatures) continue;
    if (r.version === null || r.expires === null || r.sha256 === null || r.length === null) continue;
    files[name] = { sha256: r.sha256, length: r.length, version: r.version, expires: r.expires, parentSha256, signers: [...r.signers], targetCount: r.targetCount };
  }
  return files;
}
