/**
 * The ceremony hub: the plain-data types every ceremony part shares (the pure engine in
 * shared/ceremony, the journal and bundles in electron/core, pull/publish, the CLI and the GUI).
 * Plain data only (JSON-safe: bytes as base64, digests as lower-case hex) so a value can be
 * journalled, put in a bundle and sent over IPC unchanged. Extend by adding fields; never rename.
 */
import type { Dialect, JsonObject } from '../tuf/model';

export type CeremonyKind =
  | 'init'
  | 'rotate-root'
  | 'rotate-key'
  | 'add-signer'
  | 'remove-signer'
  | 'recover'
  | 'refresh'
  | 'sign-targets';

/** Where a repository's state came from (and where a publish goes back to). */
export type RepoSource =
  | { kind: 'notary-server'; url: string; gun: string }
  | { kind: 'tuf-url'; url: string }
  | { kind: 'tuf-dir'; path: string };

/**
 * A repository as pulled on the online side: the content of a request bundle and the input of
 * every ceremony. For a new repository `files` and `rootHistory` are empty.
 */
export interface RepoState {
  dialect: Dialect;
  /** Notary GUN, or a TUF repository's display name. */
  name: string;
  source: RepoSource;
  /**
   * Current metadata bytes (base64) by role name: `root`, `targets`, `snapshot`, `timestamp`,
   * and delegated roles by their name (`targets/releases`, TUF `alice`).
   */
  files: Record<string, string>;
  /** Every root from version 1 (index 0) to the current one, exact bytes, base64. */
  rootHistory: string[];
  /**
   * Public keys of roles the server signs (Notary: GET /v2/<gun>/_trust/tuf/<role>.key), as the
   * key object that goes into root.json (Notary `{keytype, keyval:{public, private:null}}`).
   */
  serverKeys: { timestamp?: JsonObject; snapshot?: JsonObject };
  /** Target changes the online side asks the ceremony to sign (sign-targets). */
  targetChanges?: TargetChange[];
  /** ISO time of the pull, and a random nonce (hex) that ties signed bundles to this request. */
  createdAt: string;
  nonce: string;
}

export interface TargetChange {
  /** `targets` or a delegated role name. */
  role: string;
  action: 'add' | 'remove';
  path: string;
  length?: number;
  /** Hash algorithm → lower-case hex. */
  hashes?: Record<string, string>;
  custom?: JsonObject;
}

/** How Keyrite reaches a private key (never the key itself). */
export type SignerRef =
  | { kind: 'token'; tokenSerial: string; ckaId: string; spkiSha256: string }
  | { kind: 'file'; keyId: string }
  /** Someone else's key: only the public key is known here; it signs in another sitting. */
  | { kind: 'external' };

/** A public key as a ceremony uses it. */
export interface CeremonyKey {
  /** The keyid in the repository's dialect (map key in `keys`). */
  keyid: string;
  /** The key object exactly as it goes into (or came from) the metadata. */
  keyObject: JsonObject;
  /** SPKI PEM of the public key (for Notary ecdsa-x509, of the certificate's key). */
  publicKeyPem: string;
  algorithm: 'ed25519' | 'ecdsa-p256' | 'ecdsa-p384' | 'rsa';
  signer: SignerRef;
  /** From the inventory, shown wherever the key is named (people read serials and names, not keyids). */
  holder?: string;
  tokenSerial?: string;
  label?: string;
}

export interface ThresholdRequirement {
  /** e.g. "root v3 (current)", "root v4 (new)", "targets (delegated by root v4)". */
  label: string;
  keyids: string[];
  threshold: number;
}

/** One role's new metadata as proposed: what gets signed. */
export interface RoleProposal {
  role: string;
  version: number;
  expires: string;
  /** The `signed` body. */
  signed: JsonObject;
  /** SHA-256 (hex) of canonical(signed): the bytes every signature covers (journal, equivocation guard). */
  payloadSha256: string;
  /** All must be met: a new root needs the old root's threshold AND its own. */
  requirements: ThresholdRequirement[];
  /** `offline`: signed in this ceremony; `online`: with an online key at publish; `server`: by the Notary server. */
  signing: 'offline' | 'online' | 'server';
}

export interface CollectedSignature {
  role: string;
  version: number;
  payloadSha256: string;
  keyid: string;
  /** Dialect encoding: TUF hex (DER for ECDSA), Notary base64 (raw r‖s for ECDSA). */
  sig: string;
  /** Notary `method` (`ecdsa`, `ed25519`, `rsapss`); null for TUF. */
  method: string | null;
  /** Who signed: holder / token serial, for the transcript. */
  signerLabel: string;
  /** ISO time it was verified on arrival. A signature is never accepted unverified. */
  verifiedAt: string;
}

export type CheckSeverity = 'blocking' | 'warning' | 'info';

/** One rule of reference/security.md §2 (or a ceremony control), passed or failed. */
export interface RuleCheck {
  /** Stable code, e.g. ROOT_VERSION_NOT_NEXT, THRESHOLD_EXCEEDS_KEYS, EXPIRY_BEYOND_POLICY. */
  code: string;
  severity: CheckSeverity;
  passed: boolean;
  message: string;
  role?: string;
}

/** A human-readable change against the trusted state. */
export interface DiffEntry {
  role: string;
  kind:
    | 'key-added'
    | 'key-removed'
    | 'threshold'
    | 'version'
    | 'expires'
    | 'delegation-added'
    | 'delegation-removed'
    | 'delegation-changed'
    | 'target-added'
    | 'target-removed'
    | 'target-changed'
    | 'other';
  /** One line a person can read aloud: "root: threshold 1 → 2", "targets: + key 3f2a… (YubiKey 1234567, Alice)". */
  summary: string;
  before?: string;
  after?: string;
}

export interface Proposal {
  ceremonyId: string;
  kind: CeremonyKind;
  dialect: Dialect;
  repository: string;
  /** The request this proposal answers (RepoState.nonce) and the root version it starts from (0: new). */
  basis: { nonce: string; rootVersion: number };
  roles: RoleProposal[];
  keys: CeremonyKey[];
  diff: DiffEntry[];
  checks: RuleCheck[];
}

export type JournalEntryType =
  | 'plan'
  | 'proposal'
  | 'key-generated'
  | 'sign-intent'
  | 'signature'
  | 'partial-merged'
  | 'finalized'
  | 'exported'
  | 'published'
  | 'aborted'
  | 'note'
  /** A ceremony control noted by the operator: tamper-evident bag serial in/out, backup made/verified. */
  | 'record';

/**
 * One journal line. `hash = sha256hex(prev ‖ canonical(entry without hash))`, `prev` of the first
 * entry is 64 zeros (reference/security.md §3 "hash-chained append-only transcript").
 */
export interface JournalEntry {
  seq: number;
  at: string;
  type: JournalEntryType;
  data: JsonObject;
  prev: string;
  hash: string;
}

export const BUNDLE_FORMAT = 'keyrite-bundle';
export const BUNDLE_FORMAT_VERSION = 1;

export type BundleKind = 'request' | 'partial' | 'signed';

/** `manifest.json` of a bundle file; every other entry is listed with its digest. */
export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  formatVersion: typeof BUNDLE_FORMAT_VERSION;
  kind: BundleKind;
  repository: { dialect: Dialect; name: string };
  createdAt: string;
  /** RepoState.nonce of the request this bundle belongs to. */
  nonce: string;
  entries: { path: string; sha256: string; length: number }[];
  /** Head of the journal inside the bundle (null in a request bundle). */
  journalHead: string | null;
}
