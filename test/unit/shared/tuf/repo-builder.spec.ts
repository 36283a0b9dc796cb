import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Metadata, MetadataKind } from '@tufjs/models';
import { afterAll, describe, expect, it } from 'vitest';

import { NodeCryptoProvider } from '../../../../electron/core/crypto/node-crypto-provider';
import { isCanonicalRange } from '../../../../shared/tuf/canonical-check';
import { parseMetadata } from '../../../../shared/tuf/metadata';
import type { Root, Targets } from '../../../../shared/tuf/model';
import { roleKeyMap, verifyRoleSignatures } from '../../../../shared/tuf/verify-role';
import { buildNotaryRepo, buildTufRepo, writeRepo } from '../../../support/repo-builder';

const crypto = new NodeCryptoProvider();
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const json = (b: Uint8Array): Record<string, unknown> => JSON.parse(Buffer.from(b).toString()) as Record<string, unknown>;

describe('repo-builder: TUF', () => {
  it('builds a repository that tuf-js (@tufjs/models) verifies', async () => {
    const repo = await buildTufRepo({
      keyAlgorithm: 'ecdsa-p256',
      rootKeys: 2,
      rootThreshold: 2,
      targets: { 'a.txt': 'hello' },
      delegations: [{ name: 'role1', paths: ['b/*'], targets: { 'b/c.txt': 'deleg' } }],
    });
    const root = Metadata.fromJSON(MetadataKind.Root, json(repo.bytes('root')) as never);
    root.verifyDelegate('root', root);
    const targets = Metadata.fromJSON(MetadataKind.Targets, json(repo.bytes('targets')) as never);
    root.verifyDelegate('targets', targets);
    root.verifyDelegate('snapshot', Metadata.fromJSON(MetadataKind.Snapshot, json(repo.bytes('snapshot')) as never));
    root.verifyDelegate('timestamp', Metadata.fromJSON(MetadataKind.Timestamp, json(repo.bytes('timestamp')) as never));
    targets.verifyDelegate('role1', Metadata.fromJSON(MetadataKind.Targets, json(repo.bytes('role1')) as never));
  });

  it('keeps snapshot and timestamp consistent with the files they describe', async () => {
    const repo = await buildTufRepo({ delegations: [{ name: 'd1' }], snapshotHashes: true });
    const snap = parseMetadata(repo.bytes('snapshot'), { expectedType: 'snapshot' }).signed;
    expect([...snap.meta.keys()].sort()).toEqual(['d1.json', 'targets.json']);
    const t = snap.meta.get('targets.json')!;
    expect(t.hashesHex!['sha256']).toBe(createHash('sha256').update(repo.bytes('targets')).digest('hex'));
    const ts = parseMetadata(repo.bytes('timestamp'), { expectedType: 'timestamp' }).signed;
    const s = ts.meta.get('snapshot.json')!;
    expect(s.version).toBe(1);
    expect(s.length).toBe(repo.bytes('snapshot').length);
  });

  it('resign() bumps the version and cascades to snapshot and timestamp', async () => {
    const repo = await buildTufRepo({ targets: { a: '1' } });
    repo.resign('targets', (s) => {
      (s['targets'] as Record<string, unknown>)['b'] = { length: 1, hashes: { sha256: '00'.repeat(32) } };
    });
    expect(parseMetadata(repo.bytes('targets')).signed.version).toBe(2);
    const snap = parseMetadata(repo.bytes('snapshot'), { expectedType: 'snapshot' }).signed;
    expect(snap.version).toBe(2);
    expect(snap.meta.get('targets.json')!.version).toBe(2);
    expect(parseMetadata(repo.bytes('timestamp')).signed.version).toBe(2);
  });

  it('rotates root keys with old + new signatures, or only one side on request', async () => {
    const repo = await buildTufRepo({
      rootKeys: 2,
      rootThreshold: 2,
      rootRotations: [{ rootKeys: 3, threshold: 2 }, { signWith: 'new', rotate: ['timestamp'] }, { rootKeys: 1, threshold: 1, signWith: 'old' }],
    });
    const input = repo.toRepositoryInput();
    expect([...input.rootHistory.keys()]).toEqual([1, 2, 3, 4]);
    const roots = [1, 2, 3, 4].map((v) => parseMetadata(input.rootHistory.get(v)!, { expectedType: 'root' }));
    const verifyBy = (n: number, by: Root) => {
      const spec = by.roles.get('root')!;
      return verifyRoleSignatures(roots[n]!, roleKeyMap(by.keys, spec.keyids), spec.threshold, crypto).valid;
    };
    expect(verifyBy(1, roots[0]!.signed)).toBe(2); // v2 by v1 keys
    expect(verifyBy(1, roots[1]!.signed)).toBe(3); // v2 by its own keys
    expect(verifyBy(2, roots[1]!.signed)).toBe(3); // v3: new keys only (same set)
    expect(roots[2]!.signed.roles.get('timestamp')!.keyids).not.toEqual(roots[1]!.signed.roles.get('timestamp')!.keyids);
    expect(verifyBy(3, roots[2]!.signed)).toBe(3); // v4 signed by old only
    expect(verifyBy(3, roots[3]!.signed)).toBe(0); // ...so not by its own new key
    expect(Buffer.from(repo.bytes('root')).equals(Buffer.from(input.rootHistory.get(4)!))).toBe(true);
  });

  it('writes the TUF layout with consistent-snapshot copies and target files', async () => {
    const repo = await buildTufRepo({ targets: { 'dir/a.txt': 'A' }, delegations: [{ name: 'role1' }], rootRotations: [{}] });
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-repo-'));
    dirs.push(dir);
    await writeRepo(dir, repo);
    const meta = (await readdir(path.join(dir, 'metadata'))).sort();
    expect(meta).toEqual(
      ['1.role1.json', '1.root.json', '1.snapshot.json', '1.targets.json', '2.root.json', 'role1.json', 'root.json', 'snapshot.json', 'targets.json', 'timestamp.json'].sort(),
    );
    expect((await readFile(path.join(dir, 'targets', 'dir', 'a.txt'))).toString()).toBe('A');
  });

  it('emits canonical files on request, so verifiers can use the raw signed bytes', async () => {
    const repo = await buildTufRepo({ format: 'canonical', targets: { 'é😀': 'x' } });
    const env = parseMetadata(repo.bytes('targets'));
    expect(isCanonicalRange(env.bytes, env.signedRange.start, env.signedRange.end)).toBe(true);
    const pretty = await buildTufRepo({ targets: { 'é😀': 'x' } });
    const penv = parseMetadata(pretty.bytes('targets'));
    expect(isCanonicalRange(penv.bytes, penv.signedRange.start, penv.signedRange.end)).toBe(false);
    expect((penv.signed as Targets).targets.has('é😀')).toBe(true);
  });
});

