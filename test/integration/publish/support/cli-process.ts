/**
 * Real `keyrite` processes for the lock tests: a bundled CLI (bundleCli) started with node, its
 * output collected, and `holding` resolved once a test entry says "lock-test: holding" on stderr
 * (it then blocks inside the locked step). Every process started here is stopped by PID (stopCli).
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcess;
  done: Promise<CliResult>;
  /** Resolves when the test entry is holding the lock (never, if it does not hold). */
  holding: Promise<void>;
}

export const HOLDING_MARKER = 'lock-test: holding';

export function startCli(cli: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): CliProcess {
  const child = spawn(process.execPath, [cli, ...args], { env: options.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  let onHolding: () => void = () => undefined;
  const holding = new Promise<void>((resolve) => (onHolding = resolve));
  child.stdout?.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
    if (stderr.includes(HOLDING_MARKER)) onHolding();
  });
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, holding };
}

/** SIGKILLs the process by its PID unless it has already exited, and waits for it. */
export async function stopCli(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
  const exited = new Promise((resolve) => child.once('close', resolve));
  process.kill(child.pid, 'SIGKILL');
  await exited;
}
