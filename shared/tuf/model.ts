/**
 * The metadata model for both dialects (`notary-v1`, `tuf-1.0`). Types only; the functions live in:
 *   strict-json.ts     parseJsonBytes(bytes, opts) -> { value, members }   (size/depth caps, dup keys)
 *   canonical-json.ts  canonicalize(value) -> Uint8Array; isCanonicalRange(bytes, start, end)
 *   metadata.ts        parseMetadata(bytes, opts) -> Envelope<Signed>; detectDialect(); envelopeToJSON()
 *                      parseSigned(json, dialect, opts) -> Signed; signedToJSON(signed) -> JsonObject
 *   keys.ts            computeKeyId(key, crypto); notaryCanonicalKeyId(key, crypto); keyIdMatches()
 *   verify-role.ts     verifyRoleSignatures(envelope, roleKeys, threshold, crypto) -> RoleVerification
 *   crypto.ts          CryptoProvider (injected), resolveSignatureMethod()
 * Every parse failure throws MetadataParseError (bytes/JSON level) or MetadataFormatError (shape),
 * both from shared/errors.ts, with a JSON pointer in `detail.path`.
 */

export type Dialect = 'notary-v1' | 'tuf-1.0';

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export type TopLevelRole = 'root' | 'targets' | 'snapshot' | 'timestamp';
export const TOP_LEVEL_ROLES: readonly TopLevelRole[] = ['root', 'targets', 'snapshot', 'timestamp'];

export interface Key {
  /** The keyid the metadata uses for this key (map key in `keys`). */
  keyid: string;
  keytype: string;
  /** TUF `scheme`; null for Notary keys (they carry no scheme). */
  scheme: string | null;
  /** `keyval.public` as stored. */
  public: string;
  /** TUF `keyid_hash_algorithms` if present (kept: it is part of the keyid hash). */
  keyidHashAlgorithms: string[] | null;
  /** The key object exactly as in the metadata; keyids are computed over this. */
  raw: JsonObject;
}

export interface Role {
  keyids: string[];
  threshold: number;
  /** Fields other than keyids/threshold (e.g. `x-tuf-on-ci-expiry-period`), preserved. */
  unrecognized: JsonObject;
}

export interface DelegatedRole extends Role {
  name: string;
  /** TUF `paths` or Notary `paths` (Notary `""` = everything); null when absent. */
  paths: string[] | null;
  /** TUF `path_hash_prefixes`; null when absent. */
  pathHashPrefixes: string[] | null;
  /** TUF `terminating`; false for Notary (no such field) and when absent. */
  terminating: boolean;
}

export interface Delegations {
  keys: ReadonlyMap<string, Key>;
  /** In file order: order matters for TUF's pre-order search. */
  roles: DelegatedRole[];
  unrecognized: JsonObject;
}

export interface MetaFile {
  /** TUF meta version; Notary meta has none (null). */
  version: number | null;
  length: number | null;
  /** Hashes as stored (Notary: base64, TUF: hex). */
  hashes: Readonly<Record<string, string>> | null;
  /** Hashes as lower-case hex whatever the dialect stores (invalid encodings omitted). */
  hashesHex: Readonly<Record<string, string>> | null;
  unrecognized: JsonObject;
}

export interface TargetFile {
  path: string;
  length: number;
  hashes: Readonly<Record<string, string>>;
  hashesHex: Readonly<Record<string, string>>;
  /** `custom` if present (opaque). */
  custom: JsonValue | undefined;
  unrecognized: JsonObject;
}

interface SignedBase {
  dialect: Dialect;
  /** Value of `_type` as stored (`Root` or `root`, ...). */
  typeField: string;
  version: number;
  /** `expires` as stored. */
  expires: string;
  /** `expires` as epoch milliseconds. */
  expiresAt: number;
  /** True when `expires` is strict TUF form `YYYY-MM-DDTHH:MM:SSZ` (python-tuf accepts only that). */
  expiresStrict: boolean;
  /** TUF `spec_version`; null for Notary. */
  specVersion: string | null;
  /** Top-level fields of `signed` not modelled, preserved for round-trip. */
  unrecognized: JsonObject;
}

