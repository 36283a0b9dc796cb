import type { MetaFile, Snapshot, Timestamp } from '../tuf/model';
import type { InspectContext } from './context';
import type { PreverifiedRole } from './preverified';
import { hex, type LoadedRole } from './roles';

/** A pre-verified file's digest; the pre-verifier computed SHA-512 when the snapshot uses it. */
function factsDigest(facts: PreverifiedRole): FileDigest {
  const need = (value: string | null, alg: string): string => {
    if (value === null) throw new Error(`pre-verified facts for ${facts.name} lack its ${alg}`);
    return value;
  };
  return { length: facts.length ?? 0, sha256: () => need(facts.sha256, 'sha256'), sha512: () => need(facts.sha512, 'sha512') };
}

/** The name a role goes by inside snapshot/timestamp `meta`: TUF `x.json`, Notary `x`. */
export function metaKey(ctx: InspectContext, role: string): string {
  return ctx.dialect === 'tuf-1.0' ? `${role}.json` : role;
}

/**
 * Compare one `meta` entry with the file it describes; returns the disagreements. `sha256Hex` is the
 * file's SHA-256 when the caller already computed it (a role's `sha256`), so it is not hashed twice.
 */
export function compareMeta(ctx: InspectContext, meta: MetaFile, bytes: Uint8Array, version: number | null, sha256Hex: string | null = null): string[] {
  return compareMetaDigest(meta, { length: bytes.length, sha256: () => sha256Hex ?? hex(ctx.crypto.sha256(bytes)), sha512: () => hex(ctx.crypto.sha512(bytes)) }, version);
}

/** What compareMeta needs of a file: its length and (lazily) its hashes. */
export interface FileDigest {
  length: number;
  sha256: () => string;
  sha512: () => string;
}

export function compareMetaDigest(meta: MetaFile, file: FileDigest, version: number | null): string[] {
  const problems: string[] = [];
  if (meta.version !== null && version !== null && meta.version !== version) {
    problems.push(`version ${meta.version} is listed but the file is version ${version}`);
  }
  if (meta.length !== null && meta.length !== file.length) {
    problems.push(`length ${meta.length} is listed but the file is ${file.length} bytes`);
  }
  const hashes = meta.hashesHex ?? {};
  for (const [alg, expected] of Object.entries(hashes)) {
    let actual: string | null = null;
    if (alg === 'sha256') actual = file.sha256();
    else if (alg === 'sha512') actual = file.sha512();
    if (actual !== null && actual !== expected.toLowerCase()) {
      problems.push(`${alg} ${expected.slice(0, 16)}… is listed but the file hashes to ${actual.slice(0, 16)}…`);
    }
  }
  if (meta.hashes !== null && meta.hashesHex !== null && Object.keys(meta.hashes).length > Object.keys(meta.hashesHex).length) {
    problems.push('a listed hash is not valid hex/base64');
  }
  return problems;
}

/** timestamp -> snapshot: version (TUF), length and hashes of the snapshot file. */
export function checkTimestamp(ctx: InspectContext, timestamp: LoadedRole, snapshot: LoadedRole): void {
  const ts = timestamp.envelope?.signed as Timestamp | undefined;
  if (ts === undefined || !timestamp.trusted) return;
  const key = metaKey(ctx, 'snapshot');
  const meta = ts.meta.get(key);
  if (meta === undefined) {
    ctx.findings.error('TIMESTAMP_MISMATCH', `timestamp has no "${key}" entry.`, { role: 'timestamp' });
    return;
  }
  if (snapshot.bytes === null) return;
  const problems = compareMeta(ctx, meta, snapshot.bytes, snapshot.envelope?.signed.version ?? null, snapshot.sha256);
  for (const p of problems) ctx.findings.error('TIMESTAMP_MISMATCH', `timestamp's snapshot entry disagrees with snapshot: ${p}.`, { role: 'snapshot' });
}

/**
 * snapshot -> targets and every delegated role file present: entry present, version (TUF),
 * hashes and length when listed. Notary's snapshot also lists root; TUF 1.0's no longer does.
 */
export function checkSnapshot(ctx: InspectContext, snapshot: LoadedRole, roles: readonly LoadedRole[], rootBytes: Uint8Array): void {
  const snap = snapshot.envelope?.signed as Snapshot | undefined;
  if (snap === undefined || !snapshot.trusted) return;
  for (const role of roles) {
    const facts = role.facts;
    if (role.bytes === null && (facts === null || facts.length === null)) continue;
    const key = metaKey(ctx, role.name);
    const meta = snap.meta.get(key);
    if (meta === undefined) {
      ctx.findings.error('SNAPSHOT_MISMATCH', `snapshot has no entry for ${role.name}, so its version cannot be trusted.`, { role: role.name });
      continue;
    }
    const problems =
      role.bytes !== null
        ? compareMeta(ctx, meta, role.bytes, role.envelope?.signed.version ?? null, role.sha256)
        : compareMetaDigest(meta, factsDigest(facts as PreverifiedRole), facts?.signed?.version ?? null);
    for (const p of problems) ctx.findings.error('SNAPSHOT_MISMATCH', `snapshot's entry for ${role.name} disagrees with the file: ${p}.`, { role: role.name });
  }
  if (ctx.dialect === 'notary-v1') {
    const meta = snap.meta.get('root');
    if (meta !== undefined) {
      for (const p of compareMeta(ctx, meta, rootBytes, null)) {
        ctx.findings.error('SNAPSHOT_MISMATCH', `snapshot's entry for root disagrees with root.json: ${p}.`, { role: 'root' });
      }
    }
  }
  // Entries naming role files we do not have at all.
  const known = new Set(roles.map((r) => metaKey(ctx, r.name)));
  known.add(metaKey(ctx, 'root'));
  for (const key of snap.meta.keys()) {
    if (known.has(key)) continue;
    const name = ctx.dialect === 'tuf-1.0' && key.endsWith('.json') ? key.slice(0, -5) : key;
    if (ctx.input.files.has(name) || ctx.input.preverified?.has(name)) continue;
    ctx.findings.warning('MISSING_ROLE', `snapshot lists ${name}, but no such role file was found.`, { role: name });
  }
  // Versions recorded in the trusted snapshot never go down (§5.5.5).
  const trustedVersions = ctx.options.trusted?.versions ?? {};
  for (const [key, meta] of snap.meta) {
    const name = ctx.dialect === 'tuf-1.0' && key.endsWith('.json') ? key.slice(0, -5) : key;
    const trusted = trustedVersions[name];
    if (meta.version !== null && trusted !== undefined && meta.version < trusted) {
      ctx.findings.error('ROLLBACK', `snapshot lists ${name} version ${meta.version}, lower than the trusted version ${trusted}.`, { role: name });
    }
  }
}
