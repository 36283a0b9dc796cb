import { describe, expect, it } from 'vitest';

import { DEFAULT_LIMITS } from '../../../../shared/inspection';
import type { JsonObject } from '../../../../shared/tuf/model';
import { buildNotaryRepo, buildTufRepo } from '../../../support/repo-builder';
import { codes, run, withCode } from './support/catalogue';

// security.md §6 #12-#15: names, target paths, delegation globs and graph shapes.

describe('catalogue #12: names compare by exact code points', () => {
  it('does not match an NFD target against an NFC delegation path, nor Targets/ against targets/', async () => {
    const nfc = '\u00f6/x.txt';
    const nfd = 'o\u0308/x.txt';
    const repo = await buildTufRepo({
      delegations: [{ name: 'umlaut', paths: ['\u00f6/*', 'Targets/*'], targets: { [nfc]: 'a', [nfd]: 'b', 'targets/y': 'c' } }],
    });
    const report = run(repo.toRepositoryInput());
    expect(report.targets.map((t) => t.name)).toEqual([nfc]);
    expect(withCode(report, 'DELEGATION_PATH_OUTSIDE_PARENT').map((f) => f[2])).toEqual([
      `umlaut lists "${nfd}", outside the paths targets delegated to umlaut; the target is not trusted.`,
      'umlaut lists "targets/y", outside the paths targets delegated to umlaut; the target is not trusted.',
    ]);
  });
});

describe('catalogue #12: colliding role names', () => {
  it('warns about delegations whose names collide after NFC + case folding, and keeps both distinct', async () => {
    const repo = await buildTufRepo({
      delegations: [
        { name: 'caf\u00e9', targets: { 'one.txt': '1' } },
        { name: 'CAFE\u0301', targets: { 'two.txt': '2' } },
      ],
    });
    const report = run(repo.toRepositoryInput());
    expect(withCode(report, 'MALFORMED_ROLE')).toEqual([
      ['warning', 'targets', 'targets delegates to "CAFE\u0301" and "caf\u00e9", which collide after NFC normalisation and case folding.'],
    ]);
    expect(report.targets.map((t) => t.role)).toEqual(['caf\u00e9', 'CAFE\u0301']);
  });
});

describe('catalogue #13: unsafe target paths', () => {
  it.each([
    ['../etc/passwd', 'contains a `..` component'],
    ['/etc/passwd', 'absolute path'],
    ['dir\\file', 'contains a backslash'],
    ['C:evil', 'starts with a drive letter'],
  ])('flags %j', async (name, why) => {
    const repo = await buildTufRepo({ targets: { [name]: 'x', 'ok.txt': 'y' } });
    const report = run(repo.toRepositoryInput());
    expect(withCode(report, 'TARGET_PATH_UNSAFE')).toEqual([
      ['warning', 'targets', `targets lists target ${JSON.stringify(name)} (${why}); it must never be used as a file path.`],
    ]);
    expect(codes(report)).toEqual(['TARGET_PATH_UNSAFE']);
  });
});

