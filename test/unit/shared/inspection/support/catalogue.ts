import { NodeCryptoProvider } from '../../../../../electron/core/crypto/node-crypto-provider';
import { inspect, InspectionInputError, type InspectionLimits } from '../../../../../shared/inspection';
import type { InspectOptions, RepositoryInput } from '../../../../../shared/inspection/input';
import { InspectionReport, type Finding, type FindingCode } from '../../../../../shared/inspection/report';

export const crypto = new NodeCryptoProvider();
export const NOW = new Date();

export function run(input: RepositoryInput, options: Partial<InspectOptions> = {}, limits?: InspectionLimits): InspectionReport {
  const report = inspect(input, { at: NOW, warnDays: 30, trusted: null, ...options }, crypto, limits);
  // Every report, however hostile the input, is a valid `--json` document.
  return InspectionReport.parse(report);
}

/** The findings with this code, as [severity, role, message]. */
export function withCode(report: InspectionReport, code: FindingCode): Array<[Finding['severity'], string | undefined, string]> {
  return report.findings.filter((f) => f.code === code).map((f) => [f.severity, f.role, f.message]);
}

export function codes(report: InspectionReport): FindingCode[] {
  return [...new Set(report.findings.map((f) => f.code))].sort();
}

/** Run and return the InspectionInputError it throws (fails the test if it does not). */
export function inputErrorOf(input: RepositoryInput): InspectionInputError {
  try {
    run(input);
  } catch (error) {
    if (error instanceof InspectionInputError) return error;
    throw error;
  }
  throw new Error('expected an InspectionInputError');
}
