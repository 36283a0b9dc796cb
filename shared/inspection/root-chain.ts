import { DEFAULT_MAX_ROOT_BYTES, type Envelope, type Root, type RoleVerification } from '../tuf/model';
import { computeKeyId } from '../tuf/keys';
import { parseMetadata } from '../tuf/metadata';
import type { InspectContext } from './context';
import { inputError } from './errors';
import type { RootStep } from './report';
import { short } from './notary-certs';
import { reportSignatures, verifyEnvelope } from './signatures';

export interface RootChainResult {
  /** The newest root: what the top-level roles are verified against. */
  root: Envelope<Root>;
  /** Bytes of that root (for the Notary snapshot's `root` entry). */
  rootBytes: Uint8Array;
  steps: RootStep[];
  /** False when any step N -> N+1 failed (ROOT_CHAIN_BROKEN was reported). */
  intact: boolean;
  /** The newest root's signatures against its own root role. */
  selfVerification: RoleVerification;
  /** The workspace's trusted root, when the walk started from it. */
  trustedRoot: Envelope<Root> | null;
}

function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function parseRoot(ctx: InspectContext, bytes: Uint8Array): Envelope<Root> {
  return parseMetadata(bytes, { expectedType: 'root', dialect: ctx.dialect, maxBytes: DEFAULT_MAX_ROOT_BYTES });
}

function keyidsOf(root: Root): string[] {
  return root.roles.get('root')?.keyids ?? [];
}

function thresholdOf(root: Root): number {
  return root.roles.get('root')?.threshold ?? 1;
}

/**
 * TUF §5.3 (and notary `updateRoot`): walk N -> N+1 from the trusted root (or version 1, or the
 * oldest root the source has), each new root signed by a threshold of the previous root's keys
 * AND of its own, version exactly N+1. Intermediate roots may be expired; the caller checks the
 * newest one's expiry. A broken step is reported and the walk goes on, so the report shows every
 * step; the newest root remains the anchor the top-level roles are checked against (the chain
 * finding already makes the repository unhealthy).
 */
