/** Builds an EnginePlan for `keyrite ceremony <kind>` from its flags (key specs, thresholds, expiries). */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';

import type { CeremonyKind } from '../../shared/ceremony/types';
import { parseKeySpec, type EnginePlan, type KeySpec } from '../core/ceremonies';
import { CliUsageError } from './cli-io';

export interface PlanFlags {
  rootKey?: string[];
  targetsKey?: string[];
  snapshotKey?: string[];
  timestampKey?: string[];
  threshold?: string;
  targetsThreshold?: string;
  onlineRoles?: string;
  addKey?: string[];
  removeKey?: string[];
  role?: string[];
  key?: string[];
  serverManaged?: boolean;
  name?: string;
  paths?: string[];
  terminating?: boolean;
  parent?: string;
  compromised?: string[];
  lost?: string[];
  lostToken?: string[];
  replace?: string[];
  roleThreshold?: string[];
  expires?: string[];
  dropTargets?: string[];
  acknowledgeTargets?: string[];
}

export function planFromFlags(kind: CeremonyKind, f: PlanFlags, now: Date): EnginePlan {
  const expires = expiries(f.expires, now);
  switch (kind) {
    case 'init': {
      if (!f.rootKey?.length) throw new CliUsageError('init needs at least one --root-key');
      if (!f.targetsKey?.length) throw new CliUsageError('init needs a --targets-key');
      const online = f.onlineRoles === undefined ? undefined : f.onlineRoles.split(',').filter(Boolean);
      if (online?.some((r) => r !== 'snapshot' && r !== 'timestamp')) throw new CliUsageError('--online-roles takes snapshot and/or timestamp');
      return {
        kind,
        rootKeys: specs(f.rootKey),
        rootThreshold: int(f.threshold, '--threshold') ?? 1,
        targetsKeys: specs(f.targetsKey),
        ...opt('targetsThreshold', int(f.targetsThreshold, '--targets-threshold')),
        ...(f.snapshotKey?.length ? { snapshotKeys: specs(f.snapshotKey) } : {}),
        ...(f.timestampKey?.length ? { timestampKeys: specs(f.timestampKey) } : {}),
        ...(online ? { onlineRoles: online as ('snapshot' | 'timestamp')[] } : {}),
        ...(Object.keys(expires).length ? { expires } : {}),
      };
    }
    case 'rotate-root': {
      // Only root is re-signed: an expiry for another role would be silently meaningless.
      const other = Object.keys(expires).find((role) => role !== 'root');
      if (other !== undefined) throw new CliUsageError(`rotate-root re-signs only root; --expires ${other}=… does not apply (use --expires root=…)`);
      return {
        kind,
        ...(f.addKey?.length ? { add: specs(f.addKey) } : {}),
        ...(f.removeKey?.length ? { remove: f.removeKey.map((k) => k.toLowerCase()) } : {}),
        ...opt('threshold', int(f.threshold, '--threshold')),
        ...(expires['root'] === undefined ? {} : { expires: { root: expires['root'] } }),
      };
    }
    case 'rotate-key': {
      const role = f.role?.[0];
      if (role !== 'targets' && role !== 'snapshot' && role !== 'timestamp') throw new CliUsageError('rotate-key needs --role targets|snapshot|timestamp');
      return { kind, role, ...(f.key?.length ? { newKeys: specs(f.key) } : {}), ...opt('threshold', int(f.threshold, '--threshold')), ...(f.serverManaged ? { serverManaged: true } : {}) };
    }
    case 'add-signer':
      if (!f.name) throw new CliUsageError('add-signer needs --name');
      if (!f.key?.length) throw new CliUsageError('add-signer needs at least one --key');
      return {
        kind,
        name: f.name,
        keys: specs(f.key),
        ...opt('threshold', int(f.threshold, '--threshold')),
        ...(f.paths?.length ? { paths: f.paths } : {}),
        ...(f.terminating ? { terminating: true } : {}),
        ...opt('parent', f.parent),
      };
    case 'remove-signer':
      if (!f.name) throw new CliUsageError('remove-signer needs --name');
      return { kind, name: f.name, ...opt('parent', f.parent) };
    case 'recover':
      if (!f.compromised?.length && !f.lost?.length && !f.lostToken?.length) throw new CliUsageError('recover needs --compromised KEYID, --lost KEYID and/or --lost-token SERIAL');
      return {
        kind,
        compromised: (f.compromised ?? []).map((k) => k.toLowerCase()),
        ...(f.lost?.length ? { lost: f.lost.map((k) => k.toLowerCase()) } : {}),
        // Resolved to key ids from the inventory once the request is read (withLostTokens, review F13).
        ...(f.lostToken?.length ? { lostTokens: f.lostToken } : {}),
        ...(f.replace?.length ? { replacements: replacements(f.replace) } : {}),
        ...(f.roleThreshold?.length ? { thresholds: Object.fromEntries(pairs(f.roleThreshold, '--role-threshold').map(([r, v]) => [r, int(v, '--role-threshold') ?? 1])) } : {}),
        ...(f.dropTargets?.length ? { dropTargets: dropTargets(f.dropTargets) } : {}),
        ...(f.acknowledgeTargets?.length ? { acknowledgeTargets: f.acknowledgeTargets } : {}),
      };
    case 'refresh':
      return { kind, ...(f.role?.length ? { roles: f.role } : {}), ...(Object.keys(expires).length ? { expires } : {}) };
    case 'sign-targets':
      return { kind };
  }
}

