import { z } from 'zod';

/**
 * The inspection report: the one result of verifying a repository's trust state.
 * It is the `keyrite inspect --json` schema (documented in README, `schemaVersion` 1: fields are
 * only ever added), what the workspace stores per inspection, and what the GUI renders.
 * Public data only: no private key material ever appears here.
 */

export const Dialect = z.enum(['notary-v1', 'tuf-1.0']);
export type Dialect = z.infer<typeof Dialect>;

export const Severity = z.enum(['error', 'warning', 'info']);
export type Severity = z.infer<typeof Severity>;

/** Stable finding codes. Never rename one; add new codes at the end. */
export const FindingCode = z.enum([
  'EXPIRED', // a role's metadata (or the root chain's newest root) is past `expires` at the evaluation time
  'EXPIRING_SOON', // expires within the warn window (--warn-days)
  'THRESHOLD_UNMET', // fewer valid signatures from distinct keys than the role's threshold
  'INVALID_SIGNATURE', // a signature by a known key of the role does not verify
  'KEYID_MISMATCH', // keyid != sha256(canonical(key))
  'UNKNOWN_SIGNER', // a signature whose keyid is not a key of the role
  'DUPLICATE_SIGNATURE', // the same keyid (or the same public key) signed more than once
  'ROLLBACK', // a version is lower than the workspace's trusted state
  'ROOT_CHANGED', // the root differs from the trusted one (rotation seen)
  'ROOT_CHAIN_BROKEN', // a step N -> N+1 of the root history fails §5.3
  'SNAPSHOT_MISMATCH', // snapshot meta disagrees with a targets/delegation file (version, hash, length, missing)
  'TIMESTAMP_MISMATCH', // timestamp meta disagrees with the snapshot file
  'MISSING_ROLE', // a role the metadata references is absent
  'MALFORMED_ROLE', // a non-root role file fails to parse or is structurally invalid
  'WEAK_KEY', // RSA < 2048 bits, or another weak algorithm
  'CERT_CN_MISMATCH', // Notary root cert CN != GUN
  'CERT_EXPIRED', // x509 certificate outside its validity window
  'CERT_EXPIRING', // x509 certificate expires within 6 months
  'CERT_INVALID', // certificate unparsable, SHA-1, not self-signed where required, etc.
  'DELEGATION_CYCLE', // a delegation graph cycle
  'SHADOWED_PATHS', // a delegation can never be reached for some paths (earlier terminating role covers them)
  'UNUSED_KEY', // a key listed but referenced by no role
  'DELEGATION_PATH_OUTSIDE_PARENT', // a delegation claims paths its parent may not delegate
  'TARGET_PATH_UNSAFE', // a target path with `..`, absolute, backslash or drive letter
  'LIMIT_EXCEEDED', // a work cap was hit (roles visited, signatures or keys per file, root rotations)
]);
export type FindingCode = z.infer<typeof FindingCode>;

export const Finding = z.strictObject({
  code: FindingCode,
  severity: Severity,
  /** Role the finding is about, e.g. `targets/releases`. */
  role: z.string().optional(),
  keyid: z.string().optional(),
  message: z.string(),
  detail: z.string().optional(),
});
export type Finding = z.infer<typeof Finding>;

export const KeyLocation = z.strictObject({
  kind: z.enum(['server', 'file', 'token', 'offline', 'unknown']),
  /** e.g. `~/.docker/trust/private/<id>.key`, `notary-server`, `token 12345678 slot 9c`. */
  detail: z.string().optional(),
});

export const CertView = z.strictObject({
  subjectCN: z.string(),
  issuerCN: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  selfSigned: z.boolean(),
  signatureAlgorithm: z.string(),
  serialNumber: z.string(),
});

export const KeyView = z.strictObject({
  /** The keyid as the metadata names it (for Notary root keys: the cert key ID). */
  id: z.string(),
  /** Notary's canonical key ID (the ID of the plain key from the cert's SPKI), or null. */
  canonicalId: z.string().nullable(),
  keytype: z.string(),
  scheme: z.string(),
  /** Normalised: `ed25519`, `ecdsa-p256`, `ecdsa-p384`, `rsa`, or `unknown`. */
  algorithm: z.string(),
  bits: z.number().int().nullable(),
  roles: z.array(z.string()),
  location: KeyLocation,
  cert: CertView.nullable(),
  /** keyid == sha256(canonical(key)). */
  idMatchesHash: z.boolean(),
  publicKeyPem: z.string().nullable(),
});
export type KeyView = z.infer<typeof KeyView>;