export function verifyRootChain(ctx: InspectContext): RootChainResult {
  const { input, options, findings } = ctx;
  const history = new Map<number, Uint8Array>(input.rootHistory);
  const currentBytes = input.files.get('root');

  let current: Envelope<Root> | null = null;
  if (currentBytes !== undefined) {
    try {
      current = parseRoot(ctx, currentBytes);
    } catch (error) {
      throw inputError('root-unparseable', `root.json of ${input.source.location} cannot be parsed: ${describeError(error)}`);
    }
    ctx.progress();
    const same = history.get(current.signed.version);
    if (same !== undefined && !bytesEqual(same, currentBytes)) {
      findings.error(
        'ROOT_CHAIN_BROKEN',
        `root.json (version ${current.signed.version}) differs from ${current.signed.version}.root.json: two different roots claim the same version.`,
        { role: 'root' },
      );
    }
    history.set(current.signed.version, currentBytes);
  }
  if (history.size === 0) {
    throw inputError('no-root', `No root metadata in ${input.source.location}: expected root.json or N.root.json files.`);
  }
  const versions = [...history.keys()].sort((a, b) => a - b);
  const newest = versions[versions.length - 1] ?? 1;

  // Where the chain starts: the workspace's trusted root, else version 1, else the oldest we have.
  let start: Envelope<Root>;
  let startBytes: Uint8Array;
  let startVersion: number;
  const trusted = options.trusted;
  if (trusted?.rootBytes) {
    try {
      start = parseRoot(ctx, trusted.rootBytes);
    } catch (error) {
      throw inputError('chain-cannot-start', `The workspace's trusted root cannot be parsed, so the root chain cannot start: ${describeError(error)}`);
    }
    startBytes = trusted.rootBytes;
    startVersion = start.signed.version;
  } else {
    startVersion = versions[0] ?? newest;
    const bytes = history.get(startVersion);
    if (bytes === undefined) throw inputError('no-root', `No root metadata in ${input.source.location}.`);
    try {
      start = bytes === currentBytes && current !== null ? current : parseRoot(ctx, bytes);
    } catch (error) {
      throw inputError('chain-cannot-start', `${startVersion}.root.json cannot be parsed, so the root chain cannot start: ${describeError(error)}`);
    }
    startBytes = bytes;
    if (bytes !== currentBytes) ctx.progress();
    if (start.signed.version !== startVersion) {
      throw inputError(
        'chain-cannot-start',
        `${startVersion}.root.json contains version ${start.signed.version}; the root chain cannot start from a mislabelled root.`,
      );
    }
  }

  const steps: RootStep[] = [];
  let intact = true;
  // The first root is trusted by fiat (pinned, or trust on first use): only its own threshold.
  const startSelf = verifyEnvelope(ctx, start, start.signed.keys, keyidsOf(start.signed), thresholdOf(start.signed));
  {
    const self = startSelf;
    const ok = self.valid >= self.threshold;
    const errors = ok ? [] : [`root v${startVersion} is signed by ${self.valid} of its own keys; its threshold is ${self.threshold}`];
    const step = stepOf(start.signed, null, null, self.valid, self.threshold, ok, errors);
    if (startVersion < newest) historicalKeyIds(ctx, start.signed, step);
    steps.push(step);
    if (!ok && startVersion !== newest) {
      intact = false;
      findings.error('ROOT_CHAIN_BROKEN', `Root chain step ${startVersion}: ${errors[0] ?? ''}.`, { role: 'root' });
    }
  }

  if (trusted && trusted.rootVersion > newest) {
    findings.error('ROLLBACK', `The newest root here is version ${newest}, older than the trusted version ${trusted.rootVersion}.`, { role: 'root' });
  }

  let prev = start;
  let prevBytes = startBytes;
  // Self-verification of the last root walked, reused for the newest root's signature findings.
  let lastSelf: { envelope: Envelope<Root>; verification: RoleVerification } | null = null;
  const maxSteps = ctx.limits.maxRootRotations;
  for (let v = startVersion + 1; v <= newest; v++) {
    if (v - startVersion > maxSteps) {
      intact = false;
      findings.error('ROOT_CHAIN_BROKEN', `More than ${maxSteps} root rotations from version ${startVersion}; the walk stopped at ${v - 1}.`, {
        role: 'root',
      });
      break;
    }
    const bytes = history.get(v);
    if (bytes === undefined) {
      intact = false;
      findings.error('ROOT_CHAIN_BROKEN', `Root version ${v} is missing, so version ${v - 1} cannot be linked to ${newest}.`, { role: 'root' });
      // Keep walking from the next root we do have; its step fails the previous-keys check honestly.
      continue;
    }
    let next: Envelope<Root>;
    try {
      next = bytes === currentBytes && current !== null ? current : parseRoot(ctx, bytes);
    } catch (error) {
      intact = false;
      findings.error('ROOT_CHAIN_BROKEN', `${v}.root.json cannot be parsed: ${describeError(error)}`, { role: 'root' });
      if (bytes !== currentBytes) ctx.progress();
      continue;
    }
    if (bytes !== currentBytes) ctx.progress();
    const errors: string[] = [];
    const expected = prev.signed.version + 1;
    if (next.signed.version !== expected) {
      errors.push(`version is ${next.signed.version}, expected exactly ${expected}`);
    }
    const byPrev = verifyEnvelope(ctx, next, prev.signed.keys, keyidsOf(prev.signed), thresholdOf(prev.signed));
    const bySelf = verifyEnvelope(ctx, next, next.signed.keys, keyidsOf(next.signed), thresholdOf(next.signed));
    if (byPrev.valid < byPrev.threshold) {
      errors.push(`signed by ${byPrev.valid} of the previous root's (v${prev.signed.version}) keys; its threshold is ${byPrev.threshold}`);
    }
    if (bySelf.valid < bySelf.threshold) {
      errors.push(`signed by ${bySelf.valid} of its own keys; its threshold is ${bySelf.threshold}`);
    }
    const ok = errors.length === 0;
    const step = stepOf(next.signed, prev.signed, byPrev.valid, bySelf.valid, bySelf.threshold, ok, errors, byPrev.threshold);
    if (v < newest) historicalKeyIds(ctx, next.signed, step);
    steps.push(step);
    if (!ok) {
      intact = false;
      findings.error('ROOT_CHAIN_BROKEN', `Root chain step ${prev.signed.version} -> ${v}: ${errors.join('; ')}.`, { role: 'root' });
    }
    prev = next;
    prevBytes = bytes;
    lastSelf = { envelope: next, verification: bySelf };
  }

  // The newest root the walk reached (root.json may be older than N.root.json files beside it).
  const root = prev;
  const rootBytes = prevBytes;
  // Signature findings on the newest root: keys of the previous root may sign it legitimately.
  const previousKeys = new Set<string>();
  const prevStep = history.get(root.signed.version - 1);
  if (prevStep !== undefined) {
    try {
      for (const id of keyidsOf(parseRoot(ctx, prevStep).signed)) previousKeys.add(id);
    } catch {
      // Already reported as ROOT_CHAIN_BROKEN above; the signature view simply lacks its keys.
      previousKeys.clear();
    }
  }
  const self =
    root === start
      ? startSelf
      : root === lastSelf?.envelope
        ? lastSelf.verification
        : verifyEnvelope(ctx, root, root.signed.keys, keyidsOf(root.signed), thresholdOf(root.signed));
  reportSignatures(ctx, 'root', root, self, previousKeys);
  return { root, rootBytes, steps, intact, selfVerification: self, trustedRoot: trusted?.rootBytes ? start : null };
}

