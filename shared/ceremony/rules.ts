import type { CryptoProvider } from '../tuf/crypto';
import { checkSpecVersion, parseExpires } from '../tuf/fields';
import { notaryKeyObject } from '../tuf/keys';
import type { Dialect, JsonObject } from '../tuf/model';
import { TOP_LEVEL_ROLES } from '../tuf/model';
import { isValidNotaryDelegationName } from '../tuf/parse-keys-roles';
import { EquivocationError } from './errors';
import { keyIdOf, keyMaterialOf, shortId } from './keys';
import { DAY_MS, policyRole, type Policy } from './policy';
import { delegationsOf, expiresAt, isObj, rootRole, scalar } from './state';
import type { CeremonyKey, RuleCheck } from './types';

/**
 * The rules a signing tool must never break (reference/security.md §2, catalogue §6). Every check
 * has a stable code; a failed blocking check stops signing and export.
 */

export const RULE_CODES = [
  'ROOT_VERSION_NOT_NEXT',
  'THRESHOLD_INVALID',
  'THRESHOLD_EXCEEDS_KEYS',
  'DUPLICATE_KEYID',
  'KEY_MISSING',
  'KEYID_MISMATCH',
  'VERSION_INVALID',
  'VERSION_NOT_INCREASING',
  'VERSION_JUMP_TOO_LARGE',
  'SNAPSHOT_ENTRY_DROPPED',
  'SNAPSHOT_META_VERSION_DECREASED',
  'EXPIRY_FORMAT',
  'EXPIRY_IN_PAST',
  'EXPIRY_BEYOND_POLICY',
  'EXPIRED_NOT_BUMPED',
  'RSA_KEY_TOO_SMALL',
  'KEY_UNREADABLE',
  'SPEC_VERSION_INVALID',
  'CONSISTENT_SNAPSHOT_OFF',
  'DELEGATION_NAME_INVALID',
  'CERT_CN_MISMATCH',
  'CERT_INVALID',
  'EQUIVOCATION',
  'REQUEST_UNTRUSTED',
  'RESIGNS_COMPROMISED_CONTENT',
  'TARGET_OUTSIDE_DELEGATION',
  'DELEGATION_PATHS_INVALID',
  'CERT_EXPIRING',
  'CERT_OUTLIVED',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

function check(code: RuleCode, passed: boolean, message: string, role?: string, severity: RuleCheck['severity'] = 'blocking'): RuleCheck {
  return role === undefined ? { code, severity, passed, message } : { code, severity, passed, message, role };
}

export function blockingFailures(checks: readonly RuleCheck[]): RuleCheck[] {
  return checks.filter((c) => !c.passed && c.severity === 'blocking');
}

/** #1/#21: a new root is exactly prev + 1 (1 for a new repository). */
export function checkRootVersion(prevVersion: number, version: number): RuleCheck {
  const ok = Number.isSafeInteger(version) && version === prevVersion + 1;
  return check('ROOT_VERSION_NOT_NEXT', ok, ok ? `root version ${version} follows ${prevVersion}` : `root version must be ${prevVersion + 1}, got ${String(version)}`, 'root');
}

/** #21: non-root versions are safe integers ≥ 1, grow, and by at most policy.maxVersionJump. */
export function checkVersion(role: string, prev: number | null, version: unknown, policy: Policy): RuleCheck[] {
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    return [check('VERSION_INVALID', false, `${role}: version ${JSON.stringify(version)} is not an integer ≥ 1`, role)];
  }
  const out = [check('VERSION_INVALID', true, `${role}: version ${version}`, role)];
  if (prev !== null) {
    out.push(check('VERSION_NOT_INCREASING', version > prev, version > prev ? `${role}: version ${prev} → ${version}` : `${role}: version ${version} does not go up from ${prev}`, role));
    const jump = version - prev;
    out.push(
      check('VERSION_JUMP_TOO_LARGE', jump <= policy.maxVersionJump, jump <= policy.maxVersionJump ? `${role}: version step ${jump}` : `${role}: version jumps by ${jump} (policy allows ${policy.maxVersionJump})`, role),
    );
  }
  return out;
}