export const RoleKind = z.enum(['root', 'targets', 'snapshot', 'timestamp', 'delegation']);
export type RoleKind = z.infer<typeof RoleKind>;

export const RoleStatus = z.enum(['valid', 'invalid', 'expired', 'missing', 'malformed']);
export type RoleStatus = z.infer<typeof RoleStatus>;

export const RoleView = z.strictObject({
  name: z.string(),
  kind: RoleKind,
  /** Delegating role (null for top-level roles). */
  parent: z.string().nullable(),
  version: z.number().int().nullable(),
  expires: z.string().nullable(),
  threshold: z.number().int(),
  keyids: z.array(z.string()),
  /** Distinct keys whose signature verified / threshold required. */
  validSignatures: z.number().int(),
  requiredSignatures: z.number().int(),
  signers: z.array(z.string()),
  status: RoleStatus,
  paths: z.array(z.string()).nullable(),
  pathHashPrefixes: z.array(z.string()).nullable(),
  terminating: z.boolean().nullable(),
  targetCount: z.number().int(),
  /** Size and SHA-256 (hex) of the role file as read. */
  length: z.number().int().nullable(),
  sha256: z.string().nullable(),
});
export type RoleView = z.infer<typeof RoleView>;

export const TargetView = z.strictObject({
  name: z.string(),
  length: z.number().int(),
  /** Hashes in hex, whatever the dialect stores (Notary stores base64). */
  hashes: z.record(z.string(), z.string()),
  /** The role whose metadata lists it (`targets`, `targets/releases`, ...). */
  role: z.string(),
  /** Human signer names: delegation leaf names for `targets/<name>`, `Repo Admin` for targets. */
  signers: z.array(z.string()),
  custom: z.unknown().optional(),
});
export type TargetView = z.infer<typeof TargetView>;

export const RootStep = z.strictObject({
  version: z.number().int(),
  expires: z.string(),
  threshold: z.number().int(),
  keyids: z.array(z.string()),
  added: z.array(z.string()),
  removed: z.array(z.string()),
  previousThreshold: z.number().int().nullable(),
  /** Valid signatures by the previous root's keys / its threshold (null for the first root). */
  signedByPrevious: z.strictObject({ valid: z.number().int(), required: z.number().int() }).nullable(),
  signedBySelf: z.strictObject({ valid: z.number().int(), required: z.number().int() }),
  ok: z.boolean(),
  errors: z.array(z.string()),
  /** Problems that do not fail §5.3 but strict clients trip on (e.g. keyid != hash of key). */
  warnings: z.array(z.string()).optional(),
});
export type RootStep = z.infer<typeof RootStep>;

export const SourceKind = z.enum(['metadata-dir', 'trust-dir', 'notary-server', 'tuf-dir', 'tuf-url', 'bundle']);
export type SourceKind = z.infer<typeof SourceKind>;

export const PrivateKeyListing = z.strictObject({
  /** Key ID as the file is named (Notary: canonical ID). */
  id: z.string(),
  role: z.string(),
  gun: z.string().nullable(),
  path: z.string(),
  encrypted: z.boolean(),
});

export const InspectionReport = z.strictObject({
  schemaVersion: z.literal(1),
  source: z.strictObject({ kind: SourceKind, location: z.string() }),
  dialect: Dialect,
  /** Notary GUN, or a display name for TUF repositories. */
  name: z.string(),
  evaluatedAt: z.string(),
  health: z.enum(['healthy', 'warning', 'error']),
  roles: z.array(RoleView),
  keys: z.array(KeyView),
  targets: z.array(TargetView),
  /** Trusted targets in total, present only when `targets` holds fewer (InspectOptions.maxTargetRows). */
  targetsTotal: z.number().int().optional(),
  rootHistory: z.array(RootStep),
  findings: z.array(Finding),
  /** Private keys found beside the metadata (trust dirs): listed, never decrypted. */
  privateKeys: z.array(PrivateKeyListing),
  stats: z.strictObject({
    files: z.number().int(),
    bytes: z.number().int(),
    signaturesVerified: z.number().int(),
    /** Delegated role files not verified again: unchanged since a clean verification (trusted state). */
    skippedUnchanged: z.number().int().optional(),
    durationMs: z.number(),
  }),
});
export type InspectionReport = z.infer<typeof InspectionReport>;
