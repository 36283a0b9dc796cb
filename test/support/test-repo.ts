import { promises as fsp } from 'node:fs';
import path from 'node:path';
import type { RepositoryInput } from '../../shared/inspection/input';
import type { Dialect, JsonObject } from '../../shared/tuf/model';
import { encodeEnvelope, fileMeta, signWith, type FileFormat } from './repo-envelope';
import type { TestKey } from './test-keys';

/** A built test repository: role states that re-encode to bytes on demand, plus tamper hooks. */

export interface RoleState {
  name: string;
  signed: JsonObject;
  signatures: JsonObject[];
  /** Keys that sign this role. */
  keys: TestKey[];
  /** Bytes override (malformed-file tests); null = encode from signed + signatures. */
  rawBytes: Uint8Array | null;
}

export class TestRepo {
  readonly roles = new Map<string, RoleState>();
  /** Root versions (1..N) as signed envelopes. */
  readonly rootHistory = new Map<number, RoleState>();
  readonly targetFiles = new Map<string, Uint8Array>();

  constructor(
    readonly dialect: Dialect,
    readonly gun: string,
    readonly format: FileFormat,
    readonly consistentSnapshot: boolean,
    readonly snapshotHashes: boolean,
  ) {}

  role(name: string): RoleState {
    const r = this.roles.get(name);
    if (!r) throw new Error(`no role ${name} in the test repo`);
    return r;
  }

  /** Keys that sign `name` (top-level or delegated). */
  keysOf(name: string): TestKey[] {
    return this.role(name).keys;
  }

  bytes(name: string): Uint8Array {
    const r = this.role(name);
    return r.rawBytes ?? encodeEnvelope(this.dialect, r.signed, r.signatures, this.format);
  }

  rootBytes(version: number): Uint8Array {
    const r = this.rootHistory.get(version);
    if (!r) throw new Error(`no root v${version}`);
    return r.rawBytes ?? encodeEnvelope(this.dialect, r.signed, r.signatures, this.format);
  }

  /** Targets-like role names other than `targets`, in creation order. */
  get delegatedRoles(): string[] {
    return [...this.roles.keys()].filter((n) => !['root', 'targets', 'snapshot', 'timestamp'].includes(n));
  }

  /** Change `signed` after signing: signatures stay, so they no longer verify. */
  tamperSigned(name: string, mutate: (signed: JsonObject) => void): this {
    mutate(this.role(name).signed);
    return this;
  }

  /** Replace the signature list (drop, duplicate, reorder, corrupt). */
  editSignatures(name: string, edit: (sigs: JsonObject[]) => JsonObject[]): this {
    const r = this.role(name);
    r.signatures = edit(r.signatures.map((s) => ({ ...s })));
    return this;
  }

  /** Serve these exact bytes for a role (malformed JSON, size caps...). */
  setRawBytes(name: string, bytes: Uint8Array | string): this {
    this.role(name).rawBytes = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    return this;
  }

  /**
   * Apply `mutate`, bump the version (default) and re-sign with the role's keys (or `keys`). With
   * `cascade` (default), snapshot and timestamp are refreshed so the repository stays consistent.
   */
  resign(name: string, mutate: (signed: JsonObject) => void = () => {}, options: { bumpVersion?: boolean; keys?: TestKey[]; cascade?: boolean } = {}): this {
    const r = this.role(name);
    mutate(r.signed);
    if (options.bumpVersion ?? true) r.signed['version'] = (r.signed['version'] as number) + 1;
    if (options.keys) r.keys = options.keys;
    r.signatures = signWith(r.signed, r.keys);
    r.rawBytes = null;
    if (name === 'root') this.rootHistory.set(r.signed['version'] as number, { ...r, signatures: [...r.signatures] });
    if (options.cascade ?? true) {
      if (name !== 'snapshot' && name !== 'timestamp') this.refreshSnapshot();
      if (name !== 'timestamp') this.refreshTimestamp();
    }
    return this;
  }