/** #2: threshold ≥ 1, ≤ distinct keys; no duplicate keyids; every keyid has a key. */
export function checkRoleKeys(role: string, keyids: readonly string[], threshold: unknown, keys: ReadonlyMap<string, CeremonyKey>, crypto: CryptoProvider): RuleCheck[] {
  const out: RuleCheck[] = [];
  const dup = keyids.filter((k, i) => keyids.indexOf(k) !== i);
  out.push(check('DUPLICATE_KEYID', dup.length === 0, dup.length === 0 ? `${role}: keyids are unique` : `${role}: duplicate keyid ${shortId(dup[0]!)}`, role));
  const missing = keyids.filter((k) => !keys.has(k));
  out.push(check('KEY_MISSING', missing.length === 0, missing.length === 0 ? `${role}: every keyid has a key` : `${role}: keyid ${shortId(missing[0]!)} has no key object`, role));
  const identities = new Set<string>();
  for (const id of new Set(keyids)) {
    const k = keys.get(id);
    if (!k) continue;
    const imp = crypto.importKey(keyMaterialOf(k.keyObject));
    identities.add(imp.ok ? imp.handle.info.identity : id);
  }
  if (typeof threshold !== 'number' || !Number.isSafeInteger(threshold) || threshold < 1) {
    out.push(check('THRESHOLD_INVALID', false, `${role}: threshold ${JSON.stringify(threshold)} must be an integer ≥ 1`, role));
    return out;
  }
  out.push(check('THRESHOLD_INVALID', true, `${role}: threshold ${threshold}`, role));
  const ok = threshold <= identities.size;
  out.push(check('THRESHOLD_EXCEEDS_KEYS', ok, ok ? `${role}: threshold ${threshold} of ${identities.size} keys` : `${role}: threshold ${threshold} exceeds its ${identities.size} distinct keys`, role));
  return out;
}

/** #3: keyid = sha256(canonical(key)) in the dialect; RSA ≥ policy bits; key readable. */
export function checkKey(dialect: Dialect, key: CeremonyKey, crypto: CryptoProvider, policy: Policy): RuleCheck[] {
  const m = keyMaterialOf(key.keyObject);
  const computed = dialect === 'notary-v1' ? keyIdOf(notaryKeyObject(m.keytype, m.public), crypto) : keyIdOf(key.keyObject, crypto);
  const out = [check('KEYID_MISMATCH', computed === key.keyid, computed === key.keyid ? `key ${shortId(key.keyid)} id matches its hash` : `keyid ${shortId(key.keyid)} is not the hash of its key (${shortId(computed)})`)];
  const imp = crypto.importKey(m);
  if (!imp.ok) {
    out.push(check('KEY_UNREADABLE', false, `key ${shortId(key.keyid)}: ${imp.message}`));
    return out;
  }
  const info = imp.handle.info;
  if (info.algorithm === 'rsa') {
    const bits = info.bits ?? 0;
    out.push(check('RSA_KEY_TOO_SMALL', bits >= policy.minRsaBits, `key ${shortId(key.keyid)}: RSA ${bits} bits (minimum ${policy.minRsaBits})`));
  }
  return out;
}

