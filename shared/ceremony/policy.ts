import type { Dialect } from '../tuf/model';

export type PolicyRole = 'root' | 'targets' | 'delegation' | 'snapshot' | 'timestamp';

/** Ceremony bounds. Defaults follow Notary's NotaryDefaultExpiries and tuf-on-ci's periods. */
export interface Policy {
  /** Longest allowed expiry, in days from the ceremony clock (catalogue #17). */
  maxExpiryDays: Record<PolicyRole, number>;
  /** Expiry a new version gets when the plan does not say. */
  defaultExpiryDays: Record<PolicyRole, number>;
  /** `refresh` re-signs roles expiring within this many days. */
  refreshWithinDays: Record<PolicyRole, number>;
  /** Non-root versions may grow by at most this much in one step (catalogue #21). */
  maxVersionJump: number;
  minRsaBits: number;
  /** TUF `spec_version` written into new metadata. */
  specVersion: string;
  /** Validity of a Notary root certificate minted for a root key. */
  notaryCertValidityDays: number;
  /**
   * Finalize/export refuses metadata expiring sooner than this many days from the current clock
   * (review F9: a ceremony spanning days must not export expired or nearly expired metadata).
   */
  minRemainingDays: Record<PolicyRole, number>;
}

const NOTARY_DEFAULTS: Record<PolicyRole, number> = { root: 3650, targets: 1095, delegation: 1095, snapshot: 1095, timestamp: 14 };
const TUF_DEFAULTS: Record<PolicyRole, number> = { root: 365, targets: 365, delegation: 365, snapshot: 7, timestamp: 1 };

export function defaultPolicy(dialect: Dialect): Policy {
  return {
    maxExpiryDays: { root: 3650, targets: 1095, delegation: 1095, snapshot: 1095, timestamp: 14 },
    defaultExpiryDays: dialect === 'notary-v1' ? { ...NOTARY_DEFAULTS } : { ...TUF_DEFAULTS },
    refreshWithinDays:
      dialect === 'notary-v1'
        ? { root: 182, targets: 90, delegation: 90, snapshot: 90, timestamp: 7 }
        : { root: 60, targets: 30, delegation: 30, snapshot: 3, timestamp: 1 },
    maxVersionJump: 1000,
    minRsaBits: 2048,
    specVersion: '1.0.31',
    notaryCertValidityDays: 3650,
    minRemainingDays:
      dialect === 'notary-v1'
        ? { root: 30, targets: 30, delegation: 30, snapshot: 7, timestamp: 1 }
        : { root: 7, targets: 7, delegation: 7, snapshot: 1, timestamp: 0.25 },
  };
}

/** Policy with the caller's overrides merged field by field. */
export function resolvePolicy(dialect: Dialect, overrides: Partial<Policy> | undefined): Policy {
  const base = defaultPolicy(dialect);
  if (!overrides) return base;
  return {
    ...base,
    ...overrides,
    maxExpiryDays: { ...base.maxExpiryDays, ...overrides.maxExpiryDays },
    defaultExpiryDays: { ...base.defaultExpiryDays, ...overrides.defaultExpiryDays },
    refreshWithinDays: { ...base.refreshWithinDays, ...overrides.refreshWithinDays },
    minRemainingDays: { ...base.minRemainingDays, ...overrides.minRemainingDays },
  };
}

/** Which policy bucket a role name falls in. */
export function policyRole(role: string): PolicyRole {
  if (role === 'root' || role === 'targets' || role === 'snapshot' || role === 'timestamp') return role;
  return 'delegation';
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Strict `YYYY-MM-DDTHH:MM:SSZ` (python-tuf accepts nothing else; Go parses it as RFC 3339). */
export function formatExpires(d: Date): string {
  return `${d.toISOString().slice(0, 19)}Z`;
}

export function expiresIn(now: Date, days: number): string {
  return formatExpires(new Date(Math.floor(now.getTime() / 1000) * 1000 + days * DAY_MS));
}
