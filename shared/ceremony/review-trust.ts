/**
 * What this workstation knows about the keys a ceremony would make authoritative (review finding
 * F2a): every root and targets key of the resulting root is listed with its SPKI fingerprint, and a
 * key that neither the key inventory, a local signer nor the pinned trusted root knows is a warning
 * KEY_UNKNOWN_HERE. A forged request that slips an attacker key into the "current" root shows up
 * here before a real root key signs a root that keeps it.
 */
import { parseMetadata } from '../tuf/metadata';
import type { JsonObject } from '../tuf/model';
import type { CeremonyEnv } from './env';
import { ceremonyKeyFromObject, describeKey, keyIdentity, type KnownKey } from './keys';
import { isObj, rootRole } from './state';
import type { CeremonyKey, RepoState, RoleProposal, RuleCheck } from './types';
import { decodeFile } from './state';

/** SPKI sha256 of a key, or null when it cannot be read (KEY_UNREADABLE is reported by the rules). */
function identityOf(key: CeremonyKey, env: CeremonyEnv): string | null {
  try {
    return keyIdentity(key, env.crypto);
  } catch (e) {
    if (e instanceof Error) return null;
    throw e;
  }
}

/** Key objects of a root body as CeremonyKeys (unreadable ones skipped: the rules report them). */
export function rootKeysOf(dialect: RepoState['dialect'], root: JsonObject, env: CeremonyEnv, known: readonly KnownKey[] = []): Map<string, CeremonyKey> {
  const out = new Map<string, CeremonyKey>();
  const keys = root['keys'];
  if (!isObj(keys)) return out;
  for (const [keyid, ko] of Object.entries(keys)) {
    if (!isObj(ko)) continue;
    try {
      out.set(keyid, ceremonyKeyFromObject(dialect, ko, env.crypto, { keyid }, known));
    } catch (e) {
      if (!(e instanceof Error)) throw e;
    }
  }
  return out;
}

/** SPKI identities of the pinned trusted root's keys (empty without a pin or when unreadable). */
export function trustedRootIdentities(dialect: RepoState['dialect'], env: CeremonyEnv): Set<string> {
  const out = new Set<string>();
  if (!env.trustedRoot) return out;
  let body: JsonObject;
  try {
    body = parseMetadata(env.trustedRoot, { expectedType: 'root', dialect }).signedJson;
  } catch (e) {
    // checkRequest reports an unreadable pin as REQUEST_UNTRUSTED; nothing is known from it.
    if (e instanceof Error) return out;
    throw e;
  }
  for (const key of rootKeysOf(dialect, body, env).values()) {
    const id = identityOf(key, env);
    if (id) out.add(id);
  }
  return out;
}

/** "3f2a1b4c… (token 1001, Alice), SPKI sha256 9c1e…" */
export function fingerprintLine(key: CeremonyKey, env: CeremonyEnv): string {
  const id = identityOf(key, env);
  return `${describeKey(key)} SPKI sha256 ${id ?? 'unreadable'}`;
}

/**
 * The resulting root's root and targets keys, each named with its fingerprint (info), and a
 * KEY_UNKNOWN_HERE warning for each key this workstation has never seen: not in `known` (the
 * inventory), not a local token/file signer, not in the pinned trusted root.
 */
export function keyTrustChecks(request: RepoState, roles: readonly RoleProposal[], keys: readonly CeremonyKey[], env: CeremonyEnv, known: readonly KnownKey[]): RuleCheck[] {
  const newRoot = roles.find((r) => r.role === 'root')?.signed ?? currentRoot(request);
  if (!newRoot) return [];
  const version = typeof newRoot['version'] === 'number' ? newRoot['version'] : 0;
  const byId = new Map(keys.map((k) => [k.keyid, k]));
  for (const [id, k] of rootKeysOf(request.dialect, newRoot, env, known)) if (!byId.has(id)) byId.set(id, k);
  const knownIds = new Set(known.map((k) => k.spkiSha256));
  for (const id of trustedRootIdentities(request.dialect, env)) knownIds.add(id);
  const checks: RuleCheck[] = [];
  for (const role of ['root', 'targets']) {
    const entry = rootRole(newRoot, role);
    if (!entry) continue;
    const lines: string[] = [];
    for (const keyid of entry.keyids) {
      const key = byId.get(keyid);
      if (!key) continue;
      const spki = identityOf(key, env);
      const knownHere = key.signer.kind !== 'external' || (spki !== null && knownIds.has(spki));
      lines.push(`${fingerprintLine(key, env)}${knownHere ? '' : ' — UNKNOWN to this workstation'}`);
      if (!knownHere) {
        checks.push({
          code: 'KEY_UNKNOWN_HERE',
          severity: 'warning',
          passed: false,
          role: 'root',
          message: `${role} key ${describeKey(key)} of root v${version} (SPKI sha256 ${spki ?? 'unreadable'}) is unknown to this workstation: not in its key inventory nor in its trusted root; confirm its fingerprint with its holder before signing`,
        });
      }
    }
    checks.unshift({ code: 'ROLE_KEYS', severity: 'info', passed: true, role: 'root', message: `root v${version} ${role} keys (threshold ${entry.threshold} of ${entry.keyids.length}): ${lines.join('; ')}` });
  }
  return checks;
}

function currentRoot(request: RepoState): JsonObject | null {
  const b64 = request.files['root'];
  if (!b64) return null;
  try {
    return parseMetadata(decodeFile(b64, 'root'), { expectedType: 'root', dialect: request.dialect }).signedJson;
  } catch (e) {
    if (e instanceof Error) return null;
    throw e;
  }
}
