import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

import { canonicalPayload, ceremonyKeyFromSpki, finalize, propose } from '../../../shared/ceremony';
import { toBase64 } from '../../../shared/tuf/encoding';
import type { JsonObject } from '../../../shared/tuf/model';
import { crypto, emptyState, env, makeKey, publish, signWith, type TestKey } from './helpers';

const PYTHON = '/usr/bin/python3';
const SCRIPT = path.join(import.meta.dirname, 'sslib-verify.py');

/** RSA-2048 (the policy minimum; faster than the 3072 bits generateSoftwareKey insists on). */
function rsa2048(): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const spki = new Uint8Array(publicKey.export({ type: 'spki', format: 'der' }));
  return { key: ceremonyKeyFromSpki('tuf-1.0', { algorithm: 'rsa', spkiDer: spki, signer: { kind: 'external' } }, crypto), priv: privateKey };
}

function sslibAvailable(): boolean {
  if (!existsSync(PYTHON)) return false;
  try {
    execFileSync(PYTHON, ['-c', 'import securesystemslib.signer'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe.skipIf(!sslibAvailable())('TUF output cross-checked with python3-securesystemslib', () => {
  it('canonical bytes and every signature (ed25519, ecdsa-p256, rsa) verify; keyids equal sha256(canonical(key))', async () => {
    const rootKeys = [await makeKey('tuf-1.0', 'ecdsa-p256'), await makeKey('tuf-1.0', 'ed25519'), rsa2048()];
    const tk = await makeKey('tuf-1.0', 'ecdsa-p256');
    const sn = await makeKey('tuf-1.0', 'ed25519');
    const ts = await makeKey('tuf-1.0', 'ed25519');
    const state = emptyState('tuf-1.0');
    const init = propose(
      state,
      { kind: 'init', rootKeys: rootKeys.map((k) => k.key), rootThreshold: 3, targetsKeys: [tk.key], snapshotKeys: [sn.key], timestampKeys: [ts.key], offlineRoles: ['snapshot', 'timestamp'] },
      env,
    );
    const sigs = signWith(init, [...rootKeys, tk, sn, ts]);
    const { files } = finalize(init, sigs, env);
    // add a delegation with a path pattern and a target, to cover delegations and targets in the cross-check
    const next = publish(state, init, sigs, { snapshot: sn, timestamp: ts });
    const alice = await makeKey('tuf-1.0', 'ecdsa-p256', 'alice');
    const add = propose(next, { kind: 'add-signer', name: 'alice', keys: [alice.key], paths: ['alice/*'], threshold: 1, terminating: true, offlineRoles: ['snapshot', 'timestamp'] }, env);
    const addFiles = finalize(add, signWith(add, [tk, alice, sn, ts]), env).files;

    const keys: Record<string, JsonObject> = {};
    for (const k of [...rootKeys, tk, sn, ts, alice]) keys[k.key.keyid] = k.key.keyObject;
    const input = { files: {} as Record<string, string>, payloads: {} as Record<string, string>, keys };
    for (const [tag, set, proposal] of [['init', files, init], ['add', addFiles, add]] as const) {
      for (const [role, bytes] of Object.entries(set)) {
        input.files[`${tag}:${role}`] = toBase64(bytes);
        input.payloads[`${tag}:${role}`] = toBase64(canonicalPayload(proposal.roles.find((r) => r.role === role)!.signed));
      }
    }
    const out = JSON.parse(execFileSync(PYTHON, [SCRIPT], { input: JSON.stringify(input), encoding: 'utf8' })) as {
      results: Record<string, { canonical_equal: boolean; verified: string[]; failed: string[] }>;
      keyid_ok: Record<string, boolean>;
    };
    expect(Object.values(out.keyid_ok).every(Boolean)).toBe(true);
    expect(Object.keys(out.results).sort()).toEqual(['add:alice', 'add:snapshot', 'add:targets', 'add:timestamp', 'init:root', 'init:snapshot', 'init:targets', 'init:timestamp']);
    for (const [role, r] of Object.entries(out.results)) {
      expect(r.failed, role).toEqual([]);
      expect(r.canonical_equal, role).toBe(true);
    }
    expect(out.results['init:root']!.verified).toHaveLength(3);
  });
});