describe('repo-builder: Notary', () => {
  it('builds root keys as self-signed x509 certs with CN = GUN and nested delegation files', async () => {
    const repo = await buildNotaryRepo({
      gun: 'docker.io/library/app',
      targets: { latest: 'image' },
      delegations: [{ name: 'targets/releases', targets: { v1: 'rel' } }],
    });
    const root = parseMetadata(repo.bytes('root'), { expectedType: 'root' });
    expect(root.dialect).toBe('notary-v1');
    const rootKey = root.signed.keys.get(root.signed.roles.get('root')!.keyids[0]!)!;
    expect(rootKey.keytype).toBe('ecdsa-x509');
    const imported = crypto.importKey(rootKey);
    if (!imported.ok) throw new Error(imported.message);
    expect(imported.handle.info.cert).toMatchObject({ subjectCN: 'docker.io/library/app', selfSigned: true, isCA: false });
    expect(root.signatures[0]!.method).toBe('ecdsa');
    expect(env(repo.bytes('targets')).signedRange.start).toBe('{"signed":'.length);
    expect([...repo.metadataFiles().keys()].sort()).toEqual(['root.json', 'snapshot.json', 'targets.json', 'targets/releases.json', 'timestamp.json']);
    const snap = parseMetadata(repo.bytes('snapshot'), { expectedType: 'snapshot' }).signed;
    expect(snap.meta.get('targets/releases')!.hashes!['sha256']).toBe(createHash('sha256').update(repo.bytes('targets/releases')).digest('base64'));
    const releases = parseMetadata(repo.bytes('targets/releases'), { expectedType: 'targets' }).signed;
    expect(releases.delegations).toEqual({ keys: new Map(), roles: [], unrecognized: {} });
  });

  it('can give a delegation x509 certificate keys (like the notary 0.3 rsa-x509 delegation)', async () => {
    const repo = await buildNotaryRepo({ delegations: [{ name: 'targets/releases', x509: true }] });
    const targets = parseMetadata(repo.bytes('targets'), { expectedType: 'targets' }).signed;
    const role = targets.delegations!.roles[0]!;
    const key = targets.delegations!.keys.get(role.keyids[0]!)!;
    expect(key.keytype).toBe('ecdsa-x509');
    const v = verifyRoleSignatures(parseMetadata(repo.bytes('targets/releases')), roleKeyMap(targets.delegations!.keys, role.keyids), 1, crypto);
    expect(v.valid).toBe(1);
  });

  it('setRawBytes serves exact bytes for malformed-file tests', async () => {
    const repo = await buildNotaryRepo({});
    repo.setRawBytes('targets', '{"signed":');
    expect(() => parseMetadata(repo.toRepositoryInput().files.get('targets')!)).toThrow(/unexpected end of input/);
  });
});

function env(bytes: Uint8Array) {
  return parseMetadata(bytes);
}
