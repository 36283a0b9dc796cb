import os from 'node:os';
import path from 'node:path';

/** What the CLI touches of its process, injectable so tests run it in-process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  homedir: string;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    homedir: os.homedir(),
  };
}

/** `--workspace DIR`, else KEYRITE_HOME, else ~/.keyrite. */
export function resolveWorkspaceDir(flag: string | undefined, io: CliIo): string {
  const chosen = flag ?? io.env['KEYRITE_HOME'] ?? path.join(io.homedir, '.keyrite');
  return path.resolve(io.cwd, chosen);
}

/** Exit codes (ARCHITECTURE.md "CLI"). */
export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

/** A usage or input problem: printed as `keyrite: error: ...` and exit 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}