function specs(values: string[]): KeySpec[] {
  return values.map((v) => {
    const pub = /^pubkey:(.+)$/.exec(v);
    if (pub) return publicKeySpec(pub[1] as string);
    try {
      return parseKeySpec(v);
    } catch (error) {
      throw new CliUsageError(error instanceof Error ? error.message : String(error));
    }
  });
}

/** `pubkey:FILE`: a PEM (or DER) public key of someone who signs elsewhere (a delegation signer). */
function publicKeySpec(file: string): KeySpec {
  try {
    const bytes = readFileSync(file);
    const text = bytes.toString('utf8');
    const key = text.includes('-----BEGIN') ? createPublicKey(text) : createPublicKey({ key: bytes, format: 'der', type: 'spki' });
    return { kind: 'spki', spkiDer: key.export({ type: 'spki', format: 'der' }).toString('base64') };
  } catch (error) {
    throw new CliUsageError(`cannot read public key ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** `--drop-targets ROLE` (every suspect target of ROLE) or `--drop-targets ROLE=PATH` (repeatable). */
function dropTargets(values: string[]): Record<string, string[] | 'all'> {
  const out: Record<string, string[] | 'all'> = {};
  for (const v of values) {
    if (!v.includes('=')) {
      out[v] = 'all';
      continue;
    }
    const [role, target] = pairs([v], '--drop-targets')[0] as [string, string];
    const prev = out[role];
    if (prev !== 'all') out[role] = [...(prev ?? []), target];
  }
  return out;
}

function replacements(values: string[]): Record<string, KeySpec[]> {
  const out: Record<string, KeySpec[]> = {};
  for (const [role, spec] of pairs(values, '--replace')) (out[role] ??= []).push(...specs([spec]));
  return out;
}

function pairs(values: string[], flag: string): [string, string][] {
  return values.map((v) => {
    const at = v.indexOf('=');
    if (at <= 0) throw new CliUsageError(`${flag} takes ROLE=VALUE, got "${v}"`);
    return [v.slice(0, at), v.slice(at + 1)];
  });
}

/** `--expires root=2027-01-01T00:00:00Z` or `--expires targets=90d` (days from the ceremony clock); a bare value means root. */
function expiries(values: string[] | undefined, now: Date): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values ?? []) {
    const [role, text] = value.includes('=') ? (pairs([value], '--expires')[0] as [string, string]) : ['root', value];
    const days = /^(\d{1,5})d$/.exec(text);
    if (days) out[role] = new Date(now.getTime() + Number(days[1]) * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    else if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text) && !Number.isNaN(Date.parse(text))) out[role] = text;
    else throw new CliUsageError(`--expires takes ROLE=YYYY-MM-DDTHH:MM:SSZ or ROLE=<days>d, got "${value}"`);
  }
  return out;
}

function int(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^[1-9]\d{0,3}$/.test(value)) throw new CliUsageError(`${flag} must be a positive integer, got "${value}"`);
  return Number(value);
}

function opt<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
