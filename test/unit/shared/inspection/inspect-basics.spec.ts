import { describe, expect, it } from 'vitest';

import type { JsonObject } from '../../../../shared/tuf/model';
import { buildTufRepo } from '../../../support/repo-builder';
import { generateTufKey } from '../../../support/test-keys';
import { NOW, run, withCode } from './support/catalogue';

const DAY = 86_400_000;

describe('inspect: basics on a built TUF repository', () => {
  it('is healthy, detects the dialect, counts files, bytes and signatures', async () => {
    const repo = await buildTufRepo({ targets: { 'a.txt': 'hello' }, delegations: [{ name: 'd', targets: { 'b.txt': 'bee' } }] });
    const input = { ...repo.toRepositoryInput(), dialect: null };
    const report = run(input);
    expect(report.dialect).toBe('tuf-1.0');
    expect(report.health).toBe('healthy');
    expect(report.findings).toEqual([]);
    expect(report.evaluatedAt).toBe(NOW.toISOString());
    const bytes = [...input.files.values()].reduce((n, b) => n + b.length, 0) + repo.rootBytes(1).length;
    expect(report.stats).toMatchObject({ files: 6, bytes, signaturesVerified: 5 });
    expect(report.targets.map((t) => [t.name, t.role, t.length, t.signers])).toEqual([
      ['a.txt', 'targets', 5, ['targets']],
      ['b.txt', 'd', 3, ['d']],
    ]);
    expect(report.targets[0]?.hashes['sha256']).toBe('2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824');
    expect(report.targets[0]?.hashes['sha512']).toMatch(/^[0-9a-f]{128}$/);
    const role = report.roles.find((r) => r.name === 'targets');
    expect(role).toMatchObject({ kind: 'targets', parent: null, version: 1, status: 'valid', targetCount: 1, length: input.files.get('targets')?.length });
    expect(role?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(report.keys.every((k) => k.idMatchesHash && k.algorithm === 'ed25519' && k.bits === 256)).toBe(true);
  });

  it('reports EXPIRED and EXPIRING_SOON at the evaluation time, per warn window', async () => {
    const repo = await buildTufRepo({
      expires: { root: new Date(NOW.getTime() + 365 * DAY), targets: new Date(NOW.getTime() + 10 * DAY), snapshot: new Date(NOW.getTime() - DAY), timestamp: new Date(NOW.getTime() + 100 * DAY) },
    });
    const report = run(repo.toRepositoryInput());
    expect(report.findings.map((f) => [f.code, f.severity, f.role])).toEqual([
      ['EXPIRED', 'error', 'snapshot'],
      ['EXPIRING_SOON', 'warning', 'targets'],
    ]);
    expect(report.roles.find((r) => r.name === 'snapshot')?.status).toBe('expired');
    // A narrower window drops the warning; `--at` in the future expires everything.
    expect(run(repo.toRepositoryInput(), { warnDays: 5 }).findings.map((f) => f.code)).toEqual(['EXPIRED']);
    const later = run(repo.toRepositoryInput(), { at: new Date(NOW.getTime() + 400 * DAY) });
    expect(withCode(later, 'EXPIRED').map((f) => f[1]).sort()).toEqual(['root', 'snapshot', 'targets', 'timestamp']);
  });

  it('reports UNUSED_KEY for keys no role references', async () => {
    const spare = generateTufKey('ed25519');
    const repo = await buildTufRepo({ delegations: [{ name: 'd' }] });
    repo.resign(
      'root',
      (s) => {
        (s['keys'] as JsonObject)[spare.keyid] = spare.metadata;
      },
      { bumpVersion: false, cascade: false },
    );
    const other = generateTufKey('ed25519');
    repo.resign('targets', (s) => {
      ((s['delegations'] as JsonObject)['keys'] as JsonObject)[other.keyid] = other.metadata;
    });
    const report = run(repo.toRepositoryInput());
    expect(report.findings.map((f) => [f.code, f.severity, f.role, f.keyid])).toEqual([
      ['UNUSED_KEY', 'warning', 'root', spare.keyid],
      ['UNUSED_KEY', 'warning', 'targets', other.keyid],
    ]);
    expect(report.keys.find((k) => k.id === spare.keyid)).toMatchObject({ roles: [], location: { kind: 'unknown' } });
  });

  it('verifies against the newest root even when root.json is older than N.root.json', async () => {
    const repo = await buildTufRepo({ rootRotations: [{ rotate: ['targets'] }] });
    const input = repo.toRepositoryInput();
    const report = run({ ...input, files: new Map(input.files).set('root', repo.rootBytes(1)) });
    expect(report.roles.find((r) => r.name === 'root')?.version).toBe(2);
    expect(report.findings).toEqual([]);
  });

  it('reports the progress of every file', async () => {
    const repo = await buildTufRepo({ delegations: [{ name: 'd' }, { name: 'e' }] });
    const seen: number[] = [];
    run(repo.toRepositoryInput(), { onProgress: (done, total) => seen.push(done / total) });
    expect(seen.at(-1)).toBe(1);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
  });
});