describe('catalogue #14: `*` never crosses `/`', () => {
  it('trusts a/b but not a/b/c from a delegation of a/*', async () => {
    const repo = await buildTufRepo({ delegations: [{ name: 'a-team', paths: ['a/*'], targets: { 'a/b': '1', 'a/b/c': '2' } }] });
    const report = run(repo.toRepositoryInput());
    expect(report.targets.map((t) => [t.name, t.role, t.signers])).toEqual([['a/b', 'a-team', ['a-team']]]);
    expect(withCode(report, 'DELEGATION_PATH_OUTSIDE_PARENT')).toEqual([
      ['warning', 'a-team', 'a-team lists "a/b/c", outside the paths targets delegated to a-team; the target is not trusted.'],
    ]);
    expect(report.roles.find((r) => r.name === 'a-team')).toMatchObject({ paths: ['a/*'], terminating: false, targetCount: 2, status: 'valid' });
  });

  it('requires every delegation on the chain to admit the path, and flags a child wider than its parent', async () => {
    const repo = await buildTufRepo({
      delegations: [
        { name: 'lib', paths: ['lib/*'] },
        { name: 'lib-x', parent: 'lib', paths: ['lib/x*', 'bin/*'], targets: { 'lib/x1': '1', 'bin/sh': '2' } },
      ],
    });
    const report = run(repo.toRepositoryInput());
    expect(report.targets.map((t) => [t.name, t.role])).toEqual([['lib/x1', 'lib-x']]);
    expect(withCode(report, 'DELEGATION_PATH_OUTSIDE_PARENT')).toEqual([
      ['warning', 'lib-x', 'lib-x is given paths ["bin/*"] outside its parent lib\'s paths; targets there are never trusted.'],
      ['warning', 'lib-x', 'lib-x lists "bin/sh", outside the paths targets delegated to lib; the target is not trusted.'],
    ]);
  });

  it('matches path_hash_prefixes on the sha256 of the target path', async () => {
    // sha256("a.txt") starts with "18"; sha256("b.txt") with "ff".
    const repo = await buildTufRepo({
      delegations: [
        { name: 'bin-ff', paths: null, pathHashPrefixes: ['ff'], targets: { 'a.txt': '1', 'b.txt': '2' } },
        { name: 'bin-1', paths: null, pathHashPrefixes: ['1'], targets: { 'a.txt': '1' } },
      ],
    });
    const report = run(repo.toRepositoryInput());
    expect(report.targets.map((t) => [t.name, t.role])).toEqual([
      ['b.txt', 'bin-ff'],
      ['a.txt', 'bin-1'],
    ]);
    expect(withCode(report, 'DELEGATION_PATH_OUTSIDE_PARENT').map((f) => f[2])).toEqual([
      'bin-ff lists "a.txt", outside the paths targets delegated to bin-ff; the target is not trusted.',
    ]);
    expect(report.roles.find((r) => r.name === 'bin-ff')?.pathHashPrefixes).toEqual(['ff']);
  });
});

describe('catalogue #15: cycles, diamonds, too many roles', () => {
  it('reports a cycle once and terminates', async () => {
    const repo = await buildTufRepo({ delegations: [{ name: 'a' }, { name: 'b', parent: 'a', targets: { 'x.txt': 'x' } }] });
    // b delegates back to a.
    const aKey = repo.keysOf('a')[0]!;
    repo.resign('b', (s) => {
      s['delegations'] = { keys: { [aKey.keyid]: aKey.metadata }, roles: [{ name: 'a', keyids: [aKey.keyid], threshold: 1, paths: ['*'], terminating: false }] };
    });
    const report = run(repo.toRepositoryInput());
    expect(withCode(report, 'DELEGATION_CYCLE')).toEqual([
      ['error', 'b', 'b delegates back to a, which is already on its delegation path; the cycle is not followed.'],
    ]);
    expect(report.roles.map((r) => r.name)).toEqual(['root', 'targets', 'snapshot', 'timestamp', 'a', 'b']);
    expect(report.targets.map((t) => t.name)).toEqual(['x.txt']);
  });

  it('visits a diamond once', async () => {
    const repo = await buildTufRepo({ delegations: [{ name: 'a' }, { name: 'b' }, { name: 'd', parent: 'a', targets: { 'x.txt': 'x' } }] });
    const dKey = repo.keysOf('d')[0]!;
    repo.resign('b', (s) => {
      s['delegations'] = { keys: { [dKey.keyid]: dKey.metadata }, roles: [{ name: 'd', keyids: [dKey.keyid], threshold: 1, paths: ['*'], terminating: false }] };
    });
    const report = run(repo.toRepositoryInput());
    expect(report.health).toBe('healthy');
    expect(report.roles.filter((r) => r.name === 'd')).toHaveLength(1);
    expect(report.roles.find((r) => r.name === 'd')?.parent).toBe('a');
  });

  it('stops at the role cap with LIMIT_EXCEEDED', async () => {
    const repo = await buildTufRepo({ delegations: Array.from({ length: 6 }, (_, i) => ({ name: `r${i}`, keys: 1 })) });
    const report = run(repo.toRepositoryInput(), {}, { ...DEFAULT_LIMITS, maxRoles: 4 });
    expect(withCode(report, 'LIMIT_EXCEEDED')).toEqual([
      ['error', 'targets', 'targets declares 6 delegations, above the cap of 4; only the first 4 are examined.'],
      ['error', 'targets', 'The delegation graph has more than 4 roles; the walk stopped there.'],
    ]);
    expect(report.roles.filter((r) => r.kind === 'delegation').map((r) => r.name)).toEqual(['r0', 'r1', 'r2']);
  });

  it('reports a delegated role whose file is missing, without failing the rest', async () => {
    const repo = await buildTufRepo({ targets: { 't.txt': 't' }, delegations: [{ name: 'gone' }] });
    const input = repo.toRepositoryInput();
    const files = new Map(input.files);
    files.delete('gone');
    const report = run({ ...input, files, unavailable: ['gone'] });
    expect(withCode(report, 'MISSING_ROLE')).toEqual([['warning', 'gone', 'gone could not be fetched from test://example.com/test/repo.']]);
    expect(report.targets.map((t) => t.name)).toEqual(['t.txt']);
  });
});

