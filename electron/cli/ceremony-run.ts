/** Actions of `keyrite ceremony ...` (see ceremony-commands.ts for the flags). */
import path from 'node:path';

import { KeyriteError } from '../../shared/errors';
import type { CeremonyKind, RepoState } from '../../shared/ceremony/types';
import { readBundleFile } from '../core/bundles';
import { CeremonyError, EquivocationError, exportPartial, exportSigned, importPartial, mergePartial, pinnedAnchor, withLostTokens, withTrustedBaseline, type CeremonyView, type TrustAnchor } from '../core/ceremonies';
import { readFileCapped } from '../core/fs/atomic-write';
import { ceremonyLockPath, JournalCorruptError, lockReport, signedLedgerLockPath } from '../core/journal';
import { CliUsageError, EXIT } from './cli-io';
import { ceremonyContext, type CeremonyAccessFlags, type CeremonyContext, type CeremonyIo } from './ceremony-context';
import { planFromFlags, type PlanFlags } from './ceremony-plan-flags';
import { formatCeremony, formatLock } from './ceremony-print';
import { runSitting, type SittingFlags } from './ceremony-sitting';
import { printable } from './table';

export type KindFlags = CeremonyAccessFlags & SittingFlags & PlanFlags & { request?: string; ceremonyId?: string; trustedRoot?: string };

const MAX_REQUEST_BYTES = 256 * 1024 * 1024;

export function runCeremonyKind(kind: CeremonyKind, flags: KindFlags, io: CeremonyIo): Promise<number> {
  return withContext(flags, io, async (ctx) => {
    if (!flags.request) throw new CliUsageError('--request FILE is required');
    const request = await readRequest(path.resolve(io.cwd, flags.request));
    const lostTokenReport = (serial: string, ids: string[]): void =>
      io.stderr(`lost token ${printable(serial)}: ${ids.length} key(s) of ${printable(request.name)} marked lost: ${ids.map((id) => `${id.slice(0, 12)}…`).join(', ')}\n`);
    const flagged = await withLostTokens(ctx.service, planFromFlags(kind, flags, ctx.service.deps.clock()), request, lostTokenReport);
    const plan = await withTrustedBaseline(ctx.service, flagged, request);
    const pinned = await pinnedRoot(flags.trustedRoot, request.dialect, io);
    const view = await ctx.service.start(plan, request, ctx.access, { ...(flags.ceremonyId ? { ceremonyId: flags.ceremonyId } : {}), ...(pinned ? { trustedRoot: pinned } : {}), clockSource: flags.now ? 'operator' : 'system', ...roleFlags(flags) });
    io.stderr(`ceremony ${view.id} started (journal: ${path.join(ctx.workspaceDir, 'ceremonies', view.id, 'journal.jsonl')})\n`);
    const { clock, operator, witness, tool } = (await ctx.service.state(view.id)).plan;
    if (operator && witness) io.stderr(`operator ${printable(operator)}, witness ${printable(witness)}; journalled\n`);
    if (tool) io.stderr(`tool: keyrite ${tool.version}, sha256 ${tool.sha256 ?? 'unreadable'} (${tool.file}); journalled\n`);
    if (clock) io.stderr(`clock: ${clock.source === 'operator' ? `reference time ${clock.at} confirmed by the operator (system clock ${clock.system})` : `system clock ${clock.at}`}, not before ${clock.floorFrom === 'journal' ? 'the newest journal entry' : 'the request creation'} (${clock.floor ?? '?'}); journalled\n`);
    return runSitting(ctx, view.id, flags, io);
  });
}

export function runResume(id: string | undefined, flags: KindFlags, io: CeremonyIo): Promise<number> {
  return withContext(flags, io, async (ctx) => runSitting(ctx, id ?? (await onlyOpenCeremony(ctx)), flags, io));
}

export function runSign(id: string | undefined, flags: KindFlags & { bundle?: string }, io: CeremonyIo): Promise<number> {
  return withContext(flags, io, async (ctx) => {
    let target = id;
    if (flags.bundle) {
      const file = path.resolve(io.cwd, flags.bundle);
      const pinned = flags.trustedRoot === undefined ? null : await pinnedRoot(flags.trustedRoot, (await readBundleFile(file)).manifest.repository.dialect, io);
      const imported = await importPartial(ctx.service, file, pinned ? { trustedRoot: pinned } : {});
      io.stderr(`${imported.created ? 'imported' : 'merged into'} ceremony ${imported.view.id}\n`);
      target = imported.view.id;
    }
    if (!target) target = await onlyOpenCeremony(ctx);
    return runSitting(ctx, target, flags, io);
  });
}

