import type { JsonObject, JsonValue } from '../tuf/model';
import { TOP_LEVEL_ROLES } from '../tuf/model';
import { canonicalString } from '../tuf/canonical-json';
import { fromBase64, toHex } from '../tuf/encoding';
import { describeKey, shortId } from './keys';
import { delegationsOf, isObj, rootRole, scalar } from './state';
import type { CeremonyKey, DiffEntry, RoleProposal } from './types';

/**
 * The review a keyholder reads before signing: one line per change against the trusted state,
 * keys named by token serial and holder, absolute expiry dates, thresholds old → new.
 */
export function diffProposal(before: ReadonlyMap<string, JsonObject>, roles: readonly RoleProposal[], keys: readonly CeremonyKey[]): DiffEntry[] {
  const byId = new Map(keys.map((k) => [k.keyid, k]));
  const name = (id: string): string => {
    const k = byId.get(id);
    return k ? describeKey(k) : shortId(id);
  };
  const out: DiffEntry[] = [];
  for (const rp of roles) {
    const role = rp.role;
    const old = before.get(role) ?? null;
    const tag = rp.signing === 'offline' ? '' : rp.signing === 'online' ? ' (signed online at publish)' : ' (signed by the server)';
    if (old === null) out.push({ role, kind: 'version', summary: `${role}: new role, version ${rp.version}${tag}`, after: String(rp.version) });
    else out.push({ role, kind: 'version', summary: `${role}: version ${scalar(old['version'])} → ${rp.version}${tag}`, before: scalar(old['version']), after: String(rp.version) });
    if (old === null || old['expires'] !== rp.expires) {
      out.push(
        old === null
          ? { role, kind: 'expires', summary: `${role}: expires ${rp.expires}`, after: rp.expires }
          : { role, kind: 'expires', summary: `${role}: expires ${scalar(old['expires'])} → ${rp.expires}`, before: scalar(old['expires']), after: rp.expires },
      );
    }
    if (role === 'root') out.push(...rootDiff(old, rp.signed, name));
    else if (role === 'snapshot' || role === 'timestamp') out.push(...metaDiff(role, old, rp.signed));
    else out.push(...delegationDiff(role, old, rp.signed, name), ...targetDiff(role, old, rp.signed));
  }
  return out;
}

function rootDiff(old: JsonObject | null, next: JsonObject, name: (id: string) => string): DiffEntry[] {
  const out: DiffEntry[] = [];
  for (const r of TOP_LEVEL_ROLES) {
    const a = old ? rootRole(old, r) : null;
    const b = rootRole(next, r);
    if (!b) continue;
    const label = r === 'root' ? 'root keys' : `${r} keys`;
    for (const id of b.keyids) if (!a?.keyids.includes(id)) out.push({ role: 'root', kind: 'key-added', summary: `root: ${label} + ${name(id)}`, after: id });
    for (const id of a?.keyids ?? []) if (!b.keyids.includes(id)) out.push({ role: 'root', kind: 'key-removed', summary: `root: ${label} − ${name(id)}`, before: id });
    if (a === null) out.push({ role: 'root', kind: 'threshold', summary: `root: ${r} threshold ${b.threshold} of ${b.keyids.length}`, after: String(b.threshold) });
    else if (a.threshold !== b.threshold) out.push({ role: 'root', kind: 'threshold', summary: `root: ${r} threshold ${a.threshold} → ${b.threshold} (of ${b.keyids.length} keys)`, before: String(a.threshold), after: String(b.threshold) });
  }
  if (old && old['consistent_snapshot'] !== next['consistent_snapshot']) {
    out.push({ role: 'root', kind: 'other', summary: `root: consistent_snapshot ${scalar(old['consistent_snapshot'])} → ${scalar(next['consistent_snapshot'])}` });
  }
  return out;
}

function describeDelegation(d: { keyids: string[]; threshold: number; paths: string[]; terminating: boolean }, name: (id: string) => string): string {
  const paths = d.paths.map((p) => (p === '' ? '"" (everything)' : p)).join(', ');
  return `signers ${d.threshold}/${d.keyids.length} of [${d.keyids.map(name).join(', ')}], paths ${paths}${d.terminating ? ', terminating' : ''}`;
}