describe('terminating delegations and SHADOWED_PATHS', () => {
  it('stops the search at a terminating delegation and flags the fully shadowed sibling', async () => {
    const repo = await buildTufRepo({
      delegations: [
        { name: 'first', paths: ['pkg/*'], terminating: true, targets: { 'pkg/a': '1' } },
        { name: 'second', paths: ['pkg/b*'], targets: { 'pkg/b1': '2' } },
        { name: 'third', paths: ['other/*'], targets: { 'other/c': '3' } },
      ],
    });
    const report = run(repo.toRepositoryInput());
    expect(report.targets.map((t) => [t.name, t.role])).toEqual([
      ['pkg/a', 'first'],
      ['other/c', 'third'],
    ]);
    expect(withCode(report, 'SHADOWED_PATHS')).toEqual([
      ['warning', 'second', 'second is never consulted: the earlier terminating delegation first in targets covers all its paths.'],
      ['warning', 'second', '1 target(s) of second are never reached: the earlier terminating delegation first stops the search.'],
    ]);
  });

  it('lets the first role in preorder win for the same path', async () => {
    const repo = await buildTufRepo({
      delegations: [
        { name: 'one', targets: { 'x.txt': 'one' } },
        { name: 'two', targets: { 'x.txt': 'two' } },
      ],
    });
    const report = run(repo.toRepositoryInput());
    expect(report.targets.map((t) => [t.name, t.role, t.length])).toEqual([['x.txt', 'one', 3]]);
  });
});

