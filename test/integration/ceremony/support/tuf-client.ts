/** The real tuf-js Updater against a TUF directory served on 127.0.0.1, and securesystemslib's verdict. */
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { Updater } from 'tuf-js';

import { pullTuf } from '../../../../electron/core/remote';
import { PolicyHttpGetter } from '../../../../electron/core/net/http-fetch';
import { createNetworkPolicy } from '../../../../electron/core/net/network-policy';
import type { RepoState } from '../../../../shared/ceremony/types';

const execFileAsync = promisify(execFile);
const VERIFY_SCRIPT = path.join(import.meta.dirname, 'verify_sigs.py');

/** Pull a TUF directory in air-gapped mode (a directory needs no network). */
/** `now`: the request's creation time (tests that pin the ceremony clock with --now pull "before" it: the start clock check). */
export function pullDir(dir: string, now?: Date): Promise<RepoState> {
  return pullTuf(dir, { http: new PolicyHttpGetter(createNetworkPolicy('offline')), ...(now ? { now: () => now } : {}) });
}

/** A tuf-js client that keeps its trusted metadata between refreshes (bootstrapped from 1.root.json). */
export class TufJsClient {
  private constructor(readonly dir: string) {}

  static async bootstrap(repoDir: string): Promise<TufJsClient> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-tufjs-client-'));
    await copyFile(path.join(repoDir, '1.root.json'), path.join(dir, 'root.json'));
    return new TufJsClient(dir);
  }

  private updater(baseUrl: string): Updater {
    return new Updater({ metadataDir: this.dir, metadataBaseUrl: baseUrl, targetBaseUrl: `${baseUrl}/targets`, config: { fetchRetries: 0, fetchTimeout: 5000 } });
  }

  /** The target's length as the delegation graph trusts it, or null when no trusted role signs it. */
  async targetLength(baseUrl: string, targetPath: string): Promise<number | null> {
    const updater = this.updater(baseUrl);
    await updater.refresh();
    return (await updater.getTargetInfo(targetPath))?.length ?? null;
  }

  /** Runs the Updater's refresh (root chain, timestamp, snapshot, targets) and returns the trusted root version. */
  async refresh(baseUrl: string): Promise<{ rootVersion: number; targetsVersion: number }> {
    const updater = this.updater(baseUrl);
    await updater.refresh();
    const version = async (name: string): Promise<number> => (JSON.parse(await readFile(path.join(this.dir, name), 'utf8')) as { signed: { version: number } }).signed.version;
    return { rootVersion: await version('root.json'), targetsVersion: await version('targets.json') };
  }
}

/** securesystemslib checks every root of the chain (own + previous threshold) and the current top-level roles. */
export async function sslibVerify(repoDir: string): Promise<{ ok: boolean; checked?: number; error?: string }> {
  const names = await readdir(repoDir);
  const roots = names.filter((n) => /^\d+\.root\.json$/.test(n)).sort((a, b) => parseInt(a) - parseInt(b));
  const latest = (role: string): string => {
    const versions = names.filter((n) => new RegExp(`^\\d+\\.${role}\\.json$`).test(n)).sort((a, b) => parseInt(b) - parseInt(a));
    return path.join(repoDir, versions[0] ?? `${role}.json`);
  };
  // Delegated roles the current targets names and that have metadata (after targets: the script reads its delegations).
  const targets = JSON.parse(await readFile(latest('targets'), 'utf8')) as { signed: { delegations?: { roles: { name: string }[] } } };
  const delegated = (targets.signed.delegations?.roles ?? []).map((r) => r.name).filter((name) => names.some((n) => n.endsWith(`.${name}.json`)));
  const args = [
    VERIFY_SCRIPT,
    ...roots.map((r) => path.join(repoDir, r)),
    '--',
    `targets=${latest('targets')}`,
    ...delegated.map((name) => `${name}=${latest(name)}`),
    `snapshot=${latest('snapshot')}`,
    `timestamp=${path.join(repoDir, 'timestamp.json')}`,
  ];
  try {
    const { stdout } = await execFileAsync('/usr/bin/python3', args);
    return JSON.parse(stdout) as { ok: boolean; checked: number };
  } catch (error) {
    const stdout = (error as { stdout?: string }).stdout ?? '';
    return stdout ? (JSON.parse(stdout) as { ok: boolean; error: string }) : { ok: false, error: String(error) };
  }
}
