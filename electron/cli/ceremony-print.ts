/** Text rendering of a ceremony for the terminal: diff, rule checks, per-role progress, journal head. */
import type { ImpactReport } from '../../shared/ceremony';
import type { CeremonyView } from '../core/ceremonies';
import type { LockReport } from '../core/journal';
import { printable } from './table';

export function formatCeremony(view: CeremonyView, locks?: CeremonyLocks): string {
  const lines = [
    `Ceremony ${view.id}: ${view.kind} of ${printable(view.repository)} (${view.dialect}), ${view.phase}${view.imported ? ', imported from a partial bundle' : ''}`,
    `  started ${view.createdAt}; journal ${view.journalEntries} entries, head ${view.journalHead}`,
    `  head words: ${view.journalWords.join(' ')}`,
    ...(locks ? formatLocks(view.id, locks) : []),
  ];
  lines.push(...formatControls(view));
  if (view.aborted) lines.push(`  ABORTED: ${printable(view.aborted)}`);
  const proposal = view.proposal;
  if (!proposal) {
    lines.push('', 'No proposal yet (keys still to resolve): run "keyrite ceremony resume".');
    return `${lines.join('\n')}\n`;
  }
  lines.push('', 'Changes against the trusted state:');
  if (proposal.diff.length === 0) lines.push('  (none)');
  for (const d of proposal.diff) lines.push(`  ${printable(d.summary)}`);
  lines.push('', 'Metadata to sign:');
  for (const r of proposal.roles) lines.push(`  ${printable(r.role)} v${r.version}, expires ${r.expires}, ${r.signing}, payload sha256 ${r.payloadSha256}`);
  lines.push('', 'Rule checks:');
  for (const c of proposal.checks) {
    const mark = c.passed ? 'ok  ' : c.severity === 'blocking' ? 'FAIL' : c.severity === 'warning' ? 'WARN' : 'info';
    lines.push(`  [${mark}] ${c.code}${c.role ? ` (${printable(c.role)})` : ''}: ${printable(c.message)}`);
  }
  lines.push('', ...formatProgress(view));
  return `${lines.join('\n')}\n`;
}

export function formatProgress(view: CeremonyView): string[] {
  const progress = view.progress;
  if (!progress) return [];
  const lines = [`Signatures (${progress.complete ? 'complete' : 'incomplete'}):`];
  for (const role of progress.roles) {
    if (role.signing !== 'offline') {
      lines.push(`  ${printable(role.role)} v${role.version}: signed ${role.signing === 'online' ? 'with the online key at publish' : 'by the server'}`);
      continue;
    }
    for (const req of role.requirements) {
      lines.push(`  ${printable(role.role)} v${role.version} — ${printable(req.label)}: ${req.valid}/${req.threshold}${req.met ? ' ✓' : ''}`);
      if (!req.met) for (const m of req.missing) lines.push(`      can still sign: ${printable(m.name)}`);
    }
  }
  if (view.pending.signIntents.length > 0) {
    lines.push(`  interrupted signatures (resume re-signs the same bytes): ${view.pending.signIntents.map((i) => `${i.role} v${i.version} by ${i.keyid.slice(0, 12)}…`).join(', ')}`);
  }
  return lines;
}

export function formatImpact(report: ImpactReport): string {
  const lines = ['Impact of the compromised / lost keys:'];
  for (const r of report.roles) {
    if (r.compromised.length === 0 && r.lost.length === 0) continue;
    lines.push(
      `  ${printable(r.role)} (delegated by ${printable(r.delegatedBy)}): threshold ${r.threshold} of ${r.keyids.length}; ${r.compromised.length} compromised, ${r.lost.length} lost, ${r.remaining} left — ` +
        `${r.thresholdHolds ? 'the threshold still holds' : 'the threshold can no longer be met'}${r.attackerCanSign ? '; AN ATTACKER CAN SIGN IT' : ''}`,
    );
  }
  for (const sentence of report.attackerCan) lines.push(`  attacker can: ${printable(sentence)}`);
  if (report.steps.length > 0) lines.push('Recovery plan (in order):');
  for (const step of report.steps) {
    const threshold = step.oldThreshold === null ? `${step.threshold}` : `old ${step.oldThreshold}, new ${step.threshold}`;
    lines.push(`  ${step.order}. ${printable(step.role)} — threshold ${threshold}; signers: ${step.signerNames.map(printable).join(', ') || '(none left)'}${step.note ? ` — ${printable(step.note)}` : ''}`);
  }
  return `${lines.join('\n')}\n\n`;
}

/** security.md §3 controls: named roles, the tool, each sitting's "Yes", bag serials and backups. */
export function formatControls(view: CeremonyView): string[] {
  const c = view.controls;
  const lines = [c.operator && c.witness ? `  operator ${printable(c.operator)}, witness ${printable(c.witness)}` : '  operator / witness: not recorded'];
  if (c.tool) {
    const t = c.tool;
    lines.push(`  tool: keyrite ${printable(t.version)}, sha256 ${t.sha256 ?? 'unreadable'} (${printable(t.file)}); node ${printable(t.node)}; ${printable(t.os.platform)} ${printable(t.os.release)} ${printable(t.os.arch)}`);
  } else lines.push('  tool: not recorded');
  for (const y of c.confirmations) {
    const who = y.by ?? 'unknown';
    const how = y.via && y.via !== who ? ` (${printable(y.via)})` : '';
    lines.push(`  "Yes" ${y.at} by ${printable(who)}${how}${y.witness ? `, witness ${printable(y.witness)}` : ''}${y.signers.length ? `; signers: ${y.signers.map(printable).join(', ')}` : ''}`);
  }
  for (const r of c.records) {
    const what = r.kind === 'backup' ? `backup "${printable(r.description)}" ${r.verified ? 'verified' : 'NOT verified'}` : `${r.kind === 'bag-in' ? 'bag opened' : 'bag sealed'} serial ${printable(r.serial)}`;
    lines.push(`  record ${r.at}: ${what}${r.by ? ` by ${printable(r.by)}` : ''}`);
  }
  return lines;
}

/** Lock lines for `keyrite ceremony status`: who holds the ceremony's (or the ledger's) lock, if anyone. */
export function formatLocks(ceremonyId: string, locks: CeremonyLocks): string[] {
  const lines = [`  lock: ${locks.lock === null ? 'free' : formatLock(locks.lock, `keyrite ceremony unlock ${ceremonyId}`)}`];
  if (locks.ledgerLock) lines.push(`  signed ledger lock: ${formatLock(locks.ledgerLock, 'keyrite ceremony unlock --ledger')}`);
  return lines;
}

export interface CeremonyLocks {
  lock: LockReport | null;
  ledgerLock: LockReport | null;
}

/** "held by keyrite ceremony sign (pid 1, since …)" plus what that means, and the unlock command when one applies. */
export function formatLock(lock: LockReport, unlock: string): string {
  const note =
    lock.state === 'stale'
      ? ` — looks STALE: that process is no longer running on this host; the next command that changes it recovers it (or "${unlock}")`
      : lock.state === 'foreign'
        ? ` — taken on another host: Keyrite cannot tell from here whether it is still running; if it has certainly stopped, "${unlock} --force"`
        : lock.state === 'unreadable'
          ? ` — the lock file cannot be read (being written, or damaged); if no Keyrite is running, "${unlock} --force"`
          : ' — in use: commands that change it are refused until it is released';
  return `held ${printable(lock.description)}${note}`;
}
