import type { InspectionReport, KeyView, RoleView } from '../../shared/inspection/report';
import { daysLeft, printable, shortId, table } from './table';

/**
 * The human report of `keyrite inspect`: what `docker trust inspect --pretty` shows (signed
 * tags, signers, administrative keys) plus per-role verification, key locations, an expiry
 * timeline, the root rotation history and findings.
 */
export function formatReport(report: InspectionReport): string {
  const at = new Date(report.evaluatedAt);
  const errors = report.findings.filter((f) => f.severity === 'error').length;
  const warnings = report.findings.filter((f) => f.severity === 'warning').length;
  const sections = [
    [
      `Repository   ${printable(report.name)}`,
      `Dialect      ${report.dialect}`,
      `Source       ${report.source.kind} ${printable(report.source.location)}`,
      `Evaluated at ${report.evaluatedAt}`,
      `Health       ${report.health.toUpperCase()} (${errors} error(s), ${warnings} warning(s))`,
      ...(report.stats.skippedUnchanged === undefined
        ? []
        : [`Unchanged    ${report.stats.skippedUnchanged} file(s) identical to the last healthy inspection: signatures not re-verified, expiry checked`]),
    ].join('\n'),
    section('ROLES', rolesTable(report.roles, at)),
    section('KEYS', keysTable(report.keys)),
    section(`SIGNED TARGETS (${report.targetsTotal === undefined ? report.targets.length : `${report.targetsTotal}, first ${report.targets.length} listed`})`, targetsTable(report)),
    section('SIGNERS', signersTable(report)),
    section('EXPIRY TIMELINE', timeline(report, at)),
    section('ROOT HISTORY', rootHistory(report)),
    section(`FINDINGS (${report.findings.length})`, findings(report)),
  ];
  if (report.privateKeys.length > 0) sections.push(section('PRIVATE KEYS (listed, never decrypted)', privateKeys(report)));
  return `${sections.join('\n\n')}\n`;
}

function section(title: string, body: string): string {
  return `${title}\n${body}`;
}

function rolesTable(roles: readonly RoleView[], at: Date): string {
  if (roles.length === 0) return '  (none)';
  return table(
    ['ROLE', 'VERSION', 'EXPIRES', 'DAYS LEFT', 'THRESHOLD', 'SIGNATURES', 'STATUS'],
    roles.map((r) => [
      printable(r.name),
      r.version === null ? '-' : String(r.version),
      r.expires ?? '-',
      r.expires ? String(daysLeft(r.expires, at)) : '-',
      String(r.threshold),
      `${r.validSignatures}/${r.requiredSignatures}`,
      r.status,
    ]),
  );
}

function keyLocation(key: KeyView): string {
  return key.location.detail ? `${key.location.kind}: ${key.location.detail}` : key.location.kind;
}

function keysTable(keys: readonly KeyView[]): string {
  if (keys.length === 0) return '  (none)';
  return table(
    ['KEY ID', 'ALGORITHM', 'ROLES', 'LOCATION'],
    keys.map((k) => [
      k.id,
      k.bits ? `${k.algorithm} (${k.bits} bits)` : k.algorithm,
      k.roles.map(printable).join(', ') || '(unused)',
      printable(keyLocation(k)),
    ]),
  );
}

function targetsTable(report: InspectionReport): string {
  if (report.targets.length === 0) return '  (none)';
  const rows = [...report.targets]
    .sort((a, b) => a.name.localeCompare(b.name) || a.role.localeCompare(b.role))
    .map((t) => [printable(t.name), t.hashes['sha256'] ?? Object.values(t.hashes)[0] ?? '-', String(t.length), printable(t.role), t.signers.map(printable).join(', ')]);
  return table(['TARGET', 'DIGEST (SHA-256)', 'SIZE', 'ROLE', 'SIGNERS'], rows);
}

function signersTable(report: InspectionReport): string {
  const delegations = report.roles.filter((r) => r.kind === 'delegation');
  if (delegations.length === 0) return '  (no delegations: only the repository key signs)';
  return table(
    ['SIGNER ROLE', 'KEYS', 'THRESHOLD', 'PATHS'],
    delegations.map((r) => [printable(r.name), r.keyids.map(shortId).join(', '), String(r.threshold), (r.paths ?? []).map((p) => JSON.stringify(p)).join(', ') || '-']),
  );
}

function timeline(report: InspectionReport, at: Date): string {
  const events: Array<{ when: string; what: string }> = [];
  for (const role of report.roles) if (role.expires) events.push({ when: role.expires, what: `${role.name} metadata expires` });
  const seen = new Set<string>();
  for (const key of report.keys) {
    if (!key.cert || seen.has(key.cert.serialNumber)) continue;
    seen.add(key.cert.serialNumber);
    events.push({ when: key.cert.notAfter, what: `certificate CN=${key.cert.subjectCN} (${key.roles.join(', ') || 'unused'}, key ${shortId(key.id)}) expires` });
  }
  if (events.length === 0) return '  (nothing expires)';
  events.sort((a, b) => Date.parse(a.when) - Date.parse(b.when));
  return table(
    ['DATE', 'DAYS LEFT', 'EVENT'],
    events.map((e) => {
      const days = daysLeft(e.when, at);
      return [e.when, days < 0 ? `${days} (past)` : String(days), printable(e.what)];
    }),
  );
}

function rootHistory(report: InspectionReport): string {
  if (report.rootHistory.length === 0) return '  (only the current root is known)';
  return report.rootHistory
    .map((step) => {
      const head = `v${step.version}  ${step.ok ? 'OK    ' : 'BROKEN'}  threshold ${step.previousThreshold !== null && step.previousThreshold !== step.threshold ? `${step.previousThreshold} -> ` : ''}${step.threshold}, ${step.keyids.length} key(s)`;
      const sig = `signed by previous: ${step.signedByPrevious ? `${step.signedByPrevious.valid}/${step.signedByPrevious.required}` : 'n/a (first root)'}; by itself: ${step.signedBySelf.valid}/${step.signedBySelf.required}`;
      const changes = [...step.added.map((k) => `+${shortId(k)}`), ...step.removed.map((k) => `-${shortId(k)}`)].join(' ');
      const lines = [head, `      ${sig}`, `      expires ${step.expires}${changes ? `; keys ${changes}` : ''}`];
      for (const error of step.errors) lines.push(`      ! ${printable(error)}`);
      return lines.join('\n');
    })
    .join('\n');
}

function findings(report: InspectionReport): string {
  if (report.findings.length === 0) return '  (none)';
  const order = { error: 0, warning: 1, info: 2 } as const;
  const sorted = [...report.findings].sort((a, b) => order[a.severity] - order[b.severity]);
  return table(
    ['SEVERITY', 'CODE', 'ROLE', 'MESSAGE'],
    sorted.map((f) => [f.severity.toUpperCase(), f.code, printable(f.role ?? '-'), printable(f.detail ? `${f.message} (${f.detail})` : f.message)]),
  );
}

function privateKeys(report: InspectionReport): string {
  return table(
    ['KEY ID', 'ROLE', 'GUN', 'ENCRYPTED', 'FILE'],
    report.privateKeys.map((k) => [k.id, printable(k.role), printable(k.gun ?? '-'), k.encrypted ? 'yes' : 'NO', printable(k.path)]),
  );
}