export function runStatus(id: string | undefined, flags: KindFlags, io: CeremonyIo): Promise<number> {
  return withContext(flags, io, async (ctx) => {
    // Lock holders are read, never taken: status works while another process holds them.
    const ledgerLock = await lockReport(signedLedgerLockPath(ctx.workspaceDir));
    if (id) {
      const view = await ctx.service.open(id);
      const locks = { lock: await lockReport(ceremonyLockPath(ctx.workspaceDir, id)), ledgerLock };
      io.stdout(flags.json ? `${JSON.stringify({ ...view, ...locks }, null, 2)}\n` : formatCeremony(view, locks));
      return EXIT.ok;
    }
    const views = await Promise.all((await ctx.service.list()).map(async (v) => ({ v, lock: await lockReport(ceremonyLockPath(ctx.workspaceDir, v.id)) })));
    if (flags.json) io.stdout(`${JSON.stringify(views.map(({ v, lock }) => ({ ...summary(v), lock })), null, 2)}\n`);
    else if (views.length === 0) io.stdout('No ceremonies in this workspace.\n');
    else for (const { v, lock } of views) io.stdout(`${v.id}  ${v.kind}  ${printable(v.repository)}  ${v.phase}${v.progress ? (v.progress.complete ? '  signatures complete' : '  signatures missing') : ''}${lock ? `  LOCKED: ${formatLock(lock, `keyrite ceremony unlock ${v.id}`)}` : ''}\n`);
    if (!flags.json && ledgerLock) io.stdout(`signed ledger lock: ${formatLock(ledgerLock, 'keyrite ceremony unlock --ledger')}\n`);
    return EXIT.ok;
  });
}

export function runMerge(id: string, bundles: string[], flags: KindFlags, io: CeremonyIo): Promise<number> {
  return withContext(flags, io, async (ctx) => {
    let view: CeremonyView | null = null;
    for (const file of bundles) {
      const result = await mergePartial(ctx.service, id, path.resolve(io.cwd, file));
      io.stderr(`merged ${result.merged.length} verified signature(s) from ${file}\n`);
      view = result.view;
    }
    if (view) io.stdout(flags.json ? `${JSON.stringify(view, null, 2)}\n` : formatCeremony(view));
    return EXIT.ok;
  });
}

export function runExport(id: string, flags: KindFlags & { partial?: boolean }, io: CeremonyIo): Promise<number> {
  return withContext(flags, io, async (ctx) => {
    if (!flags.out) throw new CliUsageError('--out FILE is required');
    const out = flags.partial ? await exportPartial(ctx.service, id, path.resolve(io.cwd, flags.out)) : await exportSigned(ctx.service, id, path.resolve(io.cwd, flags.out));
    io.stdout(`${flags.partial ? 'Partial-signature' : 'Signed'} bundle written to ${out.path} (sha256 ${out.sha256})\nJournal head: ${out.journalHead}\n`);
    return EXIT.ok;
  });
}

export function runAbort(id: string, flags: KindFlags & { reason: string }, io: CeremonyIo): Promise<number> {
  return withContext(flags, io, async (ctx) => {
    await ctx.service.abort(id, flags.reason);
    io.stdout(`Ceremony ${id} aborted.\n`);
    return EXIT.ok;
  });
}

function roleFlags(flags: KindFlags): { operator?: string; witness?: string } {
  return { ...(flags.operator === undefined ? {} : { operator: flags.operator }), ...(flags.witness === undefined ? {} : { witness: flags.witness }) };
}

/** Runs with a context and closes it (token host included); refusals are exit 1 with their message. */
export async function withContext(flags: CeremonyAccessFlags, io: CeremonyIo, body: (ctx: CeremonyContext) => Promise<number>): Promise<number> {
  const ctx = ceremonyContext(flags, io);
  try {
    return await body(ctx);
  } catch (error) {
    if (error instanceof CeremonyError || error instanceof KeyriteError || error instanceof EquivocationError || error instanceof JournalCorruptError) {
      io.stderr(`keyrite: refused: ${error.message}\n`);
      return EXIT.findings;
    }
    throw error;
  } finally {
    await ctx.close();
  }
}

async function onlyOpenCeremony(ctx: CeremonyContext): Promise<string> {
  const open = (await ctx.service.list()).filter((v) => v.phase !== 'exported' && v.phase !== 'aborted');
  if (open.length === 1 && open[0]) return open[0].id;
  if (open.length === 0) throw new CliUsageError('no unfinished ceremony in this workspace');
  throw new CliUsageError(`several unfinished ceremonies; name one: ${open.map((v) => v.id).join(', ')}`);
}

/** `--trusted-root FILE`: the root the operator pins for this ceremony (instead of the workspace's). */
async function pinnedRoot(file: string | undefined, dialect: RepoState['dialect'], io: CeremonyIo): Promise<TrustAnchor | null> {
  if (file === undefined) return null;
  const bytes = await readFileCapped(path.resolve(io.cwd, file), 1024 * 1024);
  if (bytes === null) throw new CliUsageError(`--trusted-root ${file} does not exist`);
  return pinnedAnchor(bytes, dialect, file);
}

async function readRequest(file: string): Promise<RepoState> {
  if ((await readFileCapped(file, MAX_REQUEST_BYTES)) === null) throw new CliUsageError(`request ${file} does not exist`);
  const bundle = await readBundleFile(file);
  if (bundle.manifest.kind !== 'request' || !bundle.content.state) throw new CliUsageError(`${file} is a ${bundle.manifest.kind} bundle, not a request bundle from "keyrite pull"`);
  return bundle.content.state;
}

function summary(v: CeremonyView): Record<string, unknown> {
  return { id: v.id, kind: v.kind, repository: v.repository, dialect: v.dialect, phase: v.phase, complete: v.progress?.complete ?? false, journalHead: v.journalHead };
}
