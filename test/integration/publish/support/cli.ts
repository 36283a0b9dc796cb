import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { runCli } from '../../../../electron/cli/cli';
import type { CliIo } from '../../../../electron/cli/cli-io';
import { writeBundleFile } from '../../../../electron/core/bundles';
import { Journal } from '../../../../electron/core/journal';
import type { Dialect } from '../../../../shared/tuf/model';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in-process (no TTY: a passphrase prompt would fail, not hang). */
export async function keyrite(args: string[], cwd: string, env: Record<string, string> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo & { prompt: null } = { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd, homedir: os.tmpdir(), prompt: null };
  const code = await runCli(args, io);
  return { code, stdout: out.join(''), stderr: err.join('') };
}

/** A signed bundle as a finished ceremony would export it: metadata plus a valid journal. */
export async function signedBundle(file: string, dialect: Dialect, name: string, metadata: Record<string, Uint8Array>): Promise<void> {
  const journalPath = path.join(path.dirname(file), `${path.basename(file)}.journal.jsonl`);
  const journal = await Journal.open(journalPath);
  await journal.append('finalized', { roles: Object.keys(metadata) });
  const bytes = await fsp.readFile(journalPath);
  await writeBundleFile(file, 'signed', { repository: { dialect, name }, createdAt: new Date().toISOString(), nonce: 'cd'.repeat(16), metadata, journal: bytes });
}
