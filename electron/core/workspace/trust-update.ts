import type { RepositoryInput, TrustedState } from '../../../shared/inspection/input';
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
  return { state: { rootVersion, rootBytes, versions }, history };
}
