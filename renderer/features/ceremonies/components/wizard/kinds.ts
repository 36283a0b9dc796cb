import type { z } from 'zod';

import type { CeremonyKind, RequestPreview } from '../../../../../shared/ipc/ceremony';

export type Kind = z.infer<typeof CeremonyKind>;

export const KINDS: readonly Kind[] = ['init', 'rotate-root', 'rotate-key', 'add-signer', 'remove-signer', 'recover', 'refresh', 'sign-targets'];

/** Title and one line of help per kind: when an officer picks it. */
export const KIND_INFO: Record<Kind, { title: string; help: string }> = {
  init: { title: 'Initialise a repository', help: 'A new repository: first root (m-of-n), targets key, snapshot and timestamp keys.' },
  'rotate-root': { title: 'Rotate the root', help: 'Add or remove root keys or change the root threshold (a keyholder joins or leaves).' },
  'rotate-key': { title: 'Rotate a top-level key', help: 'Replace the targets (tagging), snapshot or timestamp key, e.g. on a schedule or a staff change.' },
  'add-signer': { title: 'Add a signer', help: 'Delegate signing to a person or team (docker trust signer add; TUF delegation with paths).' },
  'remove-signer': { title: 'Remove a signer', help: 'Take a delegation away when a signer leaves or no longer publishes.' },
  recover: { title: 'Recover from a compromise', help: 'A key is compromised or a token lost: see the impact, then revoke, replace and re-sign.' },
  refresh: { title: 'Refresh expiring roles', help: 'Re-sign roles that expire soon with new versions and expiry dates.' },
  'sign-targets': { title: 'Sign targets', help: 'Add or remove targets (tags) for an offline release.' },
};

/** Why a kind cannot run on this request (null: it can). A new repository has no root yet. */
export function kindUnavailable(kind: Kind, request: RequestPreview): string | null {
  const hasRoot = request.rootVersion > 0;
  if (kind === 'init') return hasRoot ? `${request.repository} already has a root (version ${request.rootVersion}); rotate it instead.` : null;
  if (!hasRoot) return `${request.repository} has no root yet; initialise it first.`;
  const delegations = request.roles.filter((r) => r.delegatedBy !== null && r.delegatedBy !== 'root' && !isReleases(r.role, request));
  if (kind === 'remove-signer' && delegations.length === 0) return 'The repository has no signer (delegation) to remove.';
  if (kind === 'recover' && request.keys.length === 0) return 'The request names no keys.';
  return null;
}

/** Notary's targets/releases is not a signer of its own: signers' keys join it. */
export function isReleases(role: string, request: RequestPreview): boolean {
  return request.dialect === 'notary-v1' && role === 'targets/releases';
}
