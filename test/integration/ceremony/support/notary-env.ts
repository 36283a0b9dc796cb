/**
 * One real notary-server, one Keyrite workspace with file keys, and a `notary` client that keeps
 * its cache across steps (the "watcher": a client that trusted the first root). The Notary
 * ceremony specs share it so each spec reads as its steps only.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { PolicyHttpGetter } from '../../../../electron/core/net/http-fetch';
import { PolicyHttpPoster } from '../../../../electron/core/net/http-post';
import { createNetworkPolicy } from '../../../../electron/core/net/network-policy';
import { notaryTufBase, publishNotary } from '../../../../electron/core/remote';
import { NotaryClient, startNotaryServer, type NotaryServer } from '../../../support/notary';
import { expectOk, signedMetadata, Workspace } from './harness';

export type NotaryKeyRole = 'root' | 'targets' | 'snapshot';

export interface CeremonyRun {
  files: Record<string, Uint8Array>;
  stdout: string;
  stderr: string;
}

export class NotaryCeremonyEnv {
  private constructor(
    readonly gun: string,
    readonly server: NotaryServer,
    readonly ws: Workspace,
    readonly clientsDir: string,
    readonly watcher: NotaryClient,
    readonly keys: Partial<Record<NotaryKeyRole, { id: string }>>,
  ) {}

  /** Starts the server and makes a file key per role (root keys carry no GUN, as notary's). */
  static async start(gun: string, label: string, roles: readonly NotaryKeyRole[] = ['root', 'targets']): Promise<NotaryCeremonyEnv> {
    const server = await startNotaryServer();
    const ws = await Workspace.create();
    const clientsDir = await mkdtemp(path.join(os.tmpdir(), `keyrite-notary-${label}-`));
    const keys: Partial<Record<NotaryKeyRole, { id: string }>> = {};
    for (const role of roles) keys[role] = await ws.generateKey(role, 'ecdsa-p256', role === 'root' ? [] : ['--gun', gun]);
    return new NotaryCeremonyEnv(gun, server, ws, clientsDir, new NotaryClient(path.join(clientsDir, 'watcher'), server.url), keys);
  }

  key(role: NotaryKeyRole): string {
    const k = this.keys[role];
    if (!k) throw new Error(`no ${role} key was made for this spec`);
    return `file:${k.id}`;
  }

  /** A fresh client (empty trust cache) under this spec's temp dir. */
  client(name: string): NotaryClient {
    return new NotaryClient(path.join(this.clientsDir, name), this.server.url);
  }

  async pull(name: string, extra: string[] = []): Promise<string> {
    const out = this.ws.path(name);
    expectOk(await this.ws.cli(['pull', '--online', '--server', this.server.url, '--gun', this.gun, '--out', out, ...extra]), `pull ${extra.join(' ')}`);
    return out;
  }

  /** Runs an offline ceremony (`--yes`) and posts its signed metadata to the server. */
  async ceremony(kind: string, request: string, args: string[], out: string): Promise<CeremonyRun> {
    const run = expectOk(await this.ws.cli(['ceremony', kind, '--request', request, '--yes', '--out', this.ws.path(out), ...args]), `ceremony ${kind}`);
    const files = await signedMetadata(this.ws.path(out));
    await publishNotary(files, { url: this.server.url, gun: this.gun }, { poster: new PolicyHttpPoster(createNetworkPolicy('online')) });
    return { files, stdout: run.stdout, stderr: run.stderr };
  }

  /** The `signed` part of a role file as the server serves it now. */
  async serverSigned<T>(role: string): Promise<T> {
    const bytes = await new PolicyHttpGetter(createNetworkPolicy('online')).get(`${notaryTufBase({ url: this.server.url, gun: this.gun })}${role}.json`, { maxBytes: 1 << 20 });
    if (!bytes) throw new Error(`the server has no ${role}.json`);
    return (JSON.parse(Buffer.from(bytes).toString('utf8')) as { signed: T }).signed;
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.ws.cleanup();
    await rm(this.clientsDir, { recursive: true, force: true });
  }
}
