import type { Envelope, JsonObject, TargetFile, Targets } from './model';
import { parseJsonBytes } from './strict-json';
import { scanCanonicalTargets, type ScannedTargets } from './targets-scan';

/** Target columns as the byte scanner returns them (hashes are lower-case hex, as stored). */
export interface TargetColumnsView {
  readonly paths: readonly string[];
  readonly lengths: readonly number[];
  readonly hashes: ReadonlyArray<Readonly<Record<string, string>>>;
}

const NO_FIELDS: JsonObject = Object.freeze({});

/**
 * `Targets.targets` backed by the scanner's columns: size and iteration in file order cost no
 * per-target object until a caller asks for one (a 100k-target file otherwise builds 100k
 * TargetFile objects and a 100k-entry Map nobody reads). Entries it hands out equal the strict
 * model's (hashes and hashesHex are the same stored-hex record, no custom, no unknown fields).
 * Code that only needs the columns reads `columns` (targets-table.ts).
 */
export class ScannedTargetMap implements ReadonlyMap<string, TargetFile> {
  private index: Map<string, number> | null = null;

  constructor(readonly columns: TargetColumnsView) {}

  get size(): number {
    return this.columns.paths.length;
  }

  get(key: string): TargetFile | undefined {
    const i = this.indexOf(key);
    return i === undefined ? undefined : this.at(i);
  }

  has(key: string): boolean {
    return this.indexOf(key) !== undefined;
  }

  forEach(callback: (value: TargetFile, key: string, map: ReadonlyMap<string, TargetFile>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.size; i++) callback.call(thisArg, this.at(i), this.columns.paths[i] as string, this);
  }

  *entries(): MapIterator<[string, TargetFile]> {
    for (let i = 0; i < this.size; i++) yield [this.columns.paths[i] as string, this.at(i)];
  }

  *keys(): MapIterator<string> {
    for (let i = 0; i < this.size; i++) yield this.columns.paths[i] as string;
  }

  *values(): MapIterator<TargetFile> {
    for (let i = 0; i < this.size; i++) yield this.at(i);
  }

  [Symbol.iterator](): MapIterator<[string, TargetFile]> {
    return this.entries();
  }

  private at(i: number): TargetFile {
    const hashes = this.columns.hashes[i] as Record<string, string>;
    return { path: this.columns.paths[i] as string, length: this.columns.lengths[i] as number, hashes, hashesHex: hashes, custom: undefined, unrecognized: NO_FIELDS };
  }

  private indexOf(key: string): number | undefined {
    if (this.index === null) {
      // Built on first lookup only (the engine iterates; lookups come from other callers).
      this.index = new Map();
      this.columns.paths.forEach((p, i) => this.index?.set(p, i));
    }
    return this.index.get(key);
  }
}

/**
 * parseMetadata for a TUF 1.0 targets file, through the canonical byte scanner when the file is in
 * the shape it handles (else null: the caller parses strictly, which gives the precise result or
 * error). The model equals parseMetadata's (test/unit/shared/tuf/targets-scan-model.spec.ts);
 * `signedJson` is parsed lazily on first read (nothing in the inspection engine reads it: the
 * signed message is the canonical byte range, `signedCanonical` is true).
 */
export function parseTargetsScanned(bytes: Uint8Array, options: { maxBytes?: number } = {}): Envelope<Targets> | null {
  const scanned = scanCanonicalTargets(bytes, { wantHashes: true, ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }) });
  return scanned === null ? null : envelopeFromScan(bytes, scanned);
}

export function envelopeFromScan(bytes: Uint8Array, scanned: ScannedTargets): Envelope<Targets> {
  const columns: TargetColumnsView = { paths: scanned.paths, lengths: scanned.lengths, hashes: scanned.hashes ?? scanned.paths.map(() => ({})) };
  const signed: Targets = {
    dialect: 'tuf-1.0',
    type: 'targets',
    typeField: 'targets',
    version: scanned.version,
    expires: scanned.expires,
    expiresAt: scanned.expiresAt,
    expiresStrict: scanned.expiresStrict,
    specVersion: scanned.specVersion,
    unrecognized: {},
    targets: new ScannedTargetMap(columns),
    delegations: scanned.emptyDelegations ? { keys: new Map(), roles: [], unrecognized: {} } : null,
  };
  let signedJson: JsonObject | null = null;
  const envelope = {
    dialect: 'tuf-1.0' as const,
    signed,
    signatures: scanned.signatures,
    bytes,
    signedRange: scanned.signedRange,
    signedCanonical: true,
    unrecognized: {},
  };
  Object.defineProperty(envelope, 'signedJson', {
    enumerable: true,
    get(): JsonObject {
      signedJson ??= parseJsonBytes(bytes.subarray(scanned.signedRange.start, scanned.signedRange.end)).value as JsonObject;
      return signedJson;
    },
  });
  return envelope as Envelope<Targets>;
}
