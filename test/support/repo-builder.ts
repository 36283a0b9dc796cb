import type { Dialect, JsonObject } from '../../shared/tuf/model';
import { fileMeta, formatExpires, signWith, type FileFormat } from './repo-envelope';
import { generateKey, generateNotaryRootKey, type TestKey, type TestKeyAlgorithm } from './test-keys';
import { TestRepo, type RoleState } from './test-repo';

export { TestRepo, type RoleState } from './test-repo';

/**
 * Build signed TUF 1.0 or Notary v1 repositories in memory for tests and benchmarks, then tamper
 * with them (mutate `signed` after signing, drop/duplicate signatures, override bytes).
 *
 *   const repo = await buildTufRepo({ rootKeys: 3, rootThreshold: 2, targets: { 'a.txt': 'hello' } });
 *   repo.tamperSigned('targets', (s) => { s['version'] = 9; });   // signature now invalid
 *   await writeRepo(dir, repo);                                    // metadata/ + targets/
 *   const input = repo.toRepositoryInput();                        // engine input
 */

export type TopRole = 'root' | 'targets' | 'snapshot' | 'timestamp';
type KeySpec = number | TestKey[];

export interface DelegationSpec {
  /** TUF: any name; Notary: `targets/<x>`. */
  name: string;
  /** Delegating role, default `targets`. */
  parent?: string | undefined;
  keys?: KeySpec | undefined;
  threshold?: number | undefined;
  /** Default TUF `['*']`, Notary `['']` (everything). Set null for TUF path_hash_prefixes roles. */
  paths?: string[] | null | undefined;
  pathHashPrefixes?: string[] | undefined;
  terminating?: boolean | undefined;
  targets?: Record<string, string | Uint8Array> | undefined;
  /** Notary: delegation keys as `*-x509` certificates (CN = delegation name), like `notary delegation add`. */
  x509?: boolean | undefined;
}

export interface RootRotationSpec {
  /** New root key set (number = fresh keys). Default: keep the current keys. */
  rootKeys?: KeySpec | undefined;
  threshold?: number | undefined;
  /** Give these roles fresh keys in this root. */
  rotate?: Array<'targets' | 'snapshot' | 'timestamp'> | undefined;
  /** Keys that sign the new root: both sets (spec), only the old, or only the new. */
  signWith?: 'both' | 'old' | 'new' | undefined;
}

export interface BuildOptions {
  /** Notary GUN (root cert CN), default `example.com/test/repo`. */
  gun?: string | undefined;
  keyAlgorithm?: TestKeyAlgorithm | undefined;
  rootKeys?: KeySpec | undefined;
  rootThreshold?: number | undefined;
  roleKeys?: Partial<Record<'targets' | 'snapshot' | 'timestamp', KeySpec>> | undefined;
  thresholds?: Partial<Record<'targets' | 'snapshot' | 'timestamp', number>> | undefined;
  targets?: Record<string, string | Uint8Array> | undefined;
  delegations?: DelegationSpec[] | undefined;
  /** One date for every role, or per role name (default now + 365 days). */
  expires?: Date | Record<string, Date> | undefined;
  rootRotations?: RootRotationSpec[] | undefined;
  /** TUF only, default true. */
  consistentSnapshot?: boolean | undefined;
  /** TUF file format (default python-tuf `pretty`). */
  format?: FileFormat | undefined;
  /** Starting versions of non-root roles (default 1). */
  versions?: Record<string, number> | undefined;
  specVersion?: string | undefined;
  /** TUF: put length + hashes in snapshot meta too (python-tuf default: version only). */
  snapshotHashes?: boolean | undefined;
}

const DAY = 86_400_000;

export const REPO_DEFAULTS = { gun: 'example.com/test/repo', expiresInMs: 365 * DAY };

export async function writeRepo(dir: string, repo: TestRepo): Promise<void> {
  await repo.writeTo(dir);
}

export function buildTufRepo(options: BuildOptions = {}): Promise<TestRepo> {
  return buildRepo('tuf-1.0', options);
}

export function buildNotaryRepo(options: BuildOptions = {}): Promise<TestRepo> {
  return buildRepo('notary-v1', options);
}

const NON_ROOT = ['targets', 'snapshot', 'timestamp'] as const;
type NonRoot = (typeof NON_ROOT)[number];

function uniqueKeys(keys: TestKey[]): TestKey[] {
  const seen = new Set<string>();
  return keys.filter((k) => !seen.has(k.keyid) && seen.add(k.keyid));
}

