import { fromBase64 } from '../tuf/encoding';
import { parseExpires } from '../tuf/fields';
import { parseMetadata } from '../tuf/metadata';
import type { Dialect, Envelope, JsonObject, JsonValue, Root } from '../tuf/model';
import type { CeremonyEnv } from './env';
import { PlanError } from './errors';
import { ceremonyKeyFromObject, type KnownKey } from './keys';
import type { CeremonyKey, RepoState } from './types';

/** A RepoState parsed once: every role's envelope and `signed` body, and every key named. */
export interface LoadedState {
  state: RepoState;
  dialect: Dialect;
  name: string;
  root: Envelope<Root> | null;
  /** Role name → parsed envelope (root, targets, snapshot, timestamp, delegations). */
  envelopes: Map<string, Envelope>;
  /**
   * Role name → `signed` body as in the file. Deep-frozen: it IS the envelope's `signedJson`, whose
   * bytes signatures are verified over; edit copies (draft.ts `edit`), never these.
   */
  signed: Map<string, Readonly<JsonObject>>;
  /** Every key of root and of every delegation, by keyid. */
  keys: Map<string, CeremonyKey>;
  known: readonly KnownKey[];
}

export function decodeFile(b64: string, role: string): Uint8Array {
  const bytes = fromBase64(b64);
  if (bytes === null) throw new PlanError(`request: ${role} is not valid base64`, { role });
  return bytes;
}

export function isObj(v: JsonValue | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function loadRepoState(state: RepoState, env: CeremonyEnv, known: readonly KnownKey[] = []): LoadedState {
  const envelopes = new Map<string, Envelope>();
  const signed = new Map<string, JsonObject>();
  for (const [role, b64] of Object.entries(state.files)) {
    const env0 = parseMetadata(decodeFile(b64, role), { dialect: state.dialect });
    envelopes.set(role, env0);
    signed.set(role, deepFreeze(env0.signedJson));
  }
  const root = (envelopes.get('root') as Envelope<Root> | undefined) ?? null;
  if (root !== null && root.signed.type !== 'root') throw new PlanError('request: the root file is not root metadata');
  const keys = new Map<string, CeremonyKey>();
  const addKeys = (obj: JsonValue | undefined): void => {
    if (!isObj(obj)) return;
    for (const [keyid, ko] of Object.entries(obj)) {
      if (!isObj(ko) || keys.has(keyid)) continue;
      // ceremonyKeyFromObject copies `ko`: the key never shares an object with the (frozen) body.
      keys.set(keyid, ceremonyKeyFromObject(state.dialect, ko, env.crypto, { keyid }, known));
    }
  };
  if (root) addKeys(root.signedJson['keys']);
  for (const [role, body] of signed) {
    if (role === 'root') continue;
    const del = body['delegations'];
    if (isObj(del)) addKeys(del['keys']);
  }
  return { state, dialect: state.dialect, name: state.name, root, envelopes, signed, keys, known };
}

export function versionOf(body: JsonObject | undefined): number {
  const v = body?.['version'];
  return typeof v === 'number' ? v : 0;
}

export function expiresAt(body: JsonObject, dialect: Dialect): number | null {
  const e = body['expires'];
  if (typeof e !== 'string') return null;
  try {
    return parseExpires(e, dialect, false, '/expires').at;
  } catch {
    // Unparseable expiry counts as "unknown"; the rule checks report the format separately.
    return null;
  }
}

/** Top-level role entry `{keyids, threshold}` of a root body. */
export function rootRole(root: JsonObject, role: string): { keyids: string[]; threshold: number } | null {
  const roles = root['roles'];
  if (!isObj(roles)) return null;
  const r = roles[role];
  if (!isObj(r)) return null;
  const keyids = Array.isArray(r['keyids']) ? r['keyids'].filter((k): k is string => typeof k === 'string') : [];
  const threshold = typeof r['threshold'] === 'number' ? r['threshold'] : 0;
  return { keyids, threshold };
}

export interface DelegationEntry {
  parent: string;
  name: string;
  keyids: string[];
  threshold: number;
  paths: string[];
  terminating: boolean;
}

/** Delegated roles declared in one targets body, in order. */
export function delegationsOf(parent: string, body: JsonObject): DelegationEntry[] {
  const del = body['delegations'];
  if (!isObj(del) || !Array.isArray(del['roles'])) return [];
  const out: DelegationEntry[] = [];
  for (const r of del['roles']) {
    if (!isObj(r) || typeof r['name'] !== 'string') continue;
    out.push({
      parent,
      name: r['name'],
      keyids: Array.isArray(r['keyids']) ? r['keyids'].filter((k): k is string => typeof k === 'string') : [],
      threshold: typeof r['threshold'] === 'number' ? r['threshold'] : 0,
      paths: Array.isArray(r['paths']) ? r['paths'].filter((k): k is string => typeof k === 'string') : [],
      terminating: r['terminating'] === true,
    });
  }
  return out;
}

/** Freezes a parsed body and everything in it, so an in-place edit fails loudly instead of changing verified bytes. */
function deepFreeze<T extends JsonValue>(v: T): T {
  if (typeof v !== 'object' || v === null || Object.isFrozen(v)) return v;
  Object.freeze(v);
  if (Array.isArray(v)) for (const x of v) deepFreeze(x);
  else for (const x of Object.values(v)) deepFreeze(x);
  return v;
}

/** Deep copy of a JSON body (bodies are edited copy-on-write). */
export function clone<T extends JsonValue>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}

/** A JSON value as display text (scalars as-is, anything else as JSON). */
export function scalar(v: JsonValue | undefined): string {
  if (v === undefined) return '?';
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}
