import { randomUUID } from 'node:crypto';
import path from 'node:path';

import type { InspectionReport } from '../../shared/inspection/report';
import { createCoreServices } from '../core';
import type { SourceSpec } from '../core/sources/source-loader';
import { CliUsageError, EXIT, resolveWorkspaceDir, type CliIo } from './cli-io';
import { formatReport } from './format-report';
import { writeJsonChunked } from './json-stream';

export interface InspectFlags {
  gun?: string;
  server?: string;
  at?: string;
  warnDays?: string;
  json?: boolean;
  workspace?: string;
  save?: boolean;
}

/** `keyrite inspect`: returns the exit code (0 healthy/warnings, 1 error findings); throws on unusable input. */
export async function runInspect(source: string | undefined, flags: InspectFlags, io: CliIo): Promise<number> {
  const spec = toSpec(source, flags, io);
  const at = parseAt(flags.at);
  const warnDays = parseWarnDays(flags.warnDays);
  const save = flags.save !== false;
  const workspaceDir = resolveWorkspaceDir(flags.workspace, io);
  // The CLI is online-capable: the user named the URL explicitly on the command line.
  const services = createCoreServices({ workspaceDir, networkMode: 'online' });
  try {
    const results = await services.inspection.inspectSource(spec, {
      jobId: randomUUID(),
      ...(at ? { at: at.toISOString() } : {}),
      ...(warnDays === undefined ? {} : { warnDays }),
      save,
    });
    const reports = results.map((r) => r.report);
    if (flags.json) {
      // One repository: the report itself (the documented schema); a trust dir with several GUNs: an array of them.
      // Chunked: a PEP 458-scale report exceeds V8's maximum string length as one string.
      writeJsonChunked(reports.length === 1 ? reports[0] : reports, io.stdout);
      io.stdout('\n');
    } else {
      io.stdout(
        results
          .map((r) => `${formatReport(r.report)}\n${trustLine(save, r.trustUpdated, workspaceDir, r.id)}\n`)
          .join(`\n${'='.repeat(78)}\n\n`),
      );
    }
    return worstExit(reports);
  } finally {
    await services.close();
  }
}

function trustLine(save: boolean, updated: boolean, workspaceDir: string, id: string): string {
  if (!save) return 'Trusted state: not saved (--no-save).';
  return updated
    ? `Trusted state: updated in ${path.join(workspaceDir, 'repos', id)}`
    : `Trusted state: NOT updated (the root did not verify cleanly); previous trust in ${path.join(workspaceDir, 'repos', id)} kept.`;
}

function worstExit(reports: readonly InspectionReport[]): number {
  return reports.some((r) => r.health === 'error') ? EXIT.findings : EXIT.ok;
}

function toSpec(source: string | undefined, flags: InspectFlags, io: CliIo): SourceSpec {
  if (flags.server !== undefined) {
    if (source !== undefined) throw new CliUsageError('give either a <source> or --server URL --gun GUN, not both');
    if (!flags.gun) throw new CliUsageError('--server needs --gun GUN (e.g. --gun docker.io/library/alpine)');
    if (!/^https?:\/\//i.test(flags.server)) throw new CliUsageError(`--server must be an http(s) URL, got "${flags.server}"`);
    return { kind: 'notary-server', url: flags.server, gun: flags.gun };
  }
  if (source === undefined) throw new CliUsageError('missing <source>: a directory, an http(s) TUF repository URL, or --server URL --gun GUN');
  if (/^https?:\/\//i.test(source)) {
    if (flags.gun) throw new CliUsageError('--gun applies to trust dirs, metadata dirs and --server, not to a TUF URL');
    return { kind: 'tuf-url', url: source };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) throw new CliUsageError(`unsupported URL scheme in "${source}": use http(s) or a directory`);
  return { kind: 'directory', path: path.resolve(io.cwd, source), ...(flags.gun ? { gun: flags.gun } : {}) };
}

function parseAt(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  // RFC 3339 with an explicit offset only: a zone-less time would silently mean the local zone.
  if (!/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.test(value)) {
    throw new CliUsageError(`--at must be an RFC 3339 time such as 2026-01-01T00:00:00Z or a date 2026-01-01, got "${value}"`);
  }
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw new CliUsageError(`--at is not a valid time: "${value}"`);
  return date;
}

function parseWarnDays(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d{1,4}$/.test(value) || Number(value) > 3650) throw new CliUsageError(`--warn-days must be a whole number of days from 0 to 3650, got "${value}"`);
  return Number(value);
}
