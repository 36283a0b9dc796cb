import type { Envelope, Key, RoleVerification, Signed, SignedType } from '../tuf/model';
import { toHex } from '../tuf/encoding';
import { parseMetadata } from '../tuf/metadata';
import { parseTargetsScanned, ScannedTargetMap } from '../tuf/targets-scan-model';
import type { InspectContext } from './context';
import type { PreverifiedRole } from './preverified';
import type { RoleKind, RoleStatus, RoleView } from './report';

/** One role file as the engine saw it. */
export interface LoadedRole {
  name: string;
  kind: RoleKind;
  parent: string | null;
  bytes: Uint8Array | null;
  envelope: Envelope | null;
  /** Why the file is unusable, when it is. */
  problem: 'missing' | 'malformed' | null;
  verification: RoleVerification | null;
  /** Role keys/threshold as the delegating metadata declares them. */
  keyids: string[];
  threshold: number;
  /** Signatures verified AND every delegating role above it trusted. */
  trusted: boolean;
  expired: boolean;
  paths: string[] | null;
  pathHashPrefixes: string[] | null;
  terminating: boolean | null;
  targetCount: number;
  sha256: string | null;
  /** Facts computed from the file off-thread (the file's bytes are then never held here). */
  facts: PreverifiedRole | null;
}

/** Lower-case hex (table-driven: called for every target path's hash in hash-bin repositories). */
export function hex(bytes: Uint8Array): string {
  return toHex(bytes);
}

/** Parse a non-root role file; failures become MALFORMED_ROLE / MISSING_ROLE findings. */
export function loadRoleFile(
  ctx: InspectContext,
  name: string,
  expectedType: SignedType,
  severityIfMissing: 'error' | 'warning',
): { bytes: Uint8Array | null; envelope: Envelope | null; problem: 'missing' | 'malformed' | null } {
  const bytes = ctx.input.files.get(name) ?? null;
  if (bytes === null) {
    reportMissing(ctx, name, severityIfMissing, ctx.input.unavailable?.includes(name) ?? false);
    return { bytes: null, envelope: null, problem: 'missing' };
  }
  ctx.progress();
  try {
    // Canonical TUF targets files (python-tuf, go-tuf write them so) go through the byte scanner:
    // no JSON object tree, no per-target object; anything else (or a refusal) parses strictly.
    const pre = ctx.input.preparsed?.get(name);
    // A scanner-built envelope is not reused when the caller asked for the strict parser.
    const scannedPre = pre?.signed.type === 'targets' && pre.signed.targets instanceof ScannedTargetMap;
    const reuse = pre !== undefined && pre.bytes === bytes && pre.dialect === ctx.dialect && pre.signed.type === expectedType && !(scannedPre && ctx.options.fastScan === false) ? pre : null;
    const scanned = reuse === null && expectedType === 'targets' && ctx.dialect === 'tuf-1.0' && ctx.options.fastScan !== false ? parseTargetsScanned(bytes) : null;
    const envelope = reuse ?? scanned ?? parseMetadata(bytes, { expectedType, dialect: ctx.dialect });
    return { bytes, envelope, problem: null };
  } catch (error) {
    reportMalformed(ctx, name, error instanceof Error ? error.message : String(error));
    return { bytes, envelope: null, problem: 'malformed' };
  }
}

/** MISSING_ROLE; `unavailable` = the loader looked for the file and could not get it. */
export function reportMissing(ctx: InspectContext, name: string, severity: 'error' | 'warning', unavailable: boolean): void {
  ctx.findings.add(
    'MISSING_ROLE',
    severity,
    unavailable ? `${name} could not be fetched from ${ctx.input.source.location}.` : `${name} metadata is missing from ${ctx.input.source.location}.`,
    { role: name },
  );
}

