import { describe, expect, it } from 'vitest';

import type { InspectionReport } from '../../../../shared/inspection/report';
import { formatReport } from '../../../../electron/cli/format-report';
import { daysLeft, printable, table } from '../../../../electron/cli/table';

const base: InspectionReport = {
  schemaVersion: 1,
  source: { kind: 'trust-dir', location: '/trust' },
  dialect: 'notary-v1',
  name: 'example.com/app',
  evaluatedAt: '2026-01-01T00:00:00.000Z',
  health: 'error',
  roles: [
    {
      name: 'timestamp',
      kind: 'timestamp',
      parent: null,
      version: 3,
      expires: '2026-01-11T00:00:00Z',
      threshold: 1,
      keyids: ['t'.repeat(64)],
      validSignatures: 1,
      requiredSignatures: 1,
      signers: [],
      status: 'valid',
      paths: null,
      pathHashPrefixes: null,
      terminating: null,
      targetCount: 0,
      length: 10,
      sha256: null,
    },
    {
      name: 'targets/evil\u001b[31m',
      kind: 'delegation',
      parent: 'targets',
      version: 1,
      expires: '2025-12-01T00:00:00Z',
      threshold: 1,
      keyids: ['d'.repeat(64)],
      validSignatures: 0,
      requiredSignatures: 1,
      signers: [],
      status: 'expired',
      paths: [''],
      pathHashPrefixes: null,
      terminating: null,
      targetCount: 1,
      length: 10,
      sha256: null,
    },
  ],
  keys: [],
  targets: [{ name: 'v1', length: 6, hashes: { sha256: 'ab'.repeat(32) }, role: 'targets', signers: ['Repo Admin'] }],
  rootHistory: [
    {
      version: 2,
      expires: '2036-01-01T00:00:00Z',
      threshold: 1,
      keyids: ['n'.repeat(64)],
      added: ['n'.repeat(64)],
      removed: ['o'.repeat(64)],
      previousThreshold: 1,
      signedByPrevious: { valid: 0, required: 1 },
      signedBySelf: { valid: 1, required: 1 },
      ok: false,
      errors: ['not signed by the previous root'],
    },
  ],
  findings: [
    { code: 'EXPIRING_SOON', severity: 'warning', role: 'timestamp', message: 'soon' },
    { code: 'ROOT_CHAIN_BROKEN', severity: 'error', message: 'v2 is not signed by v1' },
  ],
  privateKeys: [],
  stats: { files: 5, bytes: 100, signaturesVerified: 5, durationMs: 3 },
};

describe('formatReport', () => {
  const text = formatReport(base);

  it('shows health, a sorted expiry timeline with days left, and errors before warnings', () => {
    expect(text).toContain('Health       ERROR (1 error(s), 1 warning(s))');
    const timeline = text.slice(text.indexOf('EXPIRY TIMELINE'), text.indexOf('ROOT HISTORY'));
    expect(timeline.indexOf('2025-12-01')).toBeLessThan(timeline.indexOf('2026-01-11'));
    expect(timeline).toMatch(/2025-12-01T00:00:00Z\s+-31 \(past\)/);
    expect(timeline).toMatch(/2026-01-11T00:00:00Z\s+10\s+timestamp metadata expires/);
    const findings = text.slice(text.indexOf('FINDINGS'));
    expect(findings.indexOf('ROOT_CHAIN_BROKEN')).toBeLessThan(findings.indexOf('EXPIRING_SOON'));
  });

  it('shows root history steps with key changes and errors', () => {
    expect(text).toContain('v2  BROKEN  threshold 1, 1 key(s)');
    expect(text).toContain('signed by previous: 0/1; by itself: 1/1');
    expect(text).toContain(`keys +${'n'.repeat(12)} -${'o'.repeat(12)}`);
    expect(text).toContain('! not signed by the previous root');
  });

  it('never writes control characters from metadata to the terminal', () => {
    expect(text).not.toContain('\u001b');
    expect(text).toContain('targets/evil\\u001b[31m');
  });
});

describe('table helpers', () => {
  it('aligns columns and computes whole days', () => {
    expect(table(['A', 'BB'], [['xxx', 'y']])).toBe('A    BB\n---  --\nxxx  y');
    expect(daysLeft('2026-01-02T12:00:00Z', new Date('2026-01-01T00:00:00Z'))).toBe(1);
    expect(printable('a\nb')).toBe('a\\u000ab');
  });
});
