import path from 'node:path';

import { verifyBundle } from '../core/bundles';
import { EXIT, type CliIo } from './cli-io';
import { readInputFile, wordRows } from './bundle-read';

export interface BundleVerifyFlags {
  json?: boolean;
}

/** `keyrite bundle verify FILE`: 0 every check passed, 1 refused or a check failed, 2 unreadable/usage. */
export async function runBundleVerify(file: string, flags: BundleVerifyFlags, io: CliIo): Promise<number> {
  const bytes = await readInputFile(path.resolve(io.cwd, file));
  const result = await verifyBundle(bytes);
  if (flags.json === true) {
    io.stdout(`${JSON.stringify({ file, ok: result.ok, checks: result.checks, ...(result.summary ? { kind: result.summary.kind, repository: result.summary.repository, sha256: result.summary.sha256, journalHead: result.summary.journal?.head ?? null, journalHeadWords: result.summary.journal?.headWords ?? null } : {}) }, null, 2)}\n`);
    return result.ok ? EXIT.ok : EXIT.findings;
  }
  const out: string[] = [];
  const s = result.summary;
  out.push(s ? `verify ${file}: ${s.kind} bundle for ${s.repository.name} (${s.repository.dialect}), sha256 ${s.sha256}` : `verify ${file}:`);
  for (const check of result.checks) out.push(`  ${check.passed ? 'ok  ' : 'FAIL'}  ${check.code.padEnd(26)} ${check.message}`);
  if (s?.journal) {
    out.push('  journal head, to read aloud and compare with the ceremony screen:');
    out.push(wordRows(s.journal.headWords, '    '));
  }
  const failed = result.checks.filter((c) => !c.passed).length;
  out.push(result.ok ? 'result: VERIFIED' : `result: FAILED (${failed} of ${result.checks.length} checks)`);
  (result.ok ? io.stdout : io.stderr)(`${out.join('\n')}\n`);
  return result.ok ? EXIT.ok : EXIT.findings;
}
