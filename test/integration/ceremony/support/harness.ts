/**
 * Shared plumbing of the ceremony acceptance loops: a workspace, the `keyrite` CLI run in-process
 * with an injected environment (token host bundle, SoftHSM config, PINs and passphrases from env,
 * no terminal), request bundles from a pull, signed bundles read back.
 */
import type { KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import type { RepoState } from '../../../../shared/ceremony/types';
import { readBundleFile, writeBundleFile } from '../../../../electron/core/bundles';
import { runCli } from '../../../../electron/cli/cli';
import type { CeremonyIo } from '../../../../electron/cli/ceremony-context';
import { KeyStore } from '../../../../electron/core/keys';
import { findKeyFile } from '../../../../electron/core/ceremonies';

export const PASSPHRASE = 'ceremony-passphrase-1';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export class Workspace {
  private constructor(
    readonly dir: string,
    readonly env: Record<string, string | undefined>,
  ) {}

  static async create(env: Record<string, string | undefined> = {}): Promise<Workspace> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-ceremony-ws-'));
    return new Workspace(dir, { KEYRITE_PASSPHRASE: PASSPHRASE, PATH: process.env['PATH'], ...env, KEYRITE_HOME: path.join(dir, 'home') });
  }

  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  async cli(args: readonly string[], extraEnv: Record<string, string | undefined> = {}): Promise<CliRun> {
    let stdout = '';
    let stderr = '';
    const io: CeremonyIo = {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      env: { ...this.env, ...extraEnv },
      cwd: this.dir,
      homedir: this.dir,
      prompt: null,
      confirm: null,
    };
    const code = await runCli(args, io);
    return { code, stdout, stderr };
  }

  /** `keyrite keys generate` → the key's Notary ID (the key store's name for it). */
  async generateKey(role: string, algorithm = 'ed25519', extra: string[] = []): Promise<{ id: string; tuf: string }> {
    const gun = role === 'root' ? [] : ['--gun', 'example.com/ceremony'];
    const run = await this.cli(['keys', 'generate', '--algorithm', algorithm, '--role', role, ...gun, '--json', ...extra]);
    if (run.code !== 0) throw new Error(`keys generate failed: ${run.stderr}`);
    const parsed = JSON.parse(run.stdout) as { key: { id: string; keyIds: { tuf: string } } };
    return { id: parsed.key.id, tuf: parsed.key.keyIds.tuf };
  }

  async privateKey(id: string): Promise<KeyObject> {
    const store = new KeyStore(path.join(this.env['KEYRITE_HOME'] as string, 'keys'));
    const stored = await findKeyFile(store, id);
    return (await store.load(stored.filePath, PASSPHRASE)).privateKey;
  }

  async writeRequest(state: RepoState, name: string): Promise<string> {
    const file = this.path(name);
    await writeBundleFile(file, 'request', { repository: { dialect: state.dialect, name: state.name }, createdAt: state.createdAt, nonce: state.nonce, state });
    return file;
  }

  cleanup(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

/** The signed metadata of a signed bundle, by role. */
export async function signedMetadata(file: string): Promise<Record<string, Uint8Array>> {
  const bundle = await readBundleFile(file);
  if (bundle.manifest.kind !== 'signed' || !bundle.content.metadata) throw new Error(`${file} is not a signed bundle`);
  return bundle.content.metadata;
}

export function expectOk(run: CliRun, what: string): CliRun {
  if (run.code !== 0) throw new Error(`${what} exited ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
  return run;
}
