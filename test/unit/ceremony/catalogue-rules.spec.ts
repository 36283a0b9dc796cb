import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import {
  assertNoEquivocation,
  blockingFailures,
  ceremonyKeyFromSpki,
  checkEquivocation,
  checkExpiredBump,
  checkExpiry,
  checkKey,
  checkRoleKeys,
  checkRootVersion,
  checkSnapshotMeta,
  checkVersion,
  defaultPolicy,
  EquivocationError,
  finalize,
  FinalizeError,
  PlanError,
  propose,
  RuleViolationError,
  signingTasks,
  type SignatureRejectedError,
  verifyIncomingSignature,
  type CeremonyKey,
  type RepoState,
} from '../../../shared/ceremony';
import { emptyState, env, makeKey, NOW, publish, sigFor, signWith, type TestKey } from './helpers';

const policy = defaultPolicy('tuf-1.0');

async function tufRepo(rootKeys: TestKey[], threshold: number): Promise<{ state: RepoState; tk: TestKey; online: { snapshot: TestKey; timestamp: TestKey } }> {
  const tk = await makeKey('tuf-1.0', 'ed25519');
  const online = { snapshot: await makeKey('tuf-1.0', 'ed25519'), timestamp: await makeKey('tuf-1.0', 'ed25519') };
  const init = propose(emptyState('tuf-1.0'), { kind: 'init', rootKeys: rootKeys.map((k) => k.key), rootThreshold: threshold, targetsKeys: [tk.key], snapshotKeys: [online.snapshot.key], timestampKeys: [online.timestamp.key] }, env);
  return { state: publish(emptyState('tuf-1.0'), init, signWith(init, [...rootKeys, tk]), online), tk, online };
}

describe('catalogue #1 / #21: root version exactly prev+1 (ROOT_VERSION_NOT_NEXT)', () => {
  it('rejects N+2, N and N-1, accepts N+1', () => {
    for (const v of [5, 3, 2]) expect(checkRootVersion(3, v)).toMatchObject({ code: 'ROOT_VERSION_NOT_NEXT', passed: false, severity: 'blocking' });
    expect(checkRootVersion(3, 4).passed).toBe(true);
    expect(checkRootVersion(0, 1).passed).toBe(true);
  });
  it('every rotate-root proposal is prev+1', async () => {
    const r = await makeKey('tuf-1.0');
    const { state } = await tufRepo([r], 1);
    const p = propose(state, { kind: 'rotate-root', add: [(await makeKey('tuf-1.0')).key] }, env);
    expect(p.roles[0]!.version).toBe(2);
    expect(p.checks.find((c) => c.code === 'ROOT_VERSION_NOT_NEXT')?.passed).toBe(true);
  });
});

