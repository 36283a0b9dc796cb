import type { DelegatedRole, Delegations, Dialect, JsonObject, Key, Role } from './model';
import { TOP_LEVEL_ROLES } from './model';
import { copyJson, formatError, int, isObject, obj, ptr, str, strArray, unrecognized, describe } from './fields';

/**
 * Keys, roles and delegations: the parts shared by root and targets. Every array and object in the
 * returned model is a copy, never a part of `signedJson` (see model-aliasing.spec.ts).
 */

export function parseKey(raw: JsonObject, keyid: string, dialect: Dialect, path: string): Key {
  const keytype = str(raw, 'keytype', path);
  const keyval = obj(raw, 'keyval', path);
  const pub = str(keyval, 'public', ptr(path, 'keyval'));
  if (dialect === 'notary-v1') {
    unrecognized(raw, ['keytype', 'keyval'], path);
    if (keyval['private'] !== undefined && keyval['private'] !== null) {
      throw formatError(ptr(ptr(path, 'keyval'), 'private'), 'a private key must never appear in metadata');
    }
    return { keyid, keytype, scheme: null, public: pub, keyidHashAlgorithms: null, raw: copyJson(raw) };
  }
  unrecognized(raw, ['keytype', 'scheme', 'keyval', 'keyid_hash_algorithms'], path);
  if (keyval['private'] !== undefined) {
    throw formatError(ptr(ptr(path, 'keyval'), 'private'), 'a private key must never appear in metadata');
  }
  const scheme = str(raw, 'scheme', path);
  const algs = raw['keyid_hash_algorithms'] === undefined ? null : [...strArray(raw, 'keyid_hash_algorithms', path)];
  return { keyid, keytype, scheme, public: pub, keyidHashAlgorithms: algs, raw: copyJson(raw) };
}

export function parseKeys(o: JsonObject, dialect: Dialect, path: string): Map<string, Key> {
  const keys = new Map<string, Key>();
  for (const [keyid, raw] of Object.entries(o)) {
    const p = ptr(path, keyid);
    if (!isObject(raw)) throw formatError(p, `expected a key object, got ${describe(raw)}`);
    if (keyid === '') throw formatError(p, 'empty keyid');
    keys.set(keyid, parseKey(raw, keyid, dialect, p));
  }
  return keys;
}

/** keyids + threshold with the rules of catalogue #7/#8: no duplicates, 1 ≤ threshold ≤ keys. */
export function parseRole(o: JsonObject, path: string, known: readonly string[]): Role {
  const keyids = strArray(o, 'keyids', path);
  const seen = new Set<string>();
  keyids.forEach((k, i) => {
    if (seen.has(k)) throw formatError(ptr(ptr(path, 'keyids'), i), `duplicate keyid ${k}`);
    seen.add(k);
  });
  const threshold = int(o, 'threshold', path, 1);
  if (threshold > keyids.length) {
    throw formatError(ptr(path, 'threshold'), `threshold ${threshold} is above the number of keys (${keyids.length})`);
  }
  // A copy: the model must never alias `signedJson`, or a caller sorting `role.keyids` in place would
  // change the bytes every signature is verified over.
  return { keyids: [...keyids], threshold, unrecognized: unrecognized(o, ['keyids', 'threshold', ...known], path) };
}

export function parseRootRoles(o: JsonObject, path: string): Map<(typeof TOP_LEVEL_ROLES)[number], Role> {
  const roles = new Map<(typeof TOP_LEVEL_ROLES)[number], Role>();
  for (const name of Object.keys(o)) {
    if (!(TOP_LEVEL_ROLES as readonly string[]).includes(name)) {
      throw formatError(ptr(path, name), `unknown role ${JSON.stringify(name)} in root (only root, targets, snapshot, timestamp)`);
    }
  }
  for (const name of TOP_LEVEL_ROLES) {
    if (o[name] === undefined) throw formatError(ptr(path, name), `root lacks the ${name} role`);
    roles.set(name, parseRole(obj(o, name, path), ptr(path, name), []));
  }
  return roles;
}

const NOTARY_DELEGATION = /^targets\/[-a-z0-9_/]+$/;

/** Notary `data.IsDelegation`: charset, prefix, length < 256 and `path.Clean`-stable. */
export function isValidNotaryDelegationName(name: string): boolean {
  return (
    name.length < 256 &&
    NOTARY_DELEGATION.test(name) &&
    !name.endsWith('/') &&
    !name.includes('//')
  );
}

function checkDelegatedName(name: string, dialect: Dialect, path: string): void {
  if (name === '') throw formatError(path, 'delegated role name is empty');
  if ((TOP_LEVEL_ROLES as readonly string[]).includes(name)) {
    throw formatError(path, `delegated role may not be named ${JSON.stringify(name)}`);
  }
  if (dialect === 'notary-v1' && !isValidNotaryDelegationName(name)) {
    throw formatError(path, `Notary delegation name ${JSON.stringify(name)} must match ^targets/[-a-z0-9_/]+$, be path.Clean-stable and < 256 chars`);
  }
}

function parseDelegatedRole(o: JsonObject, dialect: Dialect, path: string): DelegatedRole {
  const name = str(o, 'name', path);
  checkDelegatedName(name, dialect, ptr(path, 'name'));
  if (dialect === 'notary-v1') {
    const role = parseRole(o, path, ['name', 'paths']);
    return { ...role, name, paths: [...strArray(o, 'paths', path)], pathHashPrefixes: null, terminating: false };
  }
  const role = parseRole(o, path, ['name', 'paths', 'path_hash_prefixes', 'terminating']);
  const paths = o['paths'] === undefined ? null : [...strArray(o, 'paths', path)];
  const prefixes = o['path_hash_prefixes'] === undefined ? null : [...strArray(o, 'path_hash_prefixes', path)];
  if (paths !== null && prefixes !== null) {
    throw formatError(path, 'delegated role sets both paths and path_hash_prefixes');
  }
  const t = o['terminating'];
  if (t !== undefined && typeof t !== 'boolean') throw formatError(ptr(path, 'terminating'), `expected a boolean, got ${describe(t)}`);
  return { ...role, name, paths, pathHashPrefixes: prefixes, terminating: t ?? false };
}

export function parseDelegations(o: JsonObject, dialect: Dialect, path: string): Delegations {
  const keys = parseKeys(obj(o, 'keys', path), dialect, ptr(path, 'keys'));
  const rest = unrecognized(o, ['keys', 'roles'], path);
  // TAP 15 `succinct_roles` replaces `roles`; it is kept as an unrecognized field.
  const rolesJson = o['roles'] === undefined && rest['succinct_roles'] !== undefined ? [] : o['roles'];
  if (!Array.isArray(rolesJson)) throw formatError(ptr(path, 'roles'), `expected an array, got ${describe(rolesJson)}`);
  const names = new Set<string>();
  const roles = rolesJson.map((r, i) => {
    const p = ptr(ptr(path, 'roles'), i);
    if (!isObject(r)) throw formatError(p, `expected a role object, got ${describe(r)}`);
    const role = parseDelegatedRole(r, dialect, p);
    if (names.has(role.name)) throw formatError(ptr(p, 'name'), `duplicate delegated role ${JSON.stringify(role.name)}`);
    names.add(role.name);
    return role;
  });
  return { keys, roles, unrecognized: rest };
}