/**
 * keyid = sha256(canonical key) in an intermediate root (the newest root's keys are checked with
 * the key views). tuf-js and python-tuf do not check it and accept such a root; strict clients
 * (awslabs/tough) reject it, which is what sigstore root v11 did to them (root-signing#1431). So
 * the step stays ok and the mismatch is a warning naming the version.
 */
function historicalKeyIds(ctx: InspectContext, root: Root, step: RootStep): void {
  for (const [keyid, key] of root.keys) {
    let actual: string;
    try {
      actual = computeKeyId(key, ctx.dialect, ctx.crypto);
    } catch (error) {
      actual = `(cannot be computed: ${error instanceof Error ? error.message : String(error)})`;
    }
    if (actual === keyid) continue;
    const message = `root v${root.version} lists key ${short(keyid)} under a keyid that is not the SHA-256 of its canonical JSON (${short(actual)}).`;
    (step.warnings ??= []).push(message);
    ctx.findings.warning('KEYID_MISMATCH', message, {
      role: 'root',
      keyid,
      detail: 'tuf-js and python-tuf accept this root (they do not recompute keyids); awslabs/tough rejects it (sigstore/root-signing#1431).',
    });
  }
}

function stepOf(
  signed: Root,
  prev: Root | null,
  prevValid: number | null,
  selfValid: number,
  selfRequired: number,
  ok: boolean,
  errors: string[],
  prevRequired?: number,
): RootStep {
  const keyids = keyidsOf(signed);
  const prevIds = prev ? keyidsOf(prev) : [];
  return {
    version: signed.version,
    expires: signed.expires,
    threshold: thresholdOf(signed),
    keyids,
    added: prev ? keyids.filter((k) => !prevIds.includes(k)) : [],
    removed: prev ? prevIds.filter((k) => !keyids.includes(k)) : [],
    previousThreshold: prev ? thresholdOf(prev) : null,
    signedByPrevious: prev && prevValid !== null ? { valid: prevValid, required: prevRequired ?? thresholdOf(prev) } : null,
    signedBySelf: { valid: selfValid, required: selfRequired },
    ok,
    errors,
  };
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
