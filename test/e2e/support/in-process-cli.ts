/**
 * The `keyrite` CLI run in-process (runCli) on a workspace, for e2e setup that must write what the
 * GUI then reads: KEYRITE_HOME, cwd and home are the workspace, there is no prompt and no
 * confirmation, and PATH is kept. A non-zero exit throws with the command's output.
 */
import { runCli } from '../../../electron/cli/cli';
import type { CeremonyIo } from '../../../electron/cli/ceremony-context';

/** Returns the command's stdout; `env` adds to PATH (e.g. KEYRITE_PASSPHRASE). */
export async function runKeyrite(workspaceDir: string, env: Record<string, string | undefined>, args: string[]): Promise<string> {
  let stdout = '';
  let stderr = '';
  const io: CeremonyIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    env: { PATH: process.env['PATH'], ...env, KEYRITE_HOME: workspaceDir },
    cwd: workspaceDir,
    homedir: workspaceDir,
    prompt: null,
    confirm: null,
  };
  const code = await runCli(args, io);
  if (code !== 0) throw new Error(`keyrite ${args.join(' ')} exited ${code}\n${stdout}\n${stderr}`);
  return stdout;
}
