import type { CryptoProvider } from '../../../shared/tuf/crypto';
import { parseMetadata } from '../../../shared/tuf/metadata';
import type { Dialect, Envelope, Key, Root, Targets } from '../../../shared/tuf/model';
import { roleKeyMap, verifyRoleSignatures } from '../../../shared/tuf/verify-role';
import type { ReadBundleContent } from './content';
import { expectedType } from './inspect';
import type { BundleCheck } from './verify';

/**
 * Threshold checks over the signed metadata of a bundle (reference/security.md §2, catalogue #2,
 * #3): a new root must meet its own threshold AND the previous root's (the request's root), and
 * every other role the threshold its delegator sets (root for top-level roles, the delegating
 * targets role for delegations). Roles signed by the Notary server or online keys at publish time
 * are simply absent from a signed bundle and not checked here.
 */
export function signatureChecks(content: ReadBundleContent, dialect: Dialect, crypto: CryptoProvider): BundleCheck[] {
  const parsed = new Map<string, Envelope>();
  for (const [role, bytes] of Object.entries(content.metadata)) {
    try {
      parsed.set(role, parseMetadata(bytes, { dialect, expectedType: expectedType(role) }));
    } catch {
      // METADATA_PARSE already reports it; there is nothing to count signatures on.
      continue;
    }
  }
  const previous = previousRoot(content, dialect);
  const newRootEnvelope = parsed.get('root') as Envelope<Root> | undefined;
  const root = newRootEnvelope?.signed ?? previous?.signed;
  const checks: BundleCheck[] = [];
  const count = (role: string, envelope: Envelope, keys: ReadonlyMap<string, Key>, keyids: readonly string[], threshold: number, by: string): void => {
    const result = verifyRoleSignatures(envelope, roleKeyMap(keys, keyids), threshold, crypto);
    const passed = result.valid >= threshold;
    const problems = [
      result.invalid.length > 0 ? `invalid: ${result.invalid.join(', ')}` : '',
      result.duplicates.length > 0 ? `counted once: ${result.duplicates.join(', ')}` : '',
    ].filter((s) => s !== '');
    checks.push({
      code: 'SIGNATURES',
      passed,
      message: `${role} v${envelope.signed.version}: ${result.valid} valid signature(s) by ${by}, threshold ${threshold}${problems.length > 0 ? ` (${problems.join('; ')})` : ''}`,
      entry: role,
    });
  };
  if (newRootEnvelope !== undefined) {
    const ownRole = newRootEnvelope.signed.roles.get('root');
    if (ownRole) count('root', newRootEnvelope, newRootEnvelope.signed.keys, ownRole.keyids, ownRole.threshold, `its own root keys`);
    const oldRole = previous?.signed.roles.get('root');
    if (previous !== undefined && oldRole !== undefined && previous.signed.version < newRootEnvelope.signed.version) {
      count('root', newRootEnvelope, previous.signed.keys, oldRole.keyids, oldRole.threshold, `the keys of the previous root v${previous.signed.version}`);
    }
  }
  for (const [role, envelope] of parsed) {
    if (role === 'root' || root === undefined) continue;
    const top = root.roles.get(role as 'targets' | 'snapshot' | 'timestamp');
    if (top !== undefined) {
      count(role, envelope, root.keys, top.keyids, top.threshold, `root v${root.version}'s ${role} keys`);
      continue;
    }
    const delegator = findDelegator(role, parsed, content, dialect);
    if (delegator === null) {
      checks.push({ code: 'SIGNATURES', passed: false, message: `${role}: no targets role in the bundle or the request delegates to it`, entry: role });
      continue;
    }
    const delegation = delegator.targets.delegations?.roles.find((r) => r.name === role);
    if (delegation && delegator.targets.delegations) {
      count(role, envelope, delegator.targets.delegations.keys, delegation.keyids, delegation.threshold, `the keys ${delegator.role} delegates to it`);
    }
  }
  return checks;
}

function previousRoot(content: ReadBundleContent, dialect: Dialect): Envelope<Root> | undefined {
  const encoded = content.state?.files['root'];
  if (encoded === undefined) return undefined;
  try {
    return parseMetadata(Buffer.from(encoded, 'base64'), { dialect, expectedType: 'root' });
  } catch {
    // An unparsable request root cannot vouch for anything; the root is then checked on its own keys.
    return undefined;
  }
}

/** The targets role that delegates to `role`: the bundle's version first, else the request's. */
function findDelegator(role: string, parsed: Map<string, Envelope>, content: ReadBundleContent, dialect: Dialect): { role: string; targets: Targets } | null {
  const candidates: [string, Targets][] = [];
  for (const [name, envelope] of parsed) if (envelope.signed.type === 'targets') candidates.push([name, envelope.signed]);
  for (const [name, encoded] of Object.entries(content.state?.files ?? {})) {
    if (parsed.has(name) || expectedType(name) !== 'targets') continue;
    try {
      candidates.push([name, parseMetadata(Buffer.from(encoded, 'base64'), { dialect, expectedType: 'targets' }).signed]);
    } catch {
      continue;
    }
  }
  const found = candidates.find(([name, t]) => name !== role && t.delegations?.roles.some((r) => r.name === role) === true);
  return found ? { role: found[0], targets: found[1] } : null;
}