describe('delegation signatures and trust', () => {
  it('does not trust targets of a delegation whose signature fails, nor of its children', async () => {
    const repo = await buildTufRepo({ delegations: [{ name: 'mid', targets: { 'm.txt': 'm' } }, { name: 'leaf', parent: 'mid', targets: { 'l.txt': 'l' } }] });
    repo.tamperSigned('mid', (s) => {
      s['expires'] = '2099-01-01T00:00:00Z';
    });
    const report = run(repo.toRepositoryInput());
    expect(report.targets).toEqual([]);
    expect(report.roles.filter((r) => r.kind === 'delegation').map((r) => [r.name, r.status])).toEqual([
      ['mid', 'invalid'],
      ['leaf', 'invalid'],
    ]);
    expect(withCode(report, 'THRESHOLD_UNMET')).toEqual([['error', 'mid', 'mid has 0 valid signature(s) from distinct keys; its threshold is 1.']]);
  });

  it('reports SNAPSHOT_MISMATCH when snapshot lacks or misdescribes a delegation (#22)', async () => {
    const repo = await buildTufRepo({ delegations: [{ name: 'd' }], snapshotHashes: true });
    repo.resign('snapshot', (s) => {
      delete (s['meta'] as JsonObject)['d.json'];
      ((s['meta'] as JsonObject)['targets.json'] as JsonObject)['length'] = 1;
    });
    const report = run(repo.toRepositoryInput());
    expect(withCode(report, 'SNAPSHOT_MISMATCH').map((f) => f[2])).toEqual([
      expect.stringMatching(/^snapshot's entry for targets disagrees with the file: length 1 is listed but the file is \d+ bytes\.$/) as unknown as string,
      'snapshot has no entry for d, so its version cannot be trusted.',
    ]);
  });

  it('reports TIMESTAMP_MISMATCH when timestamp describes another snapshot', async () => {
    const repo = await buildTufRepo({});
    repo.resign('timestamp', (s) => {
      ((s['meta'] as JsonObject)['snapshot.json'] as JsonObject)['version'] = 7;
    });
    const report = run(repo.toRepositoryInput());
    expect(withCode(report, 'TIMESTAMP_MISMATCH')).toEqual([
      ['error', 'snapshot', "timestamp's snapshot entry disagrees with snapshot: version 7 is listed but the file is version 1."],
    ]);
  });
});

describe('Notary delegations and docker trust signers', () => {
  it('names signers like `docker trust inspect`: leaf names, Repo Admin for released-only tags', async () => {
    const repo = await buildNotaryRepo({
      targets: { admin: 'a' },
      delegations: [
        { name: 'targets/releases', targets: { v1: 'one', v2: 'two' } },
        { name: 'targets/alice', targets: { v1: 'one', solo: 's' } },
        { name: 'targets/bob', targets: { v1: 'one', v2: 'different digest' } },
      ],
    });
    const report = run(repo.toRepositoryInput());
    expect(report.health).toBe('healthy');
    expect(report.targets.map((t) => [t.name, t.role, t.signers])).toEqual([
      ['v1', 'targets/releases', ['alice', 'bob']],
      ['v2', 'targets/releases', ['Repo Admin']],
      ['admin', 'targets', ['Repo Admin']],
      ['solo', 'targets/alice', ['alice']],
    ]);
  });

  it('signs a delegation-only tag by every delegation with the same digest; targets/releases wins over targets', async () => {
    const repo = await buildNotaryRepo({
      targets: { both: 'from targets', only: 'o' },
      delegations: [
        { name: 'targets/releases', targets: { both: 'from releases' } },
        { name: 'targets/alice', targets: { both: 'from targets', team: 't' } },
        { name: 'targets/bob', targets: { both: 'from releases', team: 't' } },
        { name: 'targets/carol', targets: { team: 'other digest' } },
      ],
    });
    const report = run(repo.toRepositoryInput());
    expect(report.targets.map((t) => [t.name, t.role, t.signers])).toEqual([
      ['both', 'targets/releases', ['bob']],
      ['only', 'targets', ['Repo Admin']],
      ['team', 'targets/alice', ['alice', 'bob']],
    ]);
  });

  it('applies prefixes: a nested delegation outside its parent prefix is flagged and untrusted', async () => {
    const repo = await buildNotaryRepo({
      delegations: [
        { name: 'targets/team', paths: ['team/'] },
        { name: 'targets/team/dev', parent: 'targets/team', paths: ['team/dev/', 'prod/'], targets: { 'team/dev/x': 'x', 'prod/y': 'y' } },
      ],
    });
    const report = run(repo.toRepositoryInput());
    expect(report.targets.map((t) => [t.name, t.signers])).toEqual([['team/dev/x', ['team/dev']]]);
    expect(withCode(report, 'DELEGATION_PATH_OUTSIDE_PARENT').map((f) => f[2])).toEqual([
      'targets/team/dev is given path prefixes ["prod/"] that its parent targets/team does not have; notary ignores them.',
      'targets/team/dev lists "prod/y", outside the paths targets delegated to targets/team; the target is not trusted.',
    ]);
  });
});