export function reportMalformed(ctx: InspectContext, name: string, message: string): void {
  ctx.findings.error('MALFORMED_ROLE', `${name} metadata cannot be used: ${message}`, { role: name });
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** EXPIRED at `at` (python-tuf: expired when now >= expires), or EXPIRING_SOON within warn days. */
export function checkExpiry(ctx: InspectContext, role: string, signed: Pick<Signed, 'expires' | 'expiresAt' | 'expiresStrict'>): boolean {
  // Catalogue #18: python-tuf parses only `YYYY-MM-DDTHH:MM:SSZ`; tuf-js and go-tuf are laxer,
  // so the role still counts, but some clients will refuse the file.
  if (ctx.dialect === 'tuf-1.0' && !signed.expiresStrict) {
    ctx.findings.warning('MALFORMED_ROLE', `${role} expires "${signed.expires}", not in the YYYY-MM-DDTHH:MM:SSZ form TUF requires; python-tuf rejects it.`, {
      role,
    });
  }
  if (ctx.now >= signed.expiresAt) {
    ctx.findings.error('EXPIRED', `${role} expired ${signed.expires} (evaluated at ${new Date(ctx.now).toISOString()}).`, { role });
    return true;
  }
  if (signed.expiresAt - ctx.now < ctx.options.warnDays * DAY_MS) {
    const days = Math.floor((signed.expiresAt - ctx.now) / DAY_MS);
    ctx.findings.warning('EXPIRING_SOON', `${role} expires ${signed.expires}, in ${days} day(s).`, { role });
  }
  return false;
}

/**
 * ROLLBACK when a role's version is lower than the workspace's trusted one. `reset` roles are
 * exempt: after their keys rotate, §5.3.11 has clients forget the trusted version (fast-forward
 * recovery), so a lower version is legitimate.
 */
export function checkRollback(ctx: InspectContext, role: string, version: number, reset: ReadonlySet<string> = new Set()): void {
  const trusted = ctx.options.trusted?.versions[role];
  if (trusted !== undefined && version < trusted && reset.has(role)) {
    ctx.findings.info('ROLLBACK', `${role} is version ${version}, below the trusted ${trusted}, after its keys were rotated (fast-forward recovery); accepted.`, {
      role,
    });
    return;
  }
  if (trusted !== undefined && version < trusted) {
    ctx.findings.error('ROLLBACK', `${role} is version ${version}, lower than the trusted version ${trusted}.`, { role });
  }
}

export function statusOf(role: LoadedRole): RoleStatus {
  if (role.problem === 'missing') return 'missing';
  if (role.problem === 'malformed') return 'malformed';
  if (!role.trusted) return 'invalid';
  if (role.expired) return 'expired';
  return 'valid';
}

export function roleView(role: LoadedRole): RoleView {
  const signed = role.envelope?.signed ?? role.facts?.signed ?? null;
  return {
    name: role.name,
    kind: role.kind,
    parent: role.parent,
    version: signed?.version ?? null,
    expires: signed?.expires ?? null,
    threshold: role.threshold,
    keyids: role.keyids,
    validSignatures: role.verification?.valid ?? 0,
    requiredSignatures: role.threshold,
    signers: role.verification?.signers ?? [],
    status: statusOf(role),
    paths: role.paths,
    pathHashPrefixes: role.pathHashPrefixes,
    terminating: role.terminating,
    targetCount: role.targetCount,
    length: role.bytes?.length ?? role.facts?.length ?? null,
    sha256: role.sha256,
  };
}

export function newLoadedRole(name: string, kind: RoleKind, parent: string | null, keyids: string[], threshold: number): LoadedRole {
  return {
    name,
    kind,
    parent,
    bytes: null,
    envelope: null,
    problem: null,
    verification: null,
    keyids,
    threshold,
    trusted: false,
    expired: false,
    paths: null,
    pathHashPrefixes: null,
    terminating: null,
    targetCount: 0,
    sha256: null,
    facts: null,
  };
}

/** Map of keys restricted to nothing: for roles whose delegator could not be read. */
export const NO_KEYS: ReadonlyMap<string, Key> = new Map();