export interface Root extends SignedBase {
  type: 'root';
  consistentSnapshot: boolean | null;
  keys: ReadonlyMap<string, Key>;
  roles: ReadonlyMap<TopLevelRole, Role>;
}

export interface Targets extends SignedBase {
  type: 'targets';
  targets: ReadonlyMap<string, TargetFile>;
  delegations: Delegations | null;
}

export interface Snapshot extends SignedBase {
  type: 'snapshot';
  /** Keys as stored: TUF `targets.json`, Notary `targets`, `targets/releases`, `root`. */
  meta: ReadonlyMap<string, MetaFile>;
}

export interface Timestamp extends SignedBase {
  type: 'timestamp';
  meta: ReadonlyMap<string, MetaFile>;
}

export type Signed = Root | Targets | Snapshot | Timestamp;
export type SignedType = Signed['type'];

export interface Signature {
  keyid: string;
  /** `sig` as stored (TUF hex, Notary base64). */
  sig: string;
  /** Notary `method`, lower-cased; null when absent (TUF). */
  method: string | null;
  /** Decoded signature bytes, or null when `sig` is not valid hex/base64. */
  sigBytes: Uint8Array | null;
  unrecognized: JsonObject;
  /** The signature object exactly as in the file. */
  raw: JsonObject;
}

/** A byte range [start, end) inside `Envelope.bytes`. */
export interface ByteRange {
  start: number;
  end: number;
}

export interface Envelope<T extends Signed = Signed> {
  dialect: Dialect;
  signed: T;
  /** The parsed `signed` object exactly as in the file (what gets canonicalised for verification). */
  signedJson: JsonObject;
  signatures: Signature[];
  /** The exact file bytes. */
  bytes: Uint8Array;
  /** Byte range of the `signed` value inside `bytes` (for the canonical-bytes fast path). */
  signedRange: ByteRange;
  /**
   * Whether `bytes[signedRange]` is already canonical JSON, when the parser's pre-scan found out
   * (saves a second pass over a large file); absent: verify-role checks the range itself.
   */
  signedCanonical?: boolean;
  /** Top-level envelope fields other than signed/signatures, preserved. */
  unrecognized: JsonObject;
}

export interface ParseMetadataOptions {
  /** Size cap checked before parsing. Default 100 MiB (DEFAULT_MAX_BYTES). */
  maxBytes?: number;
  /** Nesting cap. Default 64. */
  maxDepth?: number;
  /** Expected role type; a different `_type` is a MetadataFormatError. */
  expectedType?: SignedType;
  /** Force a dialect instead of detecting it from `_type`. */
  dialect?: Dialect;
  /** Reject TUF `expires` that is not `YYYY-MM-DDTHH:MM:SSZ` (authoring). Default false (inspection). */
  strictExpires?: boolean;
}

export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;
export const DEFAULT_MAX_ROOT_BYTES = 512 * 1024;
export const DEFAULT_MAX_DEPTH = 64;

/** Result of verifying one role's signatures over an envelope. */
export interface RoleVerification {
  /** Distinct public keys (by normalised identity) of the role whose signature verified. */
  valid: number;
  threshold: number;
  /** Keyids that contributed a valid signature (one per distinct public key). */
  signers: string[];
  /** Keyids of role keys whose signature did not verify (bad sig, bad key, unsupported method). */
  invalid: string[];
  /** Signature keyids not among the role's keys. */
  unknown: string[];
  /** Keyids that signed more than once, or a second keyid for an already counted public key. */
  duplicates: string[];
  /** Per-signature detail, in signature order. */
  details: SignatureCheck[];
}

export interface SignatureCheck {
  keyid: string;
  status: 'valid' | 'invalid' | 'unknown-key' | 'duplicate' | 'bad-key' | 'unsupported-method' | 'malformed' | 'empty';
  message: string | null;
}