  /** Recompute snapshot meta from the current role files and re-sign snapshot (version + 1). */
  refreshSnapshot(): void {
    const snap = this.role('snapshot');
    snap.signed['meta'] = this.snapshotMeta();
    snap.signed['version'] = (snap.signed['version'] as number) + 1;
    snap.signatures = signWith(snap.signed, snap.keys);
    snap.rawBytes = null;
  }

  refreshTimestamp(): void {
    const ts = this.role('timestamp');
    ts.signed['meta'] = this.timestampMeta();
    ts.signed['version'] = (ts.signed['version'] as number) + 1;
    ts.signatures = signWith(ts.signed, ts.keys);
    ts.rawBytes = null;
  }

  snapshotMeta(): JsonObject {
    const meta: JsonObject = {};
    const names = ['targets', ...this.delegatedRoles];
    if (this.dialect === 'notary-v1') {
      meta['root'] = fileMeta(this.bytes('root'), this.dialect);
      for (const n of names) meta[n] = fileMeta(this.bytes(n), this.dialect);
      return meta;
    }
    for (const n of names) {
      const version = this.role(n).signed['version'] as number;
      meta[`${n}.json`] = this.snapshotHashes ? { version, ...fileMeta(this.bytes(n), this.dialect, false) } : { version };
    }
    return meta;
  }

  timestampMeta(): JsonObject {
    const bytes = this.bytes('snapshot');
    if (this.dialect === 'notary-v1') return { snapshot: fileMeta(bytes, this.dialect) };
    const version = this.role('snapshot').signed['version'] as number;
    return { 'snapshot.json': { version, ...fileMeta(bytes, this.dialect, false) } };
  }

  /** Files of the metadata directory, by path relative to it. */
  metadataFiles(): Map<string, Uint8Array> {
    const files = new Map<string, Uint8Array>();
    for (const name of this.roles.keys()) files.set(`${name}.json`, this.bytes(name));
    if (this.dialect === 'tuf-1.0' || this.rootHistory.size > 1) {
      for (const v of this.rootHistory.keys()) files.set(`${v}.root.json`, this.rootBytes(v));
    }
    if (this.dialect === 'tuf-1.0' && this.consistentSnapshot) {
      for (const name of this.roles.keys()) {
        if (name === 'root' || name === 'timestamp') continue;
        files.set(`${this.role(name).signed['version'] as number}.${name}.json`, this.bytes(name));
      }
    }
    return files;
  }

  /** The engine's input, as a source loader would produce it. */
  toRepositoryInput(location = `test://${this.gun}`): RepositoryInput {
    const files = new Map<string, Uint8Array>();
    for (const name of this.roles.keys()) files.set(name, this.bytes(name));
    const rootHistory = new Map<number, Uint8Array>();
    if (this.dialect === 'tuf-1.0' || this.rootHistory.size > 1) {
      for (const v of this.rootHistory.keys()) rootHistory.set(v, this.rootBytes(v));
    }
    return {
      source: { kind: this.dialect === 'tuf-1.0' ? 'tuf-dir' : 'metadata-dir', location },
      dialect: this.dialect,
      name: this.gun,
      files,
      rootHistory,
    };
  }

  /** TUF: `dir/metadata/*` and `dir/targets/*`; Notary: the metadata directory itself (`<role>.json`). */
  async writeTo(dir: string): Promise<void> {
    const metaDir = this.dialect === 'tuf-1.0' ? path.join(dir, 'metadata') : dir;
    for (const [rel, bytes] of this.metadataFiles()) await writeFile(path.join(metaDir, rel), bytes);
    if (this.dialect === 'tuf-1.0') {
      for (const [rel, bytes] of this.targetFiles) await writeFile(path.join(dir, 'targets', rel), bytes);
    }
  }
}

async function writeFile(file: string, bytes: Uint8Array): Promise<void> {
  await fsp.mkdir(path.dirname(file), { recursive: true });
  await fsp.writeFile(file, bytes);
}