export async function buildRepo(dialect: Dialect, o: BuildOptions = {}): Promise<TestRepo> {
  const tuf = dialect === 'tuf-1.0';
  const gun = o.gun ?? REPO_DEFAULTS.gun;
  const alg = o.keyAlgorithm ?? (tuf ? 'ed25519' : 'ecdsa-p256');
  const now = Date.now();
  const repo = new TestRepo(dialect, gun, o.format ?? 'pretty', tuf && (o.consistentSnapshot ?? true), o.snapshotHashes ?? false);

  const makeKeys = async (spec: KeySpec | undefined, root: boolean, certName: string = gun): Promise<TestKey[]> => {
    if (Array.isArray(spec)) return spec;
    const out: TestKey[] = [];
    for (let i = 0; i < (spec ?? 1); i++) {
      // Notary root keys are always certificates (CN = GUN); ed25519 cannot be one.
      out.push(root && !tuf ? await generateNotaryRootKey(alg === 'rsa' ? 'rsa' : 'ecdsa-p256', { commonName: certName }) : generateKey(dialect, alg));
    }
    return out;
  };
  const common = (type: string, name: string, version: number): JsonObject => {
    const e = o.expires;
    const date = e instanceof Date ? e : (e?.[name] ?? new Date(now + REPO_DEFAULTS.expiresInMs));
    const out: JsonObject = { _type: tuf ? type : type[0]!.toUpperCase() + type.slice(1), version, expires: formatExpires(date, dialect) };
    if (tuf) out['spec_version'] = o.specVersion ?? '1.0.31';
    return out;
  };

  // ---- root chain ----
  let rootKeys = await makeKeys(o.rootKeys, true);
  let rootThreshold = o.rootThreshold ?? 1;
  const roleKeys = {} as Record<NonRoot, TestKey[]>;
  for (const r of NON_ROOT) roleKeys[r] = await makeKeys(o.roleKeys?.[r], false);
  const makeRoot = (version: number): JsonObject => {
    const keys: JsonObject = {};
    for (const k of [...rootKeys, ...NON_ROOT.flatMap((r) => roleKeys[r])]) keys[k.keyid] = k.metadata;
    const role = (ks: TestKey[], threshold: number): JsonObject => ({ keyids: ks.map((k) => k.keyid), threshold });
    const roles: JsonObject = { root: role(rootKeys, rootThreshold) };
    for (const r of NON_ROOT) roles[r] = role(roleKeys[r], o.thresholds?.[r] ?? 1);
    return { ...common('root', 'root', version), consistent_snapshot: repo.consistentSnapshot, keys, roles };
  };
  let version = 1;
  const first = makeRoot(1);
  repo.rootHistory.set(1, { name: 'root', signed: first, signatures: signWith(first, rootKeys), keys: rootKeys, rawBytes: null });
  for (const rot of o.rootRotations ?? []) {
    const oldKeys = rootKeys;
    if (rot.rootKeys !== undefined) rootKeys = await makeKeys(rot.rootKeys, true);
    if (rot.threshold !== undefined) rootThreshold = rot.threshold;
    for (const r of rot.rotate ?? []) roleKeys[r] = await makeKeys(roleKeys[r].length, false);
    version++;
    const signed = makeRoot(version);
    const signers = rot.signWith === 'old' ? oldKeys : rot.signWith === 'new' ? rootKeys : uniqueKeys([...oldKeys, ...rootKeys]);
    repo.rootHistory.set(version, { name: 'root', signed, signatures: signWith(signed, signers), keys: rootKeys, rawBytes: null });
  }
  const last = repo.rootHistory.get(version)!;
  repo.roles.set('root', { ...last, signed: structuredClone(last.signed), signatures: last.signatures.map((s) => ({ ...s })) });

  // ---- targets and delegations ----
  const targetsOf = (files: Record<string, string | Uint8Array>): JsonObject => {
    const out: JsonObject = {};
    for (const [p, content] of Object.entries(files)) {
      const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
      repo.targetFiles.set(p, bytes);
      out[p] = fileMeta(bytes, dialect);
    }
    return out;
  };
  const targetsRole = (name: string, files: Record<string, string | Uint8Array>, keys: TestKey[]): RoleState => {
    const signed: JsonObject = { ...common('targets', name, o.versions?.[name] ?? 1), targets: targetsOf(files) };
    // Notary always writes an (empty) delegations object.
    if (!tuf) signed['delegations'] = { keys: {}, roles: [] };
    return { name, signed, signatures: [], keys, rawBytes: null };
  };
  repo.roles.set('targets', targetsRole('targets', o.targets ?? {}, roleKeys.targets));
  for (const d of o.delegations ?? []) {
    const keys = await makeKeys(d.keys, !tuf && d.x509 === true, d.name);
    const parent = repo.role(d.parent ?? 'targets');
    const dl = (parent.signed['delegations'] ??= { keys: {}, roles: [] }) as { keys: JsonObject; roles: JsonObject[] };
    for (const k of keys) dl.keys[k.keyid] = k.metadata;
    const role: JsonObject = { name: d.name, keyids: keys.map((k) => k.keyid), threshold: d.threshold ?? 1 };
    if (!tuf) role['paths'] = d.paths ?? [''];
    else {
      if (d.pathHashPrefixes) role['path_hash_prefixes'] = d.pathHashPrefixes;
      else if (d.paths !== null) role['paths'] = d.paths ?? ['*'];
      role['terminating'] = d.terminating ?? false;
    }
    dl.roles.push(role);
    repo.roles.set(d.name, targetsRole(d.name, d.targets ?? {}, keys));
  }
  for (const name of ['targets', ...repo.delegatedRoles]) {
    const r = repo.role(name);
    r.signatures = signWith(r.signed, r.keys);
  }

  // ---- snapshot and timestamp ----
  const snapshot: RoleState = {
    name: 'snapshot',
    signed: { ...common('snapshot', 'snapshot', o.versions?.['snapshot'] ?? 1), meta: {} },
    signatures: [],
    keys: roleKeys.snapshot,
    rawBytes: null,
  };
  repo.roles.set('snapshot', snapshot);
  snapshot.signed['meta'] = repo.snapshotMeta();
  snapshot.signatures = signWith(snapshot.signed, snapshot.keys);
  const timestamp: RoleState = {
    name: 'timestamp',
    signed: { ...common('timestamp', 'timestamp', o.versions?.['timestamp'] ?? 1), meta: {} },
    signatures: [],
    keys: roleKeys.timestamp,
    rawBytes: null,
  };
  repo.roles.set('timestamp', timestamp);
  timestamp.signed['meta'] = repo.timestampMeta();
  timestamp.signatures = signWith(timestamp.signed, timestamp.keys);
  return repo;
}