describe('catalogue #2 / #3: old AND new root thresholds (THRESHOLD_UNMET_OLD_ROOT, THRESHOLD_UNMET)', () => {
  it('#2 a new root signed only by the new keys, or only by the old keys, is refused naming the unmet threshold', async () => {
    const old = await makeKey('tuf-1.0', 'ecdsa-p256', 'Old holder', '111');
    const { state } = await tufRepo([old], 1);
    const nw = await makeKey('tuf-1.0', 'ecdsa-p256', 'New holder', '222');
    const p = propose(state, { kind: 'rotate-root', add: [nw.key], remove: [old.key.keyid] }, env);
    const onlyNew = signWith(p, [nw]);
    expect(() => finalize(p, onlyNew, env)).toThrow(FinalizeError);
    try {
      finalize(p, onlyNew, env);
    } catch (e) {
      expect((e as FinalizeError).code).toBe('THRESHOLD_UNMET_OLD_ROOT');
      expect((e as FinalizeError).message).toContain('root v1 (current)');
    }
    const onlyOld = signWith(p, [old]);
    try {
      finalize(p, onlyOld, env);
      expect.unreachable();
    } catch (e) {
      expect((e as FinalizeError).code).toBe('THRESHOLD_UNMET');
      expect((e as FinalizeError).message).toMatch(/root v2: 0 of 1 required signatures from root v2 \(new\); still needed from: .*\(token 222, New holder\)/);
    }
    expect(Object.keys(finalize(p, signWith(p, [old, nw]), env).files)).toEqual(['root']);
  });

  it('#3 a threshold lowered 2 → 1 with only the new threshold met is refused (the old threshold is also required)', async () => {
    const a = await makeKey('tuf-1.0');
    const b = await makeKey('tuf-1.0');
    const { state } = await tufRepo([a, b], 2);
    const p = propose(state, { kind: 'rotate-root', remove: [b.key.keyid], threshold: 1 }, env);
    expect(p.roles[0]!.requirements.map((r) => r.threshold)).toEqual([2, 1]);
    expect(() => finalize(p, signWith(p, [a]), env)).toThrow(/1 of 2 required signatures from root v1 \(current\)/);
    expect(finalize(p, signWith(p, [a, b]), env).files['root']).toBeInstanceOf(Uint8Array);
  });

  it('#2 threshold ≥ 1 and ≤ distinct keys, no duplicate keyids (THRESHOLD_INVALID, THRESHOLD_EXCEEDS_KEYS, DUPLICATE_KEYID)', async () => {
    const a = await makeKey('tuf-1.0');
    const keys = new Map<string, CeremonyKey>([[a.key.keyid, a.key]]);
    for (const t of [0, -1, '1', 1.5, 2 ** 53 + 1]) {
      expect(checkRoleKeys('root', [a.key.keyid], t, keys, env.crypto).find((c) => c.code === 'THRESHOLD_INVALID')?.passed).toBe(false);
    }
    expect(checkRoleKeys('root', [a.key.keyid], 2, keys, env.crypto).find((c) => c.code === 'THRESHOLD_EXCEEDS_KEYS')?.passed).toBe(false);
    const dup = checkRoleKeys('root', [a.key.keyid, a.key.keyid], 2, keys, env.crypto);
    expect(dup.find((c) => c.code === 'DUPLICATE_KEYID')?.passed).toBe(false);
    // two keyids naming one public key count once
    expect(dup.find((c) => c.code === 'THRESHOLD_EXCEEDS_KEYS')?.passed).toBe(false);
    const { state } = await tufRepo([a], 1);
    expect(() => propose(state, { kind: 'rotate-root', threshold: 2 }, env)).toThrow(PlanError);
  });
});

describe('rule #3 (§2): keyid = sha256(canonical(key)) (KEYID_MISMATCH)', () => {
  it('flags a key whose id is not its hash, and signing is refused', async () => {
    const a = await makeKey('tuf-1.0');
    expect(checkKey('tuf-1.0', a.key, env.crypto, policy).find((c) => c.code === 'KEYID_MISMATCH')?.passed).toBe(true);
    const forged: CeremonyKey = { ...a.key, keyid: 'f'.repeat(64) };
    expect(checkKey('tuf-1.0', forged, env.crypto, policy)[0]).toMatchObject({ code: 'KEYID_MISMATCH', passed: false });
    const r = await makeKey('tuf-1.0');
    const { state } = await tufRepo([r], 1);
    const p = propose(state, { kind: 'rotate-root', add: [forged] }, env);
    expect(blockingFailures(p.checks).map((c) => c.code)).toEqual(['KEYID_MISMATCH']);
    expect(() => signingTasks(p, r.key.keyid, [])).toThrow(RuleViolationError);
    expect(() => finalize(p, [], env)).toThrow(/KEYID_MISMATCH/);
  });
  it('Notary keyids use the {keytype, keyval:{private:null, public}} object', async () => {
    const k = await makeKey('notary-v1');
    expect(checkKey('notary-v1', k.key, env.crypto, defaultPolicy('notary-v1'))[0]!.passed).toBe(true);
  });
  it('RSA keys below 2048 bits are refused (RSA_KEY_TOO_SMALL)', () => {
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
    const key = ceremonyKeyFromSpki('tuf-1.0', { algorithm: 'rsa', spkiDer: new Uint8Array(publicKey.export({ type: 'spki', format: 'der' })), signer: { kind: 'external' } }, env.crypto);
    expect(checkKey('tuf-1.0', key, env.crypto, policy).find((c) => c.code === 'RSA_KEY_TOO_SMALL')).toMatchObject({ passed: false, severity: 'blocking' });
  });
});

