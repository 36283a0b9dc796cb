import { X509Certificate as NodeX509, webcrypto } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import * as x509 from '@peculiar/x509';

import { assessCompromiseOf, finalize, notaryCanonicalId, progress, propose, type RepoState } from '../../../shared/ceremony';
import { fromBase64 } from '../../../shared/tuf/encoding';
import { notaryKeyId } from '../../../electron/core/keys/software-keys';
import { emptyState, env, errorsOf, GUN, inspectState, knownOf, makeKey, makeNotaryRootKey, publish, signWith } from './helpers';

async function serverKeys() {
  const snapshot = await makeKey('notary-v1');
  const timestamp = await makeKey('notary-v1');
  return { online: { snapshot, timestamp }, serverKeys: { snapshot: snapshot.key.keyObject, timestamp: timestamp.key.keyObject } };
}

describe('Notary root certificate (TBS + signature assembled in shared/)', () => {
  it('parses with @peculiar/x509 and node:crypto, self-signed, CN = GUN, notary extensions', async () => {
    x509.cryptoProvider.set(webcrypto as unknown as Crypto);
    const root = await makeNotaryRootKey(GUN, 'Alice', '1234567');
    const cert = new x509.X509Certificate(root.certPem);
    expect(cert.subject).toBe(`CN=${GUN}`);
    expect(cert.issuer).toBe(`CN=${GUN}`);
    expect(cert.serialNumber.length).toBeGreaterThanOrEqual(30);
    expect(cert.getExtension(x509.BasicConstraintsExtension)?.ca).toBe(false);
    expect(cert.getExtension(x509.KeyUsagesExtension)?.usages).toBe(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment);
    expect(cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages).toEqual(['1.3.6.1.5.5.7.3.3']);
    expect(await cert.verify({ signatureOnly: true })).toBe(true);
    const node = new NodeX509(root.certPem);
    expect(node.verify(node.publicKey)).toBe(true);
    // Like notary's own certs: self-issued but without keyCertSign, so OpenSSL's checkIssued says no.
    expect(node.issuer).toBe(node.subject);
    expect(node.ca).toBe(false);
    // keyid = ID of the ecdsa-x509 object; canonical ID = notary's key-file name for the same key
    expect(root.key.keyObject['keytype']).toBe('ecdsa-x509');
    expect(notaryCanonicalId(root.key, env.crypto)).toBe(notaryKeyId(root.priv));
    expect(notaryCanonicalId(root.key, env.crypto)).not.toBe(root.key.keyid);
  });
});

