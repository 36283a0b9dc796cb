/**
 * Which kind of keychain secret a key file's passphrase is, decided from the roles the key serves
 * (inventory roles, plus the role written in the key file). A key that serves root or the
 * top-level targets role in any repository is never remembered, even if it also serves an online
 * role: one shared passphrase would put the offline key's protection on the login keyring.
 */
import type { RememberableKind } from '../../../shared/secrets/secret-store';

export type PassphraseKindDecision =
  | { rememberable: true; kind: RememberableKind }
  | { rememberable: false; why: string };

const ONLINE_ROLES = new Set(['snapshot', 'timestamp']);

/** A TUF/Notary delegation: `targets/<name>` (Notary) or any name that is not a top-level role (TUF). */
export function isDelegationRole(role: string): boolean {
  if (role.startsWith('targets/')) return role.length > 'targets/'.length;
  return !['root', 'targets', 'snapshot', 'timestamp'].includes(role);
}

export function passphraseKindForRoles(roles: readonly string[]): PassphraseKindDecision {
  const unique = [...new Set(roles.filter((role) => role !== ''))];
  if (unique.length === 0) return { rememberable: false, why: 'the key serves no known role (give it one in the inventory first)' };
  if (unique.includes('root')) {
    return { rememberable: false, why: "it is a root key: the offline root's protection stays something the holder knows, never the login keyring" };
  }
  if (unique.includes('targets')) {
    return { rememberable: false, why: 'it is a top-level targets key: only online (snapshot, timestamp) and delegation key passphrases may be remembered' };
  }
  const odd = unique.filter((role) => !ONLINE_ROLES.has(role) && !isDelegationRole(role));
  if (odd.length > 0) return { rememberable: false, why: `"${odd.join('", "')}" is not an online or delegation role` };
  if (unique.every((role) => ONLINE_ROLES.has(role))) return { rememberable: true, kind: 'online-key-passphrase' };
  // Any delegation (alone or with an online role): both kinds may be remembered; filed as delegation.
  return { rememberable: true, kind: 'delegation-key-passphrase' };
}
