import { randomBytes, sign as nodeSign, type KeyObject } from 'node:crypto';

import { NodeCryptoProvider } from '../../../electron/core/crypto/node-crypto-provider';
import { generateSoftwareKey, spkiDer, type KeyAlgorithm } from '../../../electron/core/keys/software-keys';
import { signWithSoftwareKey } from '../../../electron/core/keys/software-signer';
import {
  assembleCertificate,
  assembleEnvelope,
  buildSnapshot,
  buildTimestamp,
  ceremonyKeyFromSpki,
  finalize,
  keyIdentity,
  type KnownKey,
  metaEntryForBytes,
  metaName,
  notaryRootCertTbs,
  notaryRootKeyFromCert,
  signingTasks,
  verifyIncomingSignature,
  type CeremonyEnv,
  type CeremonyKey,
  type CollectedSignature,
  type Proposal,
  type RepoState,
} from '../../../shared/ceremony';
import { inspect } from '../../../shared/inspection';
import type { InspectionReport } from '../../../shared/inspection/report';
import { canonicalize } from '../../../shared/tuf/canonical-json';
import { fromBase64, toBase64, toHex } from '../../../shared/tuf/encoding';
import type { Dialect, JsonObject } from '../../../shared/tuf/model';

export const crypto = new NodeCryptoProvider();
export const NOW = new Date('2026-11-22T02:00:00Z');
export const env: CeremonyEnv = { crypto, now: NOW };
export const GUN = 'example.com/keyrite/app';

export interface TestKey {
  key: CeremonyKey;
  priv: KeyObject;
}

export async function makeKey(dialect: Dialect, algorithm: KeyAlgorithm = 'ecdsa-p256', holder?: string, tokenSerial?: string): Promise<TestKey> {
  const pair = await generateSoftwareKey(algorithm);
  const der = new Uint8Array(spkiDer(pair.publicKey));
  const key = ceremonyKeyFromSpki(
    dialect,
    {
      algorithm,
      spkiDer: der,
      signer: { kind: 'file', keyId: toHex(crypto.sha256(der)) },
      ...(holder === undefined ? {} : { holder }),
      ...(tokenSerial === undefined ? {} : { tokenSerial }),
    },
    crypto,
  );
  return { key, priv: pair.privateKey };
}

/** A Notary root key: self-signed cert (CN = GUN) minted through the TBS/assemble split. */
export async function makeNotaryRootKey(gun = GUN, holder?: string, tokenSerial?: string): Promise<TestKey & { certPem: string }> {
  const pair = await generateSoftwareKey('ecdsa-p256');
  const der = new Uint8Array(spkiDer(pair.publicKey));
  const tbs = notaryRootCertTbs({
    gun,
    spkiDer: der,
    algorithm: 'ecdsa-p256',
    notBefore: new Date(NOW.getTime() - 60_000),
    notAfter: new Date(NOW.getTime() + 3650 * 86_400_000),
    serial: new Uint8Array(randomBytes(16)),
  });
  // As a PKCS#11 token does: raw r‖s over SHA-256(TBS).
  const raw = nodeSign('sha256', tbs, { key: pair.privateKey, dsaEncoding: 'ieee-p1363' });
  const { pem } = assembleCertificate(tbs, 'ecdsa-p256', new Uint8Array(raw), 'raw');
  const key = notaryRootKeyFromCert(pem, { kind: 'file', keyId: 'x' }, crypto, {
    ...(holder === undefined ? {} : { holder }),
    ...(tokenSerial === undefined ? {} : { tokenSerial }),
  });
  return { key, priv: pair.privateKey, certPem: pem };
}

/** Sign every task a key has in the proposal; each signature verified on arrival. */
export function signWith(proposal: Proposal, keys: readonly TestKey[], collected: CollectedSignature[] = [], roles?: string[]): CollectedSignature[] {
  const out = [...collected];
  for (const k of keys) {
    for (const task of signingTasks(proposal, k.key.keyid, out)) {
      if (roles && !roles.includes(task.role)) continue;
      out.push(verifyIncomingSignature(proposal, sigFor(proposal.dialect, k, task), env));
    }
  }
  return out;
}

export function sigFor(
  dialect: Dialect,
  k: TestKey,
  task: { role: string; version: number; payloadSha256: string; message: Uint8Array },
): Omit<CollectedSignature, 'verifiedAt'> {
  const s = signWithSoftwareKey(k.priv, task.message, dialect);
  return {
    role: task.role,
    version: task.version,
    payloadSha256: task.payloadSha256,
    keyid: k.key.keyid,
    sig: dialect === 'notary-v1' ? toBase64(s.signature) : toHex(s.signature),
    method: dialect === 'notary-v1' ? s.method : null,
    signerLabel: k.key.holder ?? 'test',
  };
}

