import type { Envelope, Root, Targets } from '../../../shared/tuf/model';
import { parseMetadata } from '../../../shared/tuf/metadata';
import { roleKeyMap, verifyRoleSignatures } from '../../../shared/tuf/verify-role';
import { NodeCryptoProvider } from '../crypto/node-crypto-provider';
import { TufChainError } from './errors';

export interface PublishSet {
  /** The root before this publish (null for a new repository). */
  previousRoot: Uint8Array | null;
  /** The root in force after this publish (new or previous). */
  root: Uint8Array;
  /** True when `root` is a new version being published now. */
  rootIsNew: boolean;
  /** Every other file about to be written: role name → bytes. */
  files: ReadonlyMap<string, Uint8Array>;
  /** A published role's current bytes (for delegations whose parent is not re-published). */
  published: (role: string) => Promise<Uint8Array | null>;
  now: Date;
}

const crypto = new NodeCryptoProvider();

/**
 * The last gate before anything is written: every file verifies at its threshold against the role
 * that delegates it (a new root against the old root AND itself, security.md §2 rule 1), and
 * nothing about to be published is already expired. The ceremony checked this too; a signed bundle
 * may have been assembled elsewhere, and a repository must never receive an under-signed file.
 */
export async function verifyPublishSet(set: PublishSet): Promise<void> {
  const root = parse<Root>('root', set.root, 'root');
  if (set.rootIsNew) {
    if (set.previousRoot) requireThreshold('root', root, parse<Root>('root', set.previousRoot, 'root').signed, `root v${root.signed.version - 1}`);
    requireThreshold('root', root, root.signed, `root v${root.signed.version} (itself)`);
    notExpired('root', root, set.now);
  }
  const targetsByRole = new Map<string, Envelope<Targets>>();
  for (const [role, bytes] of set.files) {
    if (role === 'snapshot' || role === 'timestamp') {
      const envelope = parse(role, bytes, role);
      requireThreshold(role, envelope, root.signed, 'root');
      notExpired(role, envelope, set.now);
    } else {
      targetsByRole.set(role, parse<Targets>(role, bytes, 'targets'));
    }
  }
  for (const [role, envelope] of targetsByRole) {
    notExpired(role, envelope, set.now);
    if (role === 'targets') {
      requireThreshold(role, envelope, root.signed, 'root');
      continue;
    }
    const parent = await findDelegator(role, targetsByRole, set.published);
    if (!parent) throw new TufChainError(`no published or new targets role delegates "${role}": it cannot be verified, so it is not published; nothing was written`);
    const delegation = parent.envelope.signed.delegations?.roles.find((d) => d.name === role);
    const keys = parent.envelope.signed.delegations?.keys ?? new Map();
    const result = verifyRoleSignatures(envelope, roleKeyMap(keys, delegation?.keyids ?? []), delegation?.threshold ?? 1, crypto);
    if (result.valid < (delegation?.threshold ?? 1)) throw underSigned(role, result.valid, delegation?.threshold ?? 1, parent.role);
  }
}

async function findDelegator(
  role: string,
  fresh: ReadonlyMap<string, Envelope<Targets>>,
  published: (role: string) => Promise<Uint8Array | null>,
): Promise<{ role: string; envelope: Envelope<Targets> } | null> {
  for (const [name, envelope] of fresh) if (delegates(envelope, role)) return { role: name, envelope };
  // Breadth-first through the published tree from `targets`, bounded: delegation trees are shallow.
  const queue = ['targets'];
  const seen = new Set<string>();
  while (queue.length > 0 && seen.size < 1000) {
    const name = queue.shift() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const bytes = fresh.get(name)?.bytes ?? (await published(name));
    if (!bytes) continue;
    const envelope = parse<Targets>(name, bytes, 'targets');
    if (delegates(envelope, role)) return { role: name, envelope };
    for (const child of envelope.signed.delegations?.roles ?? []) queue.push(child.name);
  }
  return null;
}

function delegates(envelope: Envelope<Targets>, role: string): boolean {
  return envelope.signed.delegations?.roles.some((d) => d.name === role) ?? false;
}

function parse<T extends Root | Targets = Root | Targets>(role: string, bytes: Uint8Array, type: 'root' | 'targets' | 'snapshot' | 'timestamp'): Envelope<T> {
  try {
    return parseMetadata(bytes, { expectedType: type, dialect: 'tuf-1.0' }) as unknown as Envelope<T>;
  } catch (error) {
    throw new TufChainError(`${role} is not valid TUF 1.0 ${type} metadata (${(error as Error).message}); nothing was written`, { cause: error });
  }
}

function requireThreshold(role: string, envelope: Envelope, by: Root, label: string): void {
  const top = by.roles.get(role === 'root' ? 'root' : (role as 'targets' | 'snapshot' | 'timestamp'));
  const threshold = top?.threshold ?? 1;
  const result = verifyRoleSignatures(envelope, roleKeyMap(by.keys, top?.keyids ?? []), threshold, crypto);
  if (result.valid < threshold) throw underSigned(role, result.valid, threshold, label);
}

function underSigned(role: string, valid: number, threshold: number, by: string): TufChainError {
  return new TufChainError(`${role} carries ${valid} valid signature(s) of the ${threshold} that ${by} requires; an under-signed file is never published. Nothing was written`);
}

function notExpired(role: string, envelope: Envelope, now: Date): void {
  if (envelope.signed.expiresAt <= now.getTime()) {
    throw new TufChainError(`${role} version ${envelope.signed.version} expired at ${envelope.signed.expires}; refresh it in a ceremony before publishing. Nothing was written`);
  }
}

/**
 * Does a published snapshot or timestamp still verify at its threshold under `rootBytes`? False
 * once the root in force rotated that role's keys (also when an earlier publish of that root died
 * before re-signing them): such files must be rebuilt with the new online keys.
 */
export function verifiesUnderRoot(role: 'snapshot' | 'timestamp', bytes: Uint8Array, rootBytes: Uint8Array): boolean {
  const root = parse<Root>('root', rootBytes, 'root').signed;
  const top = root.roles.get(role);
  const threshold = top?.threshold ?? 1;
  return verifyRoleSignatures(parse(role, bytes, role), roleKeyMap(root.keys, top?.keyids ?? []), threshold, crypto).valid >= threshold;
}