describe('catalogue #16: signing expired metadata only with a version and expiry bump (EXPIRED_NOT_BUMPED)', () => {
  const expired = { _type: 'targets', version: 4, expires: '2026-01-01T00:00:00Z' };
  it('refuses the same version, accepts version+1 with a future expiry', () => {
    expect(checkExpiredBump('targets', 'tuf-1.0', expired, { ...expired }, NOW)).toMatchObject({ code: 'EXPIRED_NOT_BUMPED', passed: false });
    expect(checkExpiredBump('targets', 'tuf-1.0', expired, { ...expired, version: 5 }, NOW).passed).toBe(false);
    expect(checkExpiredBump('targets', 'tuf-1.0', expired, { ...expired, version: 5, expires: '2027-06-01T00:00:00Z' }, NOW).passed).toBe(true);
  });
  it('refresh of expired targets bumps version and expiry', async () => {
    const r = await makeKey('tuf-1.0');
    const { state, tk } = await tufRepo([r], 1);
    const later = { ...env, now: new Date(NOW.getTime() + 400 * 86_400_000) };
    const p = propose(state, { kind: 'refresh' }, later);
    expect(p.roles.map((x) => x.role)).toEqual(['root', 'targets', 'snapshot', 'timestamp']);
    expect(p.checks.filter((c) => c.code === 'EXPIRED_NOT_BUMPED').every((c) => c.passed)).toBe(true);
    expect(p.roles[1]!.version).toBe(2);
    expect(signingTasks(p, tk.key.keyid, []).map((t) => t.role)).toEqual(['targets']);
  });
});

describe('catalogue #17: expiry in the future and within the policy horizon (EXPIRY_IN_PAST, EXPIRY_BEYOND_POLICY, EXPIRY_FORMAT)', () => {
  it('checks each bound', () => {
    expect(checkExpiry('timestamp', 'tuf-1.0', '2026-11-21T00:00:00Z', NOW, policy).find((c) => c.code === 'EXPIRY_IN_PAST')?.passed).toBe(false);
    expect(checkExpiry('timestamp', 'tuf-1.0', '2026-12-30T00:00:00Z', NOW, policy).find((c) => c.code === 'EXPIRY_BEYOND_POLICY')?.passed).toBe(false);
    expect(checkExpiry('root', 'tuf-1.0', '2036-12-30T00:00:00Z', NOW, policy).find((c) => c.code === 'EXPIRY_BEYOND_POLICY')?.passed).toBe(false);
    expect(checkExpiry('root', 'tuf-1.0', '2030-01-01T00:00:00Z', NOW, policy).every((c) => c.passed)).toBe(true);
    for (const bad of ['2030-01-01T00:00:00.5Z', '2030-01-01T00:00:00+01:00', '2030-13-01T00:00:00Z']) {
      expect(checkExpiry('root', 'tuf-1.0', bad, NOW, policy)[0]).toMatchObject({ code: 'EXPIRY_FORMAT', passed: false });
    }
  });
  it('a plan asking for an expiry beyond policy produces a blocking check', async () => {
    const r = await makeKey('tuf-1.0');
    const { state } = await tufRepo([r], 1);
    const p = propose(state, { kind: 'rotate-root', add: [(await makeKey('tuf-1.0')).key], expires: { root: '2040-01-01T00:00:00Z' } }, env);
    expect(blockingFailures(p.checks).map((c) => c.code)).toEqual(['EXPIRY_BEYOND_POLICY']);
    const tight = propose(state, { kind: 'rotate-root', add: [(await makeKey('tuf-1.0')).key], expires: { root: '2027-01-01T00:00:00Z' } }, { ...env, policy: { maxExpiryDays: { root: 30, targets: 1, delegation: 1, snapshot: 1, timestamp: 1 } } });
    expect(blockingFailures(tight.checks).map((c) => c.code)).toEqual(['EXPIRY_BEYOND_POLICY']);
  });
});