/** Inventory entries naming test keys (as the workspace inventory names token keys). */
export function knownOf(keys: readonly TestKey[]): KnownKey[] {
  return keys.map((k) => ({
    spkiSha256: keyIdentity(k.key, crypto),
    signer: k.key.signer,
    ...(k.key.holder === undefined ? {} : { holder: k.key.holder }),
    ...(k.key.tokenSerial === undefined ? {} : { tokenSerial: k.key.tokenSerial }),
  }));
}

export function serverKeyObject(k: TestKey): JsonObject {
  return k.key.keyObject;
}

export function emptyState(dialect: Dialect, serverKeys: RepoState['serverKeys'] = {}): RepoState {
  return {
    dialect,
    name: dialect === 'notary-v1' ? GUN : 'test-repo',
    source: dialect === 'notary-v1' ? { kind: 'notary-server', url: 'http://127.0.0.1:4443', gun: GUN } : { kind: 'tuf-dir', path: '/tmp/x' },
    files: {},
    rootHistory: [],
    serverKeys,
    createdAt: NOW.toISOString(),
    nonce: '00112233445566778899aabbccddeeff',
  };
}

export function signEnvelope(dialect: Dialect, signed: JsonObject, keys: readonly TestKey[]): Uint8Array {
  const msg = canonicalize(signed);
  return assembleEnvelope(
    dialect,
    signed,
    keys.map((k) => {
      const s = signWithSoftwareKey(k.priv, msg, dialect);
      return { keyid: k.key.keyid, sig: dialect === 'notary-v1' ? toBase64(s.signature) : toHex(s.signature), method: s.method };
    }),
  );
}

/**
 * Apply a finalized proposal to a state as publish would: the signed files replace the old ones,
 * a new root joins the history; online/server roles are signed here with `onlineKeys`
 * (TUF publisher or Notary server stand-in).
 */
export function publish(state: RepoState, proposal: Proposal, signatures: CollectedSignature[], online: { snapshot: TestKey; timestamp: TestKey }): RepoState {
  const { files, unsigned } = finalize(proposal, signatures, env);
  const next: RepoState = { ...state, files: { ...state.files }, rootHistory: [...state.rootHistory] };
  for (const [role, bytes] of Object.entries(files)) next.files[role] = toBase64(bytes);
  if (files['root']) next.rootHistory.push(toBase64(files['root']));
  const dialect = state.dialect;
  const bytesOf = (role: string): Uint8Array => fromBase64(next.files[role]!)!;
  const version = (role: string): number => (JSON.parse(new TextDecoder().decode(bytesOf(role))) as { signed: { version: number } }).signed.version;
  if (dialect === 'tuf-1.0') {
    if (unsigned['snapshot']) next.files['snapshot'] = toBase64(signEnvelope(dialect, unsigned['snapshot'], [online.snapshot]));
    if (unsigned['timestamp']) next.files['timestamp'] = toBase64(signEnvelope(dialect, unsigned['timestamp'], [online.timestamp]));
    return next;
  }
  // Notary server: snapshot over every role file, then timestamp over the snapshot.
  const meta: Record<string, ReturnType<typeof metaEntryForBytes>> = {};
  for (const role of Object.keys(next.files)) {
    if (role === 'snapshot' || role === 'timestamp') continue;
    meta[metaName(dialect, role)] = metaEntryForBytes(dialect, bytesOf(role), 0, crypto);
  }
  const snapVersion = next.files['snapshot'] ? version('snapshot') + 1 : 1;
  const snap = signEnvelope(dialect, buildSnapshot(dialect, { version: snapVersion, expires: '2029-11-22T00:00:00Z', meta }), [online.snapshot]);
  next.files['snapshot'] = toBase64(snap);
  const tsVersion = next.files['timestamp'] ? version('timestamp') + 1 : 1;
  next.files['timestamp'] = toBase64(
    signEnvelope(dialect, buildTimestamp(dialect, { version: tsVersion, expires: '2026-12-01T00:00:00Z', snapshot: metaEntryForBytes(dialect, snap, snapVersion, crypto) }), [online.timestamp]),
  );
  return next;
}

export function inspectState(state: RepoState, at: Date = new Date(NOW.getTime() + 60_000), trustedRoot?: Uint8Array): InspectionReport {
  const files = new Map<string, Uint8Array>();
  for (const [role, b64] of Object.entries(state.files)) files.set(role, fromBase64(b64)!);
  const rootHistory = new Map<number, Uint8Array>();
  state.rootHistory.forEach((b64, i) => rootHistory.set(i + 1, fromBase64(b64)!));
  return inspect(
    { source: { kind: state.dialect === 'notary-v1' ? 'notary-server' : 'tuf-dir', location: 'test' }, dialect: state.dialect, name: state.name, files, rootHistory },
    { at, warnDays: 0, trusted: trustedRoot ? { rootVersion: 1, rootBytes: trustedRoot, versions: {} } : null },
    crypto,
  );
}

export function errorsOf(report: InspectionReport): string[] {
  return report.findings.filter((f) => f.severity !== 'info').map((f) => `${f.severity} ${f.code}: ${f.message}`);
}