/** Notary root certificates: CN = GUN, not SHA-1, not a CA, valid now (catalogue #30). */
export function checkRootCert(key: CeremonyKey, gun: string, now: Date, crypto: CryptoProvider): RuleCheck[] {
  const imp = crypto.importKey(keyMaterialOf(key.keyObject));
  if (!imp.ok || imp.handle.info.cert === null) return [check('CERT_INVALID', false, `root key ${shortId(key.keyid)} has no readable certificate`, 'root')];
  const cert = imp.handle.info.cert;
  const cnOk = cert.subjectCN === gun || (cert.subjectCN.endsWith('*') && gun.startsWith(cert.subjectCN.slice(0, -1)));
  const t = now.getTime();
  const inWindow = Date.parse(cert.notBefore) - DAY_MS <= t && t <= Date.parse(cert.notAfter);
  const valid = inWindow && !cert.sha1 && !cert.isCA;
  const left = Date.parse(cert.notAfter) - t;
  const expiring = left < CERT_WARN_DAYS * DAY_MS;
  return [
    check('CERT_CN_MISMATCH', cnOk, cnOk ? `root cert ${shortId(key.keyid)} CN = ${gun}` : `root cert ${shortId(key.keyid)} has CN "${cert.subjectCN}", repository is "${gun}"`, 'root'),
    check('CERT_INVALID', valid, valid ? `root cert ${shortId(key.keyid)} valid until ${cert.notAfter}` : `root cert ${shortId(key.keyid)} is ${cert.sha1 ? 'SHA-1 signed' : cert.isCA ? 'a CA' : `outside its validity ${cert.notBefore} – ${cert.notAfter}`}`, 'root'),
    // #30 "warn inside 6 months of expiry" (Notary trustpinning does the same).
    check(
      'CERT_EXPIRING',
      !expiring,
      expiring ? `root cert ${shortId(key.keyid)} expires ${cert.notAfter}, in ${Math.max(0, Math.floor(left / DAY_MS))} days: rotate this root key soon (Notary clients stop trusting it then)` : `root cert ${shortId(key.keyid)} has more than ${CERT_WARN_DAYS} days left`,
      'root',
      'warning',
    ),
  ];
}

/** Catalogue #30: Notary warns inside 6 months of a root certificate's expiry. */
export const CERT_WARN_DAYS = 182;
/** A root may outlive a root certificate by a few days (sittings) with a warning; longer is refused. */
export const CERT_OUTLIVED_GRACE_DAYS = 30;

/**
 * Review F12: a Notary root whose `expires` lies after a root certificate's notAfter is trusted
 * by clients for less time than it says (trustpinning drops expired certs): refused when the gap
 * is longer than CERT_OUTLIVED_GRACE_DAYS, a warning otherwise.
 */
export function checkRootOutlivesCert(key: CeremonyKey, rootExpires: number | null, crypto: CryptoProvider): RuleCheck | null {
  const imp = crypto.importKey(keyMaterialOf(key.keyObject));
  if (!imp.ok || imp.handle.info.cert === null || rootExpires === null) return null;
  const notAfter = Date.parse(imp.handle.info.cert.notAfter);
  if (Number.isNaN(notAfter)) return null;
  if (rootExpires <= notAfter) return check('CERT_OUTLIVED', true, `root cert ${shortId(key.keyid)} (until ${imp.handle.info.cert.notAfter}) outlives the root`, 'root');
  const days = Math.ceil((rootExpires - notAfter) / DAY_MS);
  const message = `the root expires ${days} day(s) after root cert ${shortId(key.keyid)} does (${imp.handle.info.cert.notAfter}): Notary clients stop trusting that key then; set an earlier root expiry (--expires root=…) or rotate that root key`;
  return check('CERT_OUTLIVED', false, message, 'root', days > CERT_OUTLIVED_GRACE_DAYS ? 'blocking' : 'warning');
}

/** #17/#18: strict format, in the future, within the policy horizon. */
export function checkExpiry(role: string, dialect: Dialect, expires: unknown, now: Date, policy: Policy): RuleCheck[] {
  if (typeof expires !== 'string') return [check('EXPIRY_FORMAT', false, `${role}: expires is missing`, role)];
  let at: number;
  try {
    const parsed = parseExpires(expires, dialect, true, '/expires');
    if (!parsed.strict) return [check('EXPIRY_FORMAT', false, `${role}: expires ${expires} is not YYYY-MM-DDTHH:MM:SSZ`, role)];
    at = parsed.at;
  } catch (e) {
    return [check('EXPIRY_FORMAT', false, `${role}: ${(e as Error).message}`, role)];
  }
  const maxDays = policy.maxExpiryDays[policyRole(role)];
  const horizon = now.getTime() + maxDays * DAY_MS;
  return [
    check('EXPIRY_FORMAT', true, `${role}: expires ${expires}`, role),
    check('EXPIRY_IN_PAST', at > now.getTime(), at > now.getTime() ? `${role}: expires ${expires}` : `${role}: expires ${expires} is not in the future`, role),
    check('EXPIRY_BEYOND_POLICY', at <= horizon, at <= horizon ? `${role}: expires within ${maxDays} days` : `${role}: expires ${expires}, beyond the ${maxDays}-day policy horizon`, role),
  ];
}

