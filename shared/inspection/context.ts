import type { CryptoProvider, PublicKeyInfo } from '../tuf/crypto';
import type { Dialect, Key } from '../tuf/model';
import type { FindingSink } from './findings';
import type { InspectOptions, RepositoryInput } from './input';

/** Work caps (catalogue #15, #25, #27): hostile metadata gets a finding, never unbounded CPU. */
export interface InspectionLimits {
  /** Delegated roles visited in the graph walk (PEP 458 uses 16,384 bins). */
  maxRoles: number;
  /** Signatures examined per file. */
  maxSignaturesPerFile: number;
  /** Keys declared per file (root keys or delegation keys). */
  maxKeysPerFile: number;
  /** Root versions walked in one chain (tuf-js `maxRootRotations` is 256). */
  maxRootRotations: number;
}

export const DEFAULT_LIMITS: InspectionLimits = {
  maxRoles: 20_000,
  maxSignaturesPerFile: 1_024,
  maxKeysPerFile: 10_000,
  maxRootRotations: 1_024,
};

/** Everything one inspection run shares. */
export interface InspectContext {
  input: RepositoryInput;
  options: InspectOptions;
  crypto: CryptoProvider;
  dialect: Dialect;
  findings: FindingSink;
  limits: InspectionLimits;
  /** Evaluation time in epoch ms. */
  now: number;
  stats: { signaturesVerified: number };
  /** Every key met in trusted metadata, by keyid, with the roles that reference it. */
  keys: Map<string, KeyRecord>;
  progress: () => void;
}

export interface KeyRecord {
  key: Key;
  roles: Set<string>;
  /** Where it was declared: `root` or the delegating role's name. */
  declaredIn: string;
  info: PublicKeyInfo | null;
}
