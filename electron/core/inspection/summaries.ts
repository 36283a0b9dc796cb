import type { InspectionReport, TargetView } from '../../../shared/inspection/report';
import type { RepositoryDetail, RepositorySummary } from '../../../shared/ipc/contract';
import type { RepoRecord } from '../workspace/repo-record';

/** `rowCount`: the rows the stored report holds (a stored head keeps them in their own file). */
export function toSummary(record: RepoRecord, report: InspectionReport, rowCount: number): RepositorySummary {
  return {
    id: record.id,
    name: record.name,
    dialect: report.dialect,
    source: { ...report.source },
    health: report.health,
    inspectedAt: record.updatedAt,
    rootVersion: report.roles.find((role) => role.name === 'root')?.version ?? 0,
    errors: report.findings.filter((f) => f.severity === 'error').length,
    warnings: report.findings.filter((f) => f.severity === 'warning').length,
    targetCount: report.targetsTotal ?? rowCount,
  };
}

export function toDetail(summary: RepositorySummary, report: InspectionReport): RepositoryDetail {
  const { targets: _targets, ...rest } = report;
  return { summary, report: rest };
}

export interface TargetPage {
  total: number;
  offset: number;
  rows: TargetView[];
}

/** One page of targets filtered by a case-insensitive substring over name, digests and signers. */
export function pageTargets(targets: readonly TargetView[], offset: number, limit: number, query?: string): TargetPage {
  const needle = query?.trim().toLowerCase() ?? '';
  const matching = needle
    ? targets.filter(
        (t) =>
          t.name.toLowerCase().includes(needle) ||
          Object.values(t.hashes).some((h) => h.toLowerCase().includes(needle)) ||
          t.signers.some((s) => s.toLowerCase().includes(needle)),
      )
    : targets;
  return { total: matching.length, offset, rows: matching.slice(offset, offset + limit) };
}
