// @vitest-environment jsdom
import { act } from 'react';
import type { Root } from 'react-dom/client';
import { describe, expect, it } from 'vitest';

import type { RoleView } from '../../../shared/inspection/report';
import { RemoveRepositoryDialog } from '../../../renderer/features/repositories/components/remove-repository-dialog';
import type { ReportView } from '../../../renderer/features/repositories/components/report-types';
import { RoleDetailsPanel } from '../../../renderer/features/repositories/components/role-details-panel';
import { useDomRoot } from './dom-root';

const KEY_A = 'a'.repeat(64);
const KEY_B = 'b'.repeat(64);

const releases: RoleView = {
  name: 'targets/releases',
  kind: 'delegation',
  parent: 'targets',
  version: 3,
  expires: '2030-01-01T00:00:00Z',
  threshold: 2,
  keyids: [KEY_A, KEY_B],
  validSignatures: 1,
  requiredSignatures: 2,
  signers: [KEY_A],
  status: 'invalid',
  paths: ['', 'bin/'],
  pathHashPrefixes: null,
  terminating: false,
  targetCount: 4,
  length: 100,
  sha256: null,
};

const report: ReportView = {
  schemaVersion: 1,
  source: { kind: 'metadata-dir', location: '/tmp/x' },
  dialect: 'notary-v1',
  name: 'example.com/app',
  evaluatedAt: '2026-01-01T00:00:00Z',
  health: 'error',
  roles: [releases],
  keys: [],
  rootHistory: [],
  findings: [
    { code: 'THRESHOLD_UNMET', severity: 'error', role: 'targets/releases', message: '1 of 2 signatures' },
    { code: 'EXPIRING_SOON', severity: 'warning', role: 'snapshot', message: 'another role' },
  ],
  privateKeys: [],
  stats: { files: 1, bytes: 1, signaturesVerified: 1, durationMs: 1 },
};

let container: HTMLDivElement;
let root: Root;
useDomRoot([], (mounted) => ({ container, root } = mounted));

describe('RoleDetailsPanel', () => {
  it('asks for a selection when no role is selected', () => {
    act(() => root.render(<RoleDetailsPanel report={report} role={null} />));
    expect(container.textContent).toContain('Select a role');
  });

  it('shows the role’s keys, signatures, paths and only its own findings', () => {
    act(() => root.render(<RoleDetailsPanel report={report} role={releases} />));
    const text = container.textContent ?? '';
    expect(container.querySelector('h2')?.textContent).toBe('targets/releases');
    expect(text).toContain('1 valid / 2 required');
    expect(text).toContain('"" (every path)');
    expect(text).toContain('bin/');
    expect(text).not.toContain('Path hash prefixes');
    expect(container.querySelectorAll('li[data-keyid]')).toHaveLength(2);
    expect(container.querySelector(`li[data-keyid="${KEY_A}"]`)?.textContent).toContain('Signed');
    expect(container.querySelector(`li[data-keyid="${KEY_B}"]`)?.textContent).toContain('No valid signature');
    expect([...container.querySelectorAll('.finding')].map((f) => f.getAttribute('data-code'))).toEqual(['THRESHOLD_UNMET']);
  });
});

describe('RemoveRepositoryDialog', () => {
  it('names the repository, focuses Cancel and says what is kept', () => {
    let cancelled = 0;
    let confirmed = 0;
    act(() => root.render(<RemoveRepositoryDialog name="example.com/app" onCancel={() => (cancelled += 1)} onConfirm={() => (confirmed += 1)} />));
    const dialog = container.querySelector('[role="dialog"]');
    expect(dialog?.textContent).toContain('example.com/app');
    expect(dialog?.textContent).toContain('every key are left untouched');
    expect(document.activeElement?.textContent).toBe('Cancel');
    act(() => {
      document.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    });
    expect(cancelled).toBe(1);
    const confirm = [...container.querySelectorAll('button')].find((b) => b.textContent?.includes('Remove repository'));
    act(() => {
      confirm?.click();
    });
    expect(confirmed).toBe(1);
  });
});
