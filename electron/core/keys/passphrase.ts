import { WeakPassphraseError } from './errors';

/** Notary refuses new passphrases shorter than 8 characters (notary.md §3); so do we. */
export const MIN_PASSPHRASE_LENGTH = 8;

export function assertNewPassphrase(passphrase: string): void {
  if ([...passphrase.normalize('NFC')].length < MIN_PASSPHRASE_LENGTH) {
    throw new WeakPassphraseError(`a new passphrase needs at least ${MIN_PASSPHRASE_LENGTH} characters`);
  }
}

/**
 * UTF-8 bytes of the NFC-normalised passphrase: the same passphrase typed on macOS (NFD input
 * methods) and Linux must open the same file. Callers wipe the returned buffer.
 */
export function passphraseBytes(passphrase: string): Buffer {
  return Buffer.from(passphrase.normalize('NFC'), 'utf8');
}

/** Passphrase environment variables read by notary and docker (notary.md §3). */
export const NOTARY_PASSPHRASE_ENV = {
  root: 'NOTARY_ROOT_PASSPHRASE',
  targets: 'NOTARY_TARGETS_PASSPHRASE',
  snapshot: 'NOTARY_SNAPSHOT_PASSPHRASE',
  delegation: 'NOTARY_DELEGATION_PASSPHRASE',
} as const;

export const DOCKER_PASSPHRASE_ENV = {
  root: 'DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE',
  repository: 'DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE',
} as const;

/**
 * The environment variables that may hold the passphrase for a key of `role`, in lookup order:
 * notary's name first (DELEGATION covers every non-base role, `cmd/notary/main.go:227`), then
 * docker's (ROOT for root, REPOSITORY for everything else).
 */
export function passphraseEnvNames(role: string): string[] {
  const notary =
    role === 'root' || role === 'targets' || role === 'snapshot'
      ? NOTARY_PASSPHRASE_ENV[role]
      : NOTARY_PASSPHRASE_ENV.delegation;
  const docker = role === 'root' ? DOCKER_PASSPHRASE_ENV.root : DOCKER_PASSPHRASE_ENV.repository;
  return [notary, docker];
}

/** The first passphrase set in `env` for `role`, with the variable it came from. */
export function passphraseFromEnv(role: string, env: Readonly<Record<string, string | undefined>>): { name: string; value: string } | null {
  for (const name of passphraseEnvNames(role)) {
    const value = env[name];
    if (value !== undefined && value !== '') return { name, value };
  }
  return null;
}