describe('Notary ceremonies end to end (pure engine, real keys)', () => {
  it('init → add-signer alice → rotate targets → rotate root → recover from alice compromise', async () => {
    const { online, serverKeys: sk } = await serverKeys();
    const root1 = await makeNotaryRootKey(GUN, 'Alice', '1111111');
    const targets1 = await makeKey('notary-v1', 'ecdsa-p256', 'Tagging key');
    let state: RepoState = emptyState('notary-v1', sk);

    const init = propose(state, { kind: 'init', rootKeys: [root1.key], rootThreshold: 1, targetsKeys: [targets1.key] }, env);
    expect(init.roles.map((r) => r.role)).toEqual(['root', 'targets']);
    expect(init.checks.filter((c) => !c.passed)).toEqual([]);
    expect(init.roles[0]!.signed['_type']).toBe('Root');
    expect(init.roles[1]!.signed['delegations']).toEqual({ keys: {}, roles: [] });
    expect(init.diff.some((d) => d.summary.includes('Notary server'))).toBe(true);
    const initSigs = signWith(init, [root1, targets1]);
    expect(initSigs.every((s) => s.method === 'ecdsa')).toBe(true);
    state = publish(state, init, initSigs, online);
    expect(errorsOf(inspectState(state))).toEqual([]);
    const files = finalize(init, initSigs, env).files;
    expect(new TextDecoder().decode(files['root'])).toMatch(/^\{"signed":\{"_type":"Root",.*\},"signatures":\[\{"keyid":"[0-9a-f]{64}","method":"ecdsa","sig":"[A-Za-z0-9+/=]+"\}\]\}$/);

    // add-signer alice: targets/alice and targets/releases with her key (docker trust signer add)
    const alice = await makeKey('notary-v1', 'ecdsa-p256', 'alice');
    const add = propose(state, { kind: 'add-signer', name: 'alice', keys: [alice.key] }, env);
    const dels = add.roles.find((r) => r.role === 'targets')!.signed['delegations'] as { roles: { name: string; keyids: string[]; paths: string[] }[] };
    expect(dels.roles.map((r) => [r.name, r.keyids, r.paths])).toEqual([
      ['targets/alice', [alice.key.keyid], ['']],
      ['targets/releases', [alice.key.keyid], ['']],
    ]);
    expect(add.diff.map((d) => d.summary)).toContain(`targets: + delegation targets/alice: signers 1/1 of [${alice.key.keyid.slice(0, 8)}… (key file, alice)], paths "" (everything)`);
    state = publish(state, add, signWith(add, [targets1]), online);
    // alice publishes a target into targets/releases (as the notary client would)
    const rel = propose(state, { kind: 'sign-targets', changes: [{ role: 'targets/releases', action: 'add', path: 'v1', length: 10, hashes: { sha256: '11'.repeat(32) } }] }, env);
    expect(rel.roles.map((r) => `${r.role}@${r.version}`)).toEqual(['targets/releases@1']);
    state = publish(state, rel, signWith(rel, [alice]), online);
    let report = inspectState(state);
    // docker trust semantics: targets/alice has no metadata until alice signs into it (a warning, not an error)
    expect(errorsOf(report)).toEqual(['warning MISSING_ROLE: targets/alice metadata is missing from test.']);
    expect(report.targets.some((t) => t.name === 'v1')).toBe(true);

    // rotate the targets key
    const targets2 = await makeKey('notary-v1', 'ecdsa-p256', 'Tagging key 2');
    const rk = propose(state, { kind: 'rotate-key', role: 'targets', newKeys: [targets2.key] }, env);
    expect(rk.roles.map((r) => r.role)).toEqual(['root', 'targets']);
    state = publish(state, rk, signWith(rk, [root1, targets2]), online);
    expect(errorsOf(inspectState(state)).filter((e) => !e.includes('MISSING_ROLE'))).toEqual([]);

    // rotate the root to a key on another token: old AND new threshold
    const root2 = await makeNotaryRootKey(GUN, 'Bob', '2222222');
    const rr = propose(state, { kind: 'rotate-root', add: [root2.key], remove: [root1.key.keyid] }, env, knownOf([root1]));
    expect(rr.diff.map((d) => d.summary)).toContain(`root: root keys − ${root1.key.keyid.slice(0, 8)}… (token 1111111, Alice)`);
    const onlyNew = signWith(rr, [root2]);
    expect(progress(rr, onlyNew).roles[0]!.requirements.map((q) => q.met)).toEqual([false, true]);
    expect(() => finalize(rr, onlyNew, env)).toThrow(/^root v3: 0 of 1 required signatures from root v2 \(current\); still needed from: .*\(token 1111111, Alice\)/);
    state = publish(state, rr, signWith(rr, [root1], onlyNew), online);
    expect(errorsOf(inspectState(state)).filter((e) => !e.includes('MISSING_ROLE'))).toEqual([]);
    // a client that cached root v1 follows the chain
    expect(errorsOf(inspectState(state, undefined, fromBase64(state.rootHistory[0]!)!)).filter((e) => !e.includes('MISSING_ROLE'))).toEqual([]);

    // recover from alice's compromise
    const impact = assessCompromiseOf(state, { compromised: [alice.key.keyid] }, env);
    expect(impact.roles.filter((r) => r.attackerCanSign).map((r) => r.role)).toEqual(['targets/alice', 'targets/releases']);
    expect(impact.attackerCan.join('\n')).toContain('targets/releases: 1 of 1 needed keys compromised');
    expect(impact.steps.map((s) => s.role)).toEqual(['targets/alice', 'targets/releases']);
    const rec = propose(state, { kind: 'recover', compromised: [alice.key.keyid] }, env);
    expect(rec.roles.map((r) => r.role)).toEqual(['targets']);
    expect((rec.roles[0]!.signed['delegations'] as { roles: unknown[]; keys: object }).roles).toEqual([]);
    expect(rec.diff.map((d) => d.kind)).toContain('delegation-removed');
    state = publish(state, rec, signWith(rec, [targets2]), online);
    report = inspectState(state);
    expect(report.targets.some((t) => t.name === 'v1')).toBe(false);
    // the next request (with alice's stale targets/releases file still on the server) verifies as a basis
    const next = propose(state, { kind: 'refresh', roles: ['targets'] }, env);
    expect(next.checks.filter((c) => c.code === 'REQUEST_UNTRUSTED').map((c) => c.passed)).toEqual([true]);
  });
});
