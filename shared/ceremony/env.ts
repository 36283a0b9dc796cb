import type { CryptoProvider } from '../tuf/crypto';
import type { Dialect } from '../tuf/model';
import { resolvePolicy, type Policy } from './policy';

/** What every engine call needs from outside: crypto, the (operator-confirmed) clock and policy. */
export interface CeremonyEnv {
  crypto: CryptoProvider;
  now: Date;
  policy?: Partial<Policy>;
  /** The workspace's pinned root (exact bytes): the request's root chain must continue from it. */
  trustedRoot?: Uint8Array;
  /** The workspace's trusted role versions (with trustedRoot): a request below them is a rollback (REQUEST_UNTRUSTED). */
  trustedVersions?: Readonly<Record<string, number>>;
}

export function policyOf(env: CeremonyEnv, dialect: Dialect): Policy {
  return resolvePolicy(dialect, env.policy);
}
