import { describe, expect, it } from 'vitest';

import { buildNotaryRepo, buildTufRepo } from '../../../support/repo-builder';
import { signWith } from '../../../support/repo-envelope';
import { inputErrorOf, run, withCode } from './support/catalogue';

// security.md §6 #1-#3: the root chain (§5.3) on real signed repositories.

/** Roots 1..n that keep the same root key, so only the version can be wrong. */
async function rotated(versions: number) {
  return buildTufRepo({ rootKeys: 1, rootRotations: Array.from({ length: versions - 1 }, () => ({})) });
}

describe('catalogue #1: a root that is not exactly N+1', () => {
  it('rejects N+2 under the name N+1', async () => {
    const repo = await rotated(3);
    const input = repo.toRepositoryInput();
    const history = new Map(input.rootHistory);
    history.set(2, repo.rootBytes(3));
    const report = run({ ...input, rootHistory: history });
    expect(report.rootHistory[1]).toMatchObject({ version: 3, ok: false, errors: ['version is 3, expected exactly 2'] });
    expect(withCode(report, 'ROOT_CHAIN_BROKEN')[0]).toEqual(['error', 'root', 'Root chain step 1 -> 2: version is 3, expected exactly 2.']);
    expect(report.health).toBe('error');
  });

  it('rejects version N again (a replayed root) and N-1', async () => {
    const repo = await rotated(3);
    const input = repo.toRepositoryInput();
    const replay = new Map(input.rootHistory).set(2, repo.rootBytes(1));
    expect(withCode(run({ ...input, rootHistory: replay }), 'ROOT_CHAIN_BROKEN')[0]?.[2]).toBe('Root chain step 1 -> 2: version is 1, expected exactly 2.');
    const back = new Map(input.rootHistory).set(3, repo.rootBytes(1));
    const report = run({ ...input, files: new Map(input.files).set('root', repo.rootBytes(1)), rootHistory: back });
    expect(withCode(report, 'ROOT_CHAIN_BROKEN').map((f) => f[2])).toContain(
      'Root chain step 2 -> 3: version is 1, expected exactly 3.',
    );
  });

  it('reports a gap in the history (root.json jumps from 1 to 3)', async () => {
    const repo = await rotated(3);
    const input = repo.toRepositoryInput();
    const history = new Map(input.rootHistory);
    history.delete(2);
    const report = run({ ...input, rootHistory: history });
    expect(withCode(report, 'ROOT_CHAIN_BROKEN')[0]).toEqual(['error', 'root', 'Root version 2 is missing, so version 1 cannot be linked to 3.']);
  });

  it('accepts a proper rotation and shows it step by step', async () => {
    const repo = await buildTufRepo({ rootKeys: 2, rootThreshold: 2, rootRotations: [{ rootKeys: 3, threshold: 2 }] });
    const report = run(repo.toRepositoryInput());
    expect(report.health).toBe('healthy');
    const [v1, v2] = report.rootHistory;
    expect(v1).toMatchObject({ version: 1, ok: true, signedByPrevious: null, signedBySelf: { valid: 2, required: 2 } });
    expect(v2).toMatchObject({ version: 2, ok: true, previousThreshold: 2, threshold: 2, signedByPrevious: { valid: 2, required: 2 }, signedBySelf: { valid: 3, required: 2 } });
    expect(v2?.added).toHaveLength(3);
    expect(v2?.removed).toEqual(v1?.keyids);
  });
});

describe('catalogue #2: a new root signed only by the new keys, or only by the old', () => {
  it('names the unmet old threshold when only new keys signed', async () => {
    const repo = await buildTufRepo({ rootRotations: [{ rootKeys: 1, signWith: 'new' }] });
    const report = run(repo.toRepositoryInput());
    expect(report.rootHistory[1]?.errors).toEqual(["signed by 0 of the previous root's (v1) keys; its threshold is 1"]);
    expect(withCode(report, 'ROOT_CHAIN_BROKEN')).toEqual([
      ['error', 'root', "Root chain step 1 -> 2: signed by 0 of the previous root's (v1) keys; its threshold is 1."],
    ]);
  });

  it('names the unmet new threshold when only old keys signed', async () => {
    const repo = await buildTufRepo({ rootRotations: [{ rootKeys: 1, signWith: 'old' }] });
    const report = run(repo.toRepositoryInput());
    expect(withCode(report, 'ROOT_CHAIN_BROKEN')).toEqual([['error', 'root', 'Root chain step 1 -> 2: signed by 0 of its own keys; its threshold is 1.']]);
    // The newest root is also not signed by its own root keys.
    expect(withCode(report, 'THRESHOLD_UNMET')).toEqual([['error', 'root', 'root has 0 valid signature(s) from distinct keys; its threshold is 1.']]);
  });

  it('applies the same rule to Notary roots (notary client_update_test: old root keys must sign)', async () => {
    const repo = await buildNotaryRepo({ rootRotations: [{ rootKeys: 1, signWith: 'new' }] });
    const report = run(repo.toRepositoryInput());
    expect(report.dialect).toBe('notary-v1');
    expect(withCode(report, 'ROOT_CHAIN_BROKEN')).toEqual([
      ['error', 'root', "Root chain step 1 -> 2: signed by 0 of the previous root's (v1) keys; its threshold is 1."],
    ]);
  });
});