/** #16: metadata that has expired may only be signed again with a higher version and a future expiry. */
export function checkExpiredBump(role: string, dialect: Dialect, current: JsonObject | null, proposed: JsonObject, now: Date): RuleCheck {
  if (current === null) return check('EXPIRED_NOT_BUMPED', true, `${role}: new role`, role);
  const curAt = expiresAt(current, dialect);
  const expired = curAt !== null && curAt <= now.getTime();
  if (!expired) return check('EXPIRED_NOT_BUMPED', true, `${role}: current version has not expired`, role);
  const propAt = expiresAt(proposed, dialect);
  const bumped = Number(proposed['version']) > Number(current['version']) && propAt !== null && propAt > now.getTime();
  return check(
    'EXPIRED_NOT_BUMPED',
    bumped,
    bumped ? `${role}: expired version re-signed with a new version and expiry` : `${role}: version ${scalar(current['version'])} has expired; signing it again requires a higher version and a new expiry`,
    role,
  );
}

/**
 * #22: a snapshot never drops an entry nor lowers a meta version. `removedRoles`: delegations the
 * same ceremony removed (Notary drops their entries, as `notary delegation remove` does).
 */
export function checkSnapshotMeta(prev: JsonObject | null, next: JsonObject, removedRoles: ReadonlySet<string> = new Set()): RuleCheck[] {
  const prevMeta = prev && isObj(prev['meta']) ? prev['meta'] : {};
  const nextMeta = isObj(next['meta']) ? next['meta'] : {};
  const dropped = Object.keys(prevMeta).filter((k) => !(k in nextMeta) && !removedRoles.has(k));
  const lowered = Object.keys(prevMeta).filter((k) => {
    const a = prevMeta[k];
    const b = nextMeta[k];
    return isObj(a) && isObj(b) && typeof a['version'] === 'number' && typeof b['version'] === 'number' && b['version'] < a['version'];
  });
  return [
    check('SNAPSHOT_ENTRY_DROPPED', dropped.length === 0, dropped.length === 0 ? 'snapshot keeps every entry' : `snapshot drops ${dropped.join(', ')}`, 'snapshot'),
    check('SNAPSHOT_META_VERSION_DECREASED', lowered.length === 0, lowered.length === 0 ? 'snapshot meta versions never decrease' : `snapshot lowers the version of ${lowered.join(', ')}`, 'snapshot'),
  ];
}

export function checkDelegationName(dialect: Dialect, name: string, role: string): RuleCheck {
  let ok: boolean;
  if (dialect === 'notary-v1') ok = isValidNotaryDelegationName(name) && name !== 'targets';
  else ok = name !== '' && !(TOP_LEVEL_ROLES as readonly string[]).includes(name) && name === name.normalize('NFC') && !hasControlOrSlash(name);
  return check('DELEGATION_NAME_INVALID', ok, ok ? `${role}: delegation ${name}` : `${role}: delegated role name ${JSON.stringify(name)} is not allowed`, role);
}

/** Checks of one root body against the previous root. */
export function checkRootBody(dialect: Dialect, gun: string, prev: JsonObject | null, root: JsonObject, keys: ReadonlyMap<string, CeremonyKey>, now: Date, crypto: CryptoProvider, policy: Policy): RuleCheck[] {
  const out: RuleCheck[] = [checkRootVersion(typeof prev?.['version'] === 'number' ? prev['version'] : 0, root['version'] as number)];
  const keyObj = isObj(root['keys']) ? root['keys'] : {};
  const rootKeys = new Map<string, CeremonyKey>();
  for (const id of Object.keys(keyObj)) {
    const k = keys.get(id);
    if (k) rootKeys.set(id, { ...k, keyObject: keyObj[id] as JsonObject });
  }
  for (const r of TOP_LEVEL_ROLES) {
    const entry = rootRole(root, r);
    if (!entry) {
      out.push(check('KEY_MISSING', false, `root: role ${r} is missing`, 'root'));
      continue;
    }
    out.push(...checkRoleKeys(r === 'root' ? 'root' : `root → ${r}`, entry.keyids, entry.threshold, rootKeys, crypto).map((c) => ({ ...c, role: 'root' })));
  }
  for (const k of rootKeys.values()) out.push(...checkKey(dialect, k, crypto, policy).map((c) => ({ ...c, role: 'root' })));
  if (dialect === 'tuf-1.0') {
    out.push(specVersionCheck(root, 'root'));
    out.push(check('CONSISTENT_SNAPSHOT_OFF', root['consistent_snapshot'] === true, root['consistent_snapshot'] === true ? 'consistent snapshots on' : 'consistent_snapshot is off (clients may read mixed versions)', 'root', 'warning'));
  } else {
    const rootExpires = expiresAt(root, dialect);
    for (const id of rootRole(root, 'root')?.keyids ?? []) {
      const k = rootKeys.get(id);
      if (!k || !keyMaterialOf(k.keyObject).keytype.endsWith('-x509')) continue;
      out.push(...checkRootCert(k, gun, now, crypto));
      const outlived = checkRootOutlivesCert(k, rootExpires, crypto);
      if (outlived) out.push(outlived);
    }
  }
  return out;
}

