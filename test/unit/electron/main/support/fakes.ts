import type { Logger } from '../../../../../electron/main/log';
import type { RepositorySummary } from '../../../../../shared/ipc/contract';

/** A logger that records every entry, so tests can assert what was (and was not) logged. */
export function recordingLogger() {
  const entries: Array<{ level: 'info' | 'warn' | 'error'; message: string; details: Record<string, unknown> | undefined }> = [];
  const logger: Logger = {
    info: (message, details) => entries.push({ level: 'info', message, details }),
    warn: (message, details) => entries.push({ level: 'warn', message, details }),
    error: (message, details) => entries.push({ level: 'error', message, details }),
  };
  /** Everything logged, as one string (errors by message and stack), to search for leaks. */
  const text = () =>
    JSON.stringify(entries, (_key, value: unknown) => (value instanceof Error ? `${value.name}: ${value.message}` : value));
  return { logger, entries, text };
}

export const SUMMARY: RepositorySummary = {
  id: 'docker-io-library-alpine',
  name: 'docker.io/library/alpine',
  dialect: 'notary-v1',
  source: { kind: 'metadata-dir', location: '/tmp/alpine' },
  health: 'healthy',
  inspectedAt: '2026-01-01T00:00:00.000Z',
  rootVersion: 1,
  errors: 0,
  warnings: 0,
  targetCount: 3,
};

export const APP_SENDER = { url: 'app://keyrite/index.html', isTopFrame: true } as const;
