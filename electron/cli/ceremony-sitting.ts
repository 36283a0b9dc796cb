/**
 * One sitting of a ceremony at this workstation: show the proposal, pass the "Yes" gate, sign with
 * every key present here (tokens one after another, key files), then finalize and export when the
 * thresholds are met, or export a partial-signature bundle for the next sitting.
 */
import { createInterface } from 'node:readline/promises';

import { keyIdentity, signingTasks } from '../../shared/ceremony';
import type { KnownKey } from '../../shared/ceremony';
import type { CeremonyKey, Proposal, SignerRef } from '../../shared/ceremony/types';
import { ceremonyRoles, exportPartial, exportSigned, parseKeySpec, recoveryImpact, signCeremony, type CeremonyView } from '../core/ceremonies';
import { CliUsageError, EXIT } from './cli-io';
import type { CeremonyContext, CeremonyIo } from './ceremony-context';
import { formatCeremony, formatImpact, formatProgress } from './ceremony-print';

export interface SittingFlags {
  yes?: boolean;
  sign?: boolean;
  signWith?: string[];
  out?: string;
  partialOut?: string;
  json?: boolean;
  /** Named roles of this sitting (both or neither; recorded with its "Yes"). */
  operator?: string;
  witness?: string;
}

export async function runSitting(ctx: CeremonyContext, id: string, flags: SittingFlags, io: CeremonyIo): Promise<number> {
  const { service } = ctx;
  let view = await service.resume(id, ctx.access);
  const impact = view.kind === 'recover' ? await recoveryImpact(service, id) : null;
  if (!flags.json && impact) io.stdout(formatImpact(impact));
  if (!flags.json) io.stdout(formatCeremony(view));
  if (view.blocking.length > 0) {
    io.stderr(`keyrite: ceremony ${id} is blocked by failed rule checks; nothing was signed\n`);
    return EXIT.findings;
  }
  const people = ceremonyRoles(flags.operator, flags.witness);
  const wanted = flags.signWith?.map(parseSignWith);
  const signers = flags.sign === false || !view.proposal ? [] : keysHere(view.proposal, view, await service.knownKeys(), wanted, ctx).map(describe);
  // Every sitting that signs passes its own "Yes" (review F10): a later keyholder, day or workstation too.
  if (view.phase === 'proposed' || (view.phase === 'signing' && signers.length > 0)) {
    if (view.phase === 'signing' && !flags.json) io.stdout(`\nThis sitting signs with: ${signers.join(', ')}\n`);
    const typed = flags.yes ? 'Yes' : await askYes(io, view);
    if (typed !== 'Yes') {
      io.stderr('keyrite: not confirmed (type exactly "Yes"); nothing was signed\n');
      return EXIT.findings;
    }
    const via = flags.yes ? '--yes' : 'terminal';
    // The start's operator confirms the first sitting unless this sitting names its own.
    const operator = people?.operator ?? (view.phase === 'proposed' ? view.controls.operator : null);
    const witness = people?.witness ?? (view.phase === 'proposed' ? view.controls.witness : null);
    view = await service.confirm(id, 'Yes', operator ?? via, { via, ...(witness ? { witness } : {}), signers });
  }
  if (flags.sign !== false && view.phase === 'signing') view = await signHere(ctx, view, flags, io);
  const complete = view.progress?.complete === true && view.phase !== 'aborted';
  if (complete && flags.out) {
    const out = await exportSigned(service, id, flags.out);
    view = await service.open(id);
    report(io, flags, view, `Signed bundle written to ${out.path} (sha256 ${out.sha256}).`);
    return EXIT.ok;
  }
  if (flags.partialOut) {
    // Also when complete here: a co-signer hands its signatures back to the workstation that exports.
    const out = await exportPartial(service, id, flags.partialOut);
    report(io, flags, await service.open(id), `Partial-signature bundle written to ${out.path}${complete ? ' (every threshold is met)' : '; more signatures are needed (see above)'}.`);
    return EXIT.ok;
  }
  if (complete) {
    report(io, flags, view, `All signatures are in. Export with: keyrite ceremony export ${id} --out signed.bundle`);
    return EXIT.ok;
  }
  report(io, flags, view, `Ceremony ${id} still needs signatures: sign in another sitting ("keyrite ceremony resume ${id}") or export a partial bundle ("keyrite ceremony export ${id} --partial --out FILE").`);
  return EXIT.findings;
}