function delegationDiff(role: string, old: JsonObject | null, next: JsonObject, name: (id: string) => string): DiffEntry[] {
  const out: DiffEntry[] = [];
  const a = new Map((old ? delegationsOf(role, old) : []).map((d) => [d.name, d]));
  const b = new Map(delegationsOf(role, next).map((d) => [d.name, d]));
  for (const [n, d] of b) {
    const prev = a.get(n);
    if (!prev) {
      out.push({ role, kind: 'delegation-added', summary: `${role}: + delegation ${n}: ${describeDelegation(d, name)}`, after: n });
      continue;
    }
    for (const id of d.keyids) if (!prev.keyids.includes(id)) out.push({ role, kind: 'key-added', summary: `${role}: ${n} + key ${name(id)}`, after: id });
    for (const id of prev.keyids) if (!d.keyids.includes(id)) out.push({ role, kind: 'key-removed', summary: `${role}: ${n} − key ${name(id)}`, before: id });
    if (prev.threshold !== d.threshold) out.push({ role, kind: 'threshold', summary: `${role}: ${n} threshold ${prev.threshold} → ${d.threshold}`, before: String(prev.threshold), after: String(d.threshold) });
    if (canonicalString(prev.paths) !== canonicalString(d.paths) || prev.terminating !== d.terminating) {
      out.push({ role, kind: 'delegation-changed', summary: `${role}: ${n} was ${describeDelegation(prev, name)}; now ${describeDelegation(d, name)}` });
    }
  }
  for (const [n, d] of a) {
    if (!b.has(n)) out.push({ role, kind: 'delegation-removed', summary: `${role}: − delegation ${n} (was ${describeDelegation(d, name)})`, before: n });
  }
  return out;
}

/** A hash value as lower-case hex: TUF writes hex, Notary base64. */
function hashHex(value: JsonValue | undefined): string {
  if (typeof value !== 'string') return '?';
  if (/^[0-9a-f]+$/i.test(value) && value.length % 2 === 0) return value.toLowerCase();
  const bytes = fromBase64(value);
  return bytes === null ? value : toHex(bytes);
}

/** What a keyholder compares: the length and the full strongest digest (review F11: a same-length swap must show). */
function showTarget(t: JsonValue | undefined): string {
  if (!isObj(t)) return '?';
  const hashes = isObj(t['hashes']) ? t['hashes'] : {};
  const alg = ['sha256', 'sha512', 'sha384'].find((a) => a in hashes) ?? Object.keys(hashes).sort()[0];
  const digest = alg === undefined ? 'no hash' : `${alg}:${hashHex(hashes[alg])}`;
  const custom = t['custom'] !== undefined ? `, custom ${canonicalString(t['custom'])}` : '';
  return `${scalar(t['length'])} bytes, ${digest}${custom}`;
}

function targetChanges(a: JsonValue, b: JsonValue): string {
  if (!isObj(a) || !isObj(b)) return 'content';
  const parts = (['length', 'hashes', 'custom'] as const).filter((k) => canonicalString(a[k] ?? null) !== canonicalString(b[k] ?? null));
  const other = Object.keys({ ...a, ...b }).filter((k) => !['length', 'hashes', 'custom'].includes(k) && canonicalString(a[k] ?? null) !== canonicalString(b[k] ?? null));
  return [...parts, ...other].join(', ') || 'content';
}

function targetDiff(role: string, old: JsonObject | null, next: JsonObject): DiffEntry[] {
  const out: DiffEntry[] = [];
  const a = old && isObj(old['targets']) ? old['targets'] : {};
  const b = isObj(next['targets']) ? next['targets'] : {};
  for (const path of Object.keys(b)) {
    if (!(path in a)) out.push({ role, kind: 'target-added', summary: `${role}: + target ${JSON.stringify(path)} (${showTarget(b[path])})`, after: path });
    else if (canonicalString(a[path]!) !== canonicalString(b[path]!)) {
      out.push({ role, kind: 'target-changed', summary: `${role}: target ${JSON.stringify(path)} changed ${targetChanges(a[path]!, b[path]!)} (${showTarget(a[path])} → ${showTarget(b[path])})`, before: path, after: path });
    }
  }
  for (const path of Object.keys(a)) if (!(path in b)) out.push({ role, kind: 'target-removed', summary: `${role}: − target ${JSON.stringify(path)}`, before: path });
  return out;
}

function metaDiff(role: string, old: JsonObject | null, next: JsonObject): DiffEntry[] {
  const out: DiffEntry[] = [];
  const a = old && isObj(old['meta']) ? old['meta'] : {};
  const b = isObj(next['meta']) ? next['meta'] : {};
  for (const k of Object.keys(b)) {
    const va = a[k];
    const vb = b[k];
    if (va === undefined) out.push({ role, kind: 'other', summary: `${role}: + meta ${k}${isObj(vb) && vb['version'] !== undefined ? ` version ${scalar(vb['version'])}` : ''}` });
    else if (canonicalString(va) !== canonicalString(vb!)) {
      const v1 = isObj(va) ? va['version'] : undefined;
      const v2 = isObj(vb) ? vb['version'] : undefined;
      out.push({ role, kind: 'other', summary: v1 !== undefined && v2 !== undefined ? `${role}: meta ${k} version ${scalar(v1)} → ${scalar(v2)}` : `${role}: meta ${k} changed` });
    }
  }
  return out;
}