export function specVersionCheck(body: JsonObject, role: string): RuleCheck {
  const v = body['spec_version'];
  try {
    if (typeof v !== 'string') throw new Error('missing');
    checkSpecVersion(v, '/spec_version');
    return check('SPEC_VERSION_INVALID', true, `${role}: spec_version ${v}`, role);
  } catch {
    return check('SPEC_VERSION_INVALID', false, `${role}: spec_version ${JSON.stringify(v)} is not semver 1.x`, role);
  }
}

/** Checks of a targets/delegation body: its delegations' keys, thresholds and names. */
export function checkTargetsBody(dialect: Dialect, role: string, body: JsonObject, keys: ReadonlyMap<string, CeremonyKey>, crypto: CryptoProvider, policy: Policy): RuleCheck[] {
  const out: RuleCheck[] = [];
  if (dialect === 'tuf-1.0') out.push(specVersionCheck(body, role));
  const del = body['delegations'];
  if (!isObj(del)) return out;
  const keyObj = isObj(del['keys']) ? del['keys'] : {};
  const delKeys = new Map<string, CeremonyKey>();
  for (const id of Object.keys(keyObj)) {
    const k = keys.get(id);
    if (k) delKeys.set(id, { ...k, keyObject: keyObj[id] as JsonObject });
  }
  for (const d of delegationsOf(role, body)) {
    out.push(checkDelegationName(dialect, d.name, role));
    out.push(...checkRoleKeys(`${role} → ${d.name}`, d.keyids, d.threshold, delKeys, crypto).map((c) => ({ ...c, role })));
  }
  for (const k of delKeys.values()) out.push(...checkKey(dialect, k, crypto, policy).map((c) => ({ ...c, role })));
  return out;
}

/** A journal record of something signed: (role, version, sha256 of the canonical payload). */
export interface SignedRecord {
  role: string;
  version: number;
  payloadSha256: string;
}

/** #44: the same role and version is never signed over different bytes. */
export function checkEquivocation(records: readonly SignedRecord[], next: SignedRecord): RuleCheck {
  const clash = records.find((r) => r.role === next.role && r.version === next.version && r.payloadSha256 !== next.payloadSha256);
  return clash
    ? check('EQUIVOCATION', false, `${next.role} v${next.version} was already signed over payload ${clash.payloadSha256.slice(0, 16)}…; refusing different bytes ${next.payloadSha256.slice(0, 16)}…`, next.role)
    : check('EQUIVOCATION', true, `${next.role} v${next.version}: no other payload signed under this version`, next.role);
}

export function assertNoEquivocation(records: readonly SignedRecord[], next: SignedRecord): void {
  const c = checkEquivocation(records, next);
  if (!c.passed) throw new EquivocationError(c.message, { code: 'EQUIVOCATION', role: next.role, version: next.version });
}

/** A TUF role name becomes a file name: no control characters, slashes, backslashes, `.` or `..`. */
function hasControlOrSlash(name: string): boolean {
  if (name === '.' || name === '..') return true;
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || ch === '/' || ch === '\\') return true;
  }
  return false;
}
