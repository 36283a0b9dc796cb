import { describe, expect, it } from 'vitest';

import { NodeCryptoProvider } from '../../../../electron/core/crypto/node-crypto-provider';
import { inspect } from '../../../../shared/inspection/inspect';
import type { RepositoryInput } from '../../../../shared/inspection/input';
import type { InspectionReport } from '../../../../shared/inspection/report';
import { parseMetadata } from '../../../../shared/tuf/metadata';
import type { JsonObject } from '../../../../shared/tuf/model';
import { parseTargetsScanned, ScannedTargetMap } from '../../../../shared/tuf/targets-scan-model';
import { buildTufRepo, type TestRepo } from '../../../support/repo-builder';

/**
 * Top-level (and sequentially walked) TUF targets files go through the canonical byte scanner
 * (roles.ts loadRoleFile → parseTargetsScanned) when their shape allows it. The report must be the
 * strict parser's, findings included (fastScan: false is the strict path).
 */

const crypto = new NodeCryptoProvider();
const AT = new Date();
const comparable = (r: InspectionReport) => ({ ...r, stats: { ...r.stats, durationMs: 0 } });

function inputOf(repo: TestRepo): RepositoryInput {
  return repo.toRepositoryInput();
}

function bothWays(input: RepositoryInput, trusted: { rootVersion: number; rootBytes: null; versions: Record<string, number> } | null = null) {
  const fast = inspect(input, { at: AT, warnDays: 30, trusted }, crypto);
  const slow = inspect(input, { at: AT, warnDays: 30, trusted, fastScan: false }, crypto);
  return { fast, slow };
}

const many = (n: number, stem: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (let i = 0; i < n; i++) out[`${stem}/pkg_${i}-1.0-py3-none-any.whl`] = `content ${stem} ${i}`;
  return out;
};

describe('scanned top-level targets', () => {
  it('gives the strict report for a flat canonical repository (with and without empty delegations)', async () => {
    const repo = await buildTufRepo({ format: 'canonical', targets: { ...many(300, 'packages'), '../escape.whl': 'unsafe' } });
    const input = inputOf(repo);
    const env = parseTargetsScanned(repo.bytes('targets'));
    expect(env, 'the scanner handles this file').not.toBeNull();
    expect(env?.signed.targets).toBeInstanceOf(ScannedTargetMap);
    const { fast, slow } = bothWays(input);
    expect(comparable(fast)).toEqual(comparable(slow));
    expect(fast.targets).toHaveLength(301);
    expect(fast.findings.some((f) => f.code === 'TARGET_PATH_UNSAFE')).toBe(true);

    // python-tuf writes `"delegations":{"keys":{},"roles":[]}` for a role delegating nothing.
    repo.resign('targets', (s) => {
      s['delegations'] = { keys: {}, roles: [] };
    }, { cascade: true });
    const withEmpty = inputOf(repo);
    expect(parseTargetsScanned(repo.bytes('targets'))?.signed.delegations).toEqual({ keys: new Map(), roles: [], unrecognized: {} });
    const again = bothWays(withEmpty);
    expect(comparable(again.fast)).toEqual(comparable(again.slow));
  });

  it('gives the strict report on tampered, expired and rolled-back targets', async () => {
    const repo = await buildTufRepo({ format: 'canonical', targets: many(50, 'a'), expires: { targets: new Date(AT.getTime() - 86_400_000) }, versions: { targets: 2 } });
    repo.tamperSigned('targets', (s) => {
      (s['targets'] as JsonObject)['zz/added-after-signing.whl'] = { hashes: { sha256: 'ab'.repeat(32) }, length: 1 };
    });
    const { fast, slow } = bothWays(inputOf(repo), { rootVersion: 1, rootBytes: null, versions: { targets: 5 } });
    expect(comparable(fast)).toEqual(comparable(slow));
    const codes = fast.findings.map((f) => `${f.code}:${f.role ?? ''}`);
    for (const c of ['EXPIRED:targets', 'ROLLBACK:targets']) expect(codes).toContain(c);
    expect(fast.findings.some((f) => f.role === 'targets' && /SIGNATURE|THRESHOLD/.test(f.code))).toBe(true);
  });

  it('the columns map answers like the strict model (size, get, has, iteration order)', async () => {
    const repo = await buildTufRepo({ format: 'canonical', targets: many(40, 'm') });
    const scanned = parseTargetsScanned(repo.bytes('targets'));
    const strict = parseMetadata(repo.bytes('targets'), { expectedType: 'targets', dialect: 'tuf-1.0' });
    if (scanned === null) throw new Error('scanner refused the file');
    const a = scanned.signed;
    const b = strict.signed;
    expect(a.targets.size).toBe(b.targets.size);
    expect([...a.targets.keys()]).toEqual([...b.targets.keys()]);
    expect([...a.targets.values()].map((f) => ({ ...f, unrecognized: { ...f.unrecognized } }))).toEqual([...b.targets.values()].map((f) => ({ ...f, unrecognized: { ...f.unrecognized } })));
    const first = [...b.targets.keys()][0] as string;
    expect(a.targets.get(first)).toEqual(b.targets.get(first));
    expect(a.targets.has('nope')).toBe(false);
    expect({ ...a, targets: null }).toEqual({ ...b, targets: null });
    expect(scanned.signedRange).toEqual(strict.signedRange);
    expect(scanned.signatures).toEqual(strict.signatures);
    // signedJson is parsed lazily, and equals the strict parse.
    expect(scanned.signedJson).toEqual(strict.signedJson);
  });
});