describe('catalogue #21: non-root versions (VERSION_INVALID, VERSION_NOT_INCREASING, VERSION_JUMP_TOO_LARGE)', () => {
  it('rejects 0, "1", 2^63, going down and large jumps', () => {
    for (const v of [0, '1', 2 ** 63, -1, 1.5]) expect(checkVersion('targets', null, v, policy)[0]).toMatchObject({ code: 'VERSION_INVALID', passed: false });
    expect(checkVersion('targets', 7, 7, policy).find((c) => c.code === 'VERSION_NOT_INCREASING')?.passed).toBe(false);
    expect(checkVersion('targets', 7, 6, policy).find((c) => c.code === 'VERSION_NOT_INCREASING')?.passed).toBe(false);
    expect(checkVersion('targets', 7, 7 + 1001, policy).find((c) => c.code === 'VERSION_JUMP_TOO_LARGE')?.passed).toBe(false);
    expect(checkVersion('targets', 7, 8, policy).every((c) => c.passed)).toBe(true);
  });
});

describe('catalogue #22: snapshot never drops an entry nor lowers a version (SNAPSHOT_ENTRY_DROPPED, SNAPSHOT_META_VERSION_DECREASED)', () => {
  const prev = { meta: { 'targets.json': { version: 3 }, 'alice.json': { version: 2 } } };
  it('flags each', () => {
    expect(checkSnapshotMeta(prev, { meta: { 'targets.json': { version: 4 } } })[0]).toMatchObject({ code: 'SNAPSHOT_ENTRY_DROPPED', passed: false });
    expect(checkSnapshotMeta(prev, { meta: { 'targets.json': { version: 2 }, 'alice.json': { version: 2 } } })[1]).toMatchObject({ code: 'SNAPSHOT_META_VERSION_DECREASED', passed: false });
    expect(checkSnapshotMeta(prev, { meta: { 'targets.json': { version: 4 }, 'alice.json': { version: 2 }, 'bob.json': { version: 1 } } }).every((c) => c.passed)).toBe(true);
  });
});

describe('catalogue #44: equivocation guard (EQUIVOCATION)', () => {
  const journal = [{ role: 'root', version: 4, payloadSha256: 'a'.repeat(64) }];
  it('refuses different bytes for the same role and version, allows the same bytes again', () => {
    expect(checkEquivocation(journal, { role: 'root', version: 4, payloadSha256: 'b'.repeat(64) })).toMatchObject({ code: 'EQUIVOCATION', passed: false });
    expect(checkEquivocation(journal, { role: 'root', version: 4, payloadSha256: 'a'.repeat(64) }).passed).toBe(true);
    expect(checkEquivocation(journal, { role: 'root', version: 5, payloadSha256: 'b'.repeat(64) }).passed).toBe(true);
    expect(() => assertNoEquivocation(journal, { role: 'root', version: 4, payloadSha256: 'b'.repeat(64) })).toThrow(EquivocationError);
  });
});

describe('signatures are verified on arrival (verifyIncomingSignature)', () => {
  it('rejects wrong payload, a key that is not a signer and a bad signature', async () => {
    const r = await makeKey('tuf-1.0');
    const { state, tk } = await tufRepo([r], 1);
    const p = propose(state, { kind: 'rotate-root', add: [(await makeKey('tuf-1.0')).key] }, env);
    const task = signingTasks(p, r.key.keyid, [])[0]!;
    const good = sigFor('tuf-1.0', r, task);
    const code = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return (e as SignatureRejectedError).code;
      }
      return 'accepted';
    };
    expect(code(() => verifyIncomingSignature(p, good, env))).toBe('accepted');
    expect(code(() => verifyIncomingSignature(p, { ...good, payloadSha256: '0'.repeat(64) }, env))).toBe('PAYLOAD_MISMATCH');
    expect(code(() => verifyIncomingSignature(p, { ...sigFor('tuf-1.0', tk, task), keyid: tk.key.keyid }, env))).toBe('KEY_NOT_REQUIRED');
    const other = sigFor('tuf-1.0', r, { ...task, message: new TextEncoder().encode('other bytes') });
    expect(code(() => verifyIncomingSignature(p, other, env))).toBe('BAD_SIGNATURE');
    expect(code(() => verifyIncomingSignature(p, { ...good, version: 9 }, env))).toBe('UNKNOWN_ROLE_VERSION');
  });
});
