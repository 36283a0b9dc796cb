import type { InspectionReport } from '../../../shared/inspection/report';
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