async function signHere(ctx: CeremonyContext, view: CeremonyView, flags: SittingFlags, io: CeremonyIo): Promise<CeremonyView> {
  const proposal = view.proposal;
  if (!proposal) return view;
  const wanted = flags.signWith?.map(parseSignWith);
  const local = await ctx.service.knownKeys();
  let current = view;
  // Two passes: a Notary offline snapshot is proposed once the other roles are complete; its key signs in the second.
  for (const pass of [0, 1]) {
    const now = current.proposal ?? proposal;
    if (pass === 1 && now.roles.length === proposal.roles.length) break;
    for (const key of keysHere(now, current, local, wanted, ctx)) {
      if (signingTasks(now, key.keyid, current.signatures).length === 0) continue;
      const label = describe(key);
      let signer;
      try {
        signer = await ctx.access.openSigner(key.signer, { label });
      } catch (error) {
        // A key that is not at this sitting (token not inserted) is someone else's turn, unless asked for by name.
        if (wanted) throw error;
        io.stderr(`keyrite: skipped ${label}: ${error instanceof Error ? error.message : String(error)}\n`);
        continue;
      }
      try {
        const outcome = await signCeremony(ctx.service, current.id, signer);
        for (const s of outcome.signed) io.stderr(`signed ${s.role} v${s.version} with ${s.signerLabel} (verified)\n`);
        current = outcome.view;
      } finally {
        await signer.close();
      }
    }
  }
  if (!flags.json) io.stdout(`\n${formatProgress(current).join('\n')}\n`);
  return current;
}

/** The proposal's keys this workstation can sign with now (deduplicated, --sign-with applied). */
function keysHere(proposal: Proposal, view: CeremonyView, local: KnownKey[], wanted: SignerRef[] | undefined, ctx: CeremonyContext): CeremonyKey[] {
  const seen = new Set<string>();
  const keys: CeremonyKey[] = [];
  for (const proposed of proposal.keys) {
    const identity = keyIdentity(proposed, ctx.service.deps.crypto);
    // A proposal from another workstation names our keys as "external": find them here by public key.
    const here = proposed.signer.kind === 'external' ? local.find((k) => k.spkiSha256 === identity && k.signer.kind !== 'external') : undefined;
    const key: CeremonyKey = here ? { ...proposed, signer: here.signer, ...(here.holder ? { holder: here.holder } : {}) } : proposed;
    if (seen.has(identity) || key.signer.kind === 'external') continue;
    seen.add(identity);
    if (wanted && !wanted.some((w) => matches(w, key.signer))) continue;
    if (signingTasks(proposal, key.keyid, view.signatures).length === 0) continue;
    keys.push(key);
  }
  return keys;
}

function parseSignWith(text: string): SignerRef {
  const spec = parseKeySpec(text);
  if (spec.kind === 'token') return { kind: 'token', tokenSerial: spec.tokenSerial, ckaId: spec.ckaId, spkiSha256: '' };
  if (spec.kind === 'file') return { kind: 'file', keyId: spec.keyId };
  throw new CliUsageError(`--sign-with takes token:SERIAL:CKAID or file:KEYID, got "${text}"`);
}

function matches(wanted: SignerRef, actual: SignerRef): boolean {
  if (wanted.kind === 'token' && actual.kind === 'token') return wanted.tokenSerial === actual.tokenSerial && wanted.ckaId === actual.ckaId;
  if (wanted.kind === 'file' && actual.kind === 'file') return actual.keyId.startsWith(wanted.keyId);
  return false;
}

function describe(key: CeremonyKey): string {
  const where = key.signer.kind === 'token' ? `token ${key.signer.tokenSerial}` : key.signer.kind === 'file' ? `key file ${key.signer.keyId.slice(0, 12)}…` : 'external';
  return `${key.keyid.slice(0, 12)}… on ${where}${key.holder ? ` (${key.holder})` : ''}`;
}

function report(io: CeremonyIo, flags: SittingFlags, view: CeremonyView, message: string): void {
  if (flags.json) io.stdout(`${JSON.stringify(view, null, 2)}\n`);
  else io.stdout(`\n${message}\nJournal head: ${view.journalHead}\n  ${view.journalWords.join(' ')}\n`);
}

async function askYes(io: CeremonyIo, view: CeremonyView): Promise<string> {
  const question = `\nSign ${view.kind} of ${view.repository} as shown above? Type "Yes" to sign: `;
  if (io.confirm) return (await io.confirm(question)).trim();
  if (io.confirm === null || !process.stdin.isTTY) throw new CliUsageError('confirmation needed and there is no terminal: review with "keyrite ceremony status" and pass --yes');
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}
