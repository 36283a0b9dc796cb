import path from 'node:path';

import { BundleRejectedError, inspectBundle, type BundleSummary } from '../core/bundles';
import { EXIT, type CliIo } from './cli-io';
import { readInputFile, wordRows } from './bundle-read';

export interface BundleInspectFlags {
  json?: boolean;
}

/** `keyrite bundle inspect FILE`: 0 shown, 1 the bundle is refused (why is printed), 2 unreadable/usage. */
export async function runBundleInspect(file: string, flags: BundleInspectFlags, io: CliIo): Promise<number> {
  const bytes = await readInputFile(path.resolve(io.cwd, file));
  let summary: BundleSummary;
  try {
    summary = await inspectBundle(bytes);
  } catch (error) {
    if (!(error instanceof BundleRejectedError)) throw error;
    if (flags.json === true) io.stdout(`${JSON.stringify({ ok: false, file, error: { code: error.code, message: error.message, entry: error.entry ?? null } }, null, 2)}\n`);
    else io.stderr(`keyrite: ${file}: ${error.message}\n`);
    return EXIT.findings;
  }
  if (flags.json === true) io.stdout(`${JSON.stringify({ ok: true, file, ...summary }, null, 2)}\n`);
  else io.stdout(formatSummary(file, summary));
  return EXIT.ok;
}

export function formatSummary(file: string, s: BundleSummary): string {
  const out: string[] = [];
  out.push(`${s.kind} bundle for ${s.repository.name} (${s.repository.dialect})`);
  out.push(`  file         ${file}, ${s.size} bytes, sha256 ${s.sha256}`);
  out.push(`  created      ${s.createdAt}   request nonce ${s.nonce}`);
  if (s.journal === null) out.push('  journal      none');
  else {
    out.push(`  journal      ${s.journal.entries} entries (${s.journal.first ?? '-'} … ${s.journal.last ?? '-'})`);
    out.push(`  journal head ${s.journal.head}`);
    out.push(wordRows(s.journal.headWords, '               '));
  }
  if (s.metadata.length > 0) {
    out.push('  metadata');
    for (const m of s.metadata) {
      out.push(
        m.error === undefined
          ? `    ${m.role.padEnd(22)} v${String(m.version)}  expires ${String(m.expires)}  ${String(m.signatures)} signature(s)  ${m.length} bytes`
          : `    ${m.role.padEnd(22)} UNPARSABLE: ${m.error}`,
      );
    }
  }
  if (s.proposal !== null) {
    const p = s.proposal;
    out.push(`  proposal     ${p.kind}, ceremony ${p.ceremonyId}, from root v${p.basis.rootVersion}`);
    for (const r of p.roles) out.push(`    ${r.role.padEnd(22)} v${r.version}  expires ${r.expires}  payload ${r.payloadSha256.slice(0, 16)}…  (${r.signing})`);
    for (const d of p.diff) out.push(`    · ${d}`);
    for (const b of p.blockingFailures) out.push(`    ✗ ${b}`);
  }
  if (s.signatures.length > 0) {
    out.push(`  signatures   ${s.signatures.length}`);
    for (const sig of s.signatures) out.push(`    ${sig.role} v${sig.version}  key ${sig.keyid.slice(0, 16)}…  by ${sig.signerLabel}  verified ${sig.verifiedAt}`);
  }
  if (s.state !== null) {
    out.push(`  request      from ${s.state.source}, pulled ${s.state.createdAt}`);
    out.push(`    roles: ${s.state.roles.join(', ') || '(new repository)'}; root history: ${s.state.rootHistory}; target changes: ${s.state.targetChanges}`);
  }
  for (const a of s.attestations) {
    const what = a.part === null ? '' : ` ${a.part} certificate of key ${String(a.keyid).slice(0, 16)}…${a.subject === null ? '' : ` "${a.subject}"`}${a.yubikeySerial === null ? '' : `, YubiKey ${a.yubikeySerial}`}`;
    out.push(`  attestation  ${a.name}${what} (${a.length} bytes, sha256 ${a.sha256.slice(0, 16)}…)`);
  }
  out.push(`  entries      ${s.entries.length} (every one listed in the manifest with its sha256 and length)`);
  for (const e of s.entries) out.push(`    ${e.path.padEnd(40)} ${String(e.length).padStart(9)}  ${e.sha256.slice(0, 16)}…`);
  return `${out.join('\n')}\n`;
}