describe('catalogue #3: threshold lowered with only the new threshold of signatures', () => {
  it('still requires the old threshold', async () => {
    const repo = await buildTufRepo({ rootKeys: 3, rootThreshold: 2, rootRotations: [{ threshold: 1 }] });
    const v2 = repo.rootHistory.get(2);
    const oneKey = v2?.keys.slice(0, 1) ?? [];
    if (v2 === undefined) throw new Error('no v2');
    v2.signatures = signWith(v2.signed, oneKey);
    repo.role('root').signatures = signWith(repo.role('root').signed, oneKey);
    const report = run(repo.toRepositoryInput());
    expect(report.rootHistory[1]).toMatchObject({
      ok: false,
      previousThreshold: 2,
      threshold: 1,
      signedByPrevious: { valid: 1, required: 2 },
      signedBySelf: { valid: 1, required: 1 },
      errors: ["signed by 1 of the previous root's (v1) keys; its threshold is 2"],
    });
  });
});

describe('rollback and root change against the trusted state', () => {
  it('reports ROOT_CHANGED (info) when the root moved on, ROLLBACK when versions went down', async () => {
    const repo = await buildTufRepo({ rootRotations: [{}], versions: { targets: 3 } });
    const input = repo.toRepositoryInput();
    const report = run(input, { trusted: { rootVersion: 1, rootBytes: repo.rootBytes(1), versions: { targets: 5, snapshot: 1 } } });
    expect(withCode(report, 'ROOT_CHANGED')).toEqual([['info', 'root', 'The root was rotated from trusted version 1 to version 2.']]);
    expect(withCode(report, 'ROLLBACK')).toEqual([
      ['error', 'targets', 'targets is version 3, lower than the trusted version 5.'],
      ['error', 'targets', 'snapshot lists targets version 3, lower than the trusted version 5.'],
    ]);
    // The chain was walked from the trusted root (v1) to v2.
    expect(report.rootHistory.map((s) => s.version)).toEqual([1, 2]);
  });

  it('accepts lower timestamp/snapshot versions after their keys rotated (fast-forward recovery, §5.3.11)', async () => {
    const repo = await buildTufRepo({ rootRotations: [{ rotate: ['timestamp'] }] });
    const trusted = { rootVersion: 1, rootBytes: repo.rootBytes(1), versions: { timestamp: 9, snapshot: 9 } };
    const report = run(repo.toRepositoryInput(), { trusted });
    expect(withCode(report, 'ROLLBACK')).toEqual([
      ['info', 'timestamp', 'timestamp is version 1, below the trusted 9, after its keys were rotated (fast-forward recovery); accepted.'],
      ['info', 'snapshot', 'snapshot is version 1, below the trusted 9, after its keys were rotated (fast-forward recovery); accepted.'],
    ]);
    expect(report.health).toBe('healthy');
    // Without the rotation the same versions are a rollback.
    const plain = await buildTufRepo({ rootRotations: [{}] });
    const rolled = run(plain.toRepositoryInput(), { trusted: { ...trusted, rootBytes: plain.rootBytes(1) } });
    expect(withCode(rolled, 'ROLLBACK').map((f) => [f[0], f[1]])).toEqual([
      ['error', 'timestamp'],
      ['error', 'snapshot'],
    ]);
  });

  it('reports ROLLBACK when the newest root is older than the trusted one', async () => {
    const repo = await buildTufRepo({});
    const report = run(repo.toRepositoryInput(), { trusted: { rootVersion: 4, rootBytes: null, versions: {} } });
    expect(withCode(report, 'ROLLBACK')).toEqual([['error', 'root', 'The newest root here is version 1, older than the trusted version 4.']]);
  });
});

describe('a chain that cannot start', () => {
  it('throws InspectionInputError when the trusted root is unusable', async () => {
    const repo = await buildTufRepo({});
    let error: unknown = null;
    try {
      run(repo.toRepositoryInput(), { trusted: { rootVersion: 1, rootBytes: new TextEncoder().encode('{"signed":'), versions: {} } });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ name: 'InspectionInputError', detail: { reason: 'chain-cannot-start' } });
    expect((error as Error).message).toMatch(/^The workspace's trusted root cannot be parsed, so the root chain cannot start: /);
  });

  it('throws InspectionInputError when 1.root.json is mislabelled', async () => {
    const repo = await buildTufRepo({ rootRotations: [{}] });
    const input = repo.toRepositoryInput();
    const error = inputErrorOf({ ...input, rootHistory: new Map(input.rootHistory).set(1, repo.rootBytes(2)) });
    expect(error.reason).toBe('chain-cannot-start');
    expect(error.message).toBe('1.root.json contains version 2; the root chain cannot start from a mislabelled root.');
  });
});
