import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort, run, stopProcess, type RunResult } from './processes';

export const NOTARY_BIN = '/usr/bin/notary';
export const NOTARY_SERVER_BIN = '/usr/bin/notary-server';

/** Whether the Debian notary tools are installed (tests say so in their skip reason when not). */
export function notaryAvailable(): boolean {
  return existsSync(NOTARY_BIN) && existsSync(NOTARY_SERVER_BIN);
}

export interface NotaryServer {
  url: string;
  port: number;
  pid: number;
  dir: string;
  stop(): Promise<void>;
}

/**
 * Starts a real notary-server on a random 127.0.0.1 port: plain HTTP, in-memory storage, local
 * ECDSA signer. Resolves when `GET /v2/` answers. Call stop() in afterAll (kills by PID).
 */
export async function startNotaryServer(): Promise<NotaryServer> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-notary-server-'));
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const config = {
      server: { http_addr: `127.0.0.1:${port}` },
      storage: { backend: 'memory' },
      trust_service: { type: 'local', key_algorithm: 'ecdsa' },
      logging: { level: 'error' },
    };
    const configFile = path.join(dir, 'server.json');
    await fsp.writeFile(configFile, JSON.stringify(config));
    const child = spawn(NOTARY_SERVER_BIN, ['-config', configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout?.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (log += c.toString()));
    const url = `http://127.0.0.1:${port}`;
    try {
      await waitForPing(url, child, () => log);
      return {
        url,
        port,
        pid: child.pid as number,
        dir,
        stop: async () => {
          await stopProcess(child);
          await fsp.rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error;
      await stopProcess(child);
    }
  }
  await fsp.rm(dir, { recursive: true, force: true });
  throw lastError;
}

async function waitForPing(url: string, child: ChildProcess, log: () => string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`notary-server exited with ${child.exitCode}: ${log()}`);
    try {
      const response = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // Not listening yet: retry until the deadline.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`notary-server at ${url} did not answer GET /v2/ within ${timeoutMs} ms: ${log()}`);
}

export const PASSPHRASES = {
  NOTARY_ROOT_PASSPHRASE: 'root-passphrase-1',
  NOTARY_TARGETS_PASSPHRASE: 'targets-passphrase-1',
  NOTARY_SNAPSHOT_PASSPHRASE: 'snapshot-passphrase-1',
  NOTARY_DELEGATION_PASSPHRASE: 'delegation-passphrase-1',
} as const;

/** The real `notary` client against a trust dir and server (passphrases from env, as users do). */
export class NotaryClient {
  constructor(
    readonly trustDir: string,
    readonly serverUrl: string,
  ) {}

  async run(args: readonly string[], input?: string): Promise<RunResult> {
    const result = await run(NOTARY_BIN, ['-d', this.trustDir, '-s', this.serverUrl, ...args], {
      env: { ...process.env, ...PASSPHRASES },
      ...(input === undefined ? {} : { input }),
    });
    if (result.code !== 0) throw new Error(`notary ${args.join(' ')} failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
    return result;
  }

  /** `notary list GUN` as rows. */
  async list(gun: string): Promise<Array<{ name: string; digest: string; size: number; role: string }>> {
    const { stdout } = await this.run(['list', gun]);
    return dataLines(stdout).map((line) => {
      const [name, digest, size, role] = line.split(/\s+/);
      return { name: name ?? '', digest: digest ?? '', size: Number(size), role: role ?? '' };
    });
  }

  /** `notary delegation list GUN` as role -> key ids. */
  async delegations(gun: string): Promise<Map<string, string[]>> {
    const { stdout } = await this.run(['delegation', 'list', gun]);
    const roles = new Map<string, string[]>();
    let current: string | null = null;
    for (const line of dataLines(stdout)) {
      const keyid = /\b([0-9a-f]{64})\b/.exec(line)?.[1];
      if (/^targets\//.test(line)) current = line.split(/\s+/)[0] ?? null;
      if (current && keyid) roles.set(current, [...(roles.get(current) ?? []), keyid]);
    }
    return roles;
  }

  /** `notary key list` as rows. */
  async keys(): Promise<Array<{ role: string; id: string }>> {
    const { stdout } = await this.run(['key', 'list']);
    return dataLines(stdout).flatMap((line) => {
      const id = /\b([0-9a-f]{64})\b/.exec(line)?.[1];
      const role = line.split(/\s+/)[0];
      return id && role ? [{ role, id }] : [];
    });
  }
}

/** Table lines after the `----` separator. */
function dataLines(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => /^-{3,}/.test(line.trim()));
  return lines.slice(start + 1).map((l) => l.trim()).filter(Boolean);
}

export interface AcceptanceRepo {
  gun: string;
  client: NotaryClient;
  trustDir: string;
  workDir: string;
  /** A copy of the trust dir's metadata from before the delegations and rotations (root v1). */
  earlyMetadataDir: string;
}

/**
 * The acceptance repository: init, targets in `targets`, delegations `targets/releases` and
 * `targets/alice` with their own keys, targets published into both, then `key rotate targets`,
 * `key rotate root` and one more publish signed by the rotated targets key.
 */
export async function buildAcceptanceRepo(server: NotaryServer, gun = 'example.com/acme/app'): Promise<AcceptanceRepo> {
  const workDir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-notary-client-'));
  const trustDir = path.join(workDir, 'trust');
  const client = new NotaryClient(trustDir, server.url);
  const file = async (name: string, content: string): Promise<string> => {
    const p = path.join(workDir, name);
    await fsp.writeFile(p, content);
    return p;
  };

  await client.run(['init', gun]);
  await client.run(['add', gun, 'v1.0', await file('v1.0', 'release one\n')]);
  await client.run(['publish', gun]);
  const earlyMetadataDir = path.join(workDir, 'early-metadata');
  await fsp.cp(path.join(trustDir, 'tuf', ...gun.split('/'), 'metadata'), earlyMetadataDir, { recursive: true });

  const releases = await delegationKey(workDir, 'releases');
  const alice = await delegationKey(workDir, 'alice');
  await client.run(['key', 'import', releases.privatePath, '--role', 'targets/releases']);
  await client.run(['key', 'import', alice.privatePath, '--role', 'targets/alice']);
  await client.run(['delegation', 'add', gun, 'targets/releases', releases.publicPath, alice.publicPath, '--all-paths']);
  await client.run(['delegation', 'add', gun, 'targets/alice', alice.publicPath, '--all-paths']);
  await client.run(['publish', gun]);
  await client.run(['add', gun, 'v2.0', await file('v2.0', 'release two\n'), '--roles', 'targets/releases']);
  await client.run(['add', gun, 'alice-build', await file('alice-build', 'alice was here\n'), '--roles', 'targets/alice']);
  await client.run(['publish', gun]);

  await client.run(['key', 'rotate', gun, 'targets']);
  await client.run(['key', 'rotate', gun, 'root'], 'yes\n');
  await client.run(['add', gun, 'v3.0', await file('v3.0', 'release three\n')]);
  await client.run(['publish', gun]);
  return { gun, client, trustDir, workDir, earlyMetadataDir };
}

/** An ECDSA P-256 delegation key: unencrypted PKCS#8 (notary re-encrypts it on import) + SPKI PEM. */
async function delegationKey(dir: string, name: string): Promise<{ privatePath: string; publicPath: string }> {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const privatePath = path.join(dir, `${name}-key.pem`);
  const publicPath = path.join(dir, `${name}.pub`);
  await fsp.writeFile(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
  await fsp.writeFile(publicPath, publicKey.export({ type: 'spki', format: 'pem' }));
  return { privatePath, publicPath };
}
