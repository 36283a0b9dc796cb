/**
 * Token-host process lifecycle: crash mid-sign, hang, protocol violations, bad module, and a
 * token that returns a bad signature. Every host a test starts is stopped by the client (close,
 * or SIGKILL on timeout/violation); the tests check the PIDs are gone.
 */
import { createHash, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, expect, it } from 'vitest';

import type { TokenHostMessageType } from '../../shared/token/messages';
import { TokenClient } from '../../electron/core/tokens/token-client';
import {
  FunctionCanceledError,
  TokenHostCrashedError,
  TokenHostTimeoutError,
  TokenModuleLoadError,
  TokenProtocolError,
  TokenSignatureInvalidError,
} from '../../shared/token/errors';
import { spkiToPem } from '../../shared/token/ec-public-key';
import { tokenKeyIds } from '../../shared/token/key-ids';
import type { TokenKey } from '../../shared/token/types';
import { describeWithSoftHsm, pinBytes, softHsmClient, useSoftHsmTokens, type SoftHsmToken, type TokenHostBundle } from '../support/softhsm-suite';

const message = new TextEncoder().encode('targets.json canonical bytes');

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

async function waitUntilGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return !isAlive(pid);
}

describeWithSoftHsm('token host lifecycle', () => {
  let bundle: TokenHostBundle;
  let token: SoftHsmToken;
  let scratch: string;
  const clients: TokenClient[] = [];
  const track = (client: TokenClient): TokenClient => (clients.push(client), client);

  useSoftHsmTokens({}, (bed) => ({ bundle, token } = bed));
  beforeEach(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'keyrite-fake-host-'));
  });
  // Runs before the token host hooks' afterEach deletes the token.
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.close();
    await rm(scratch, { recursive: true, force: true });
  });

  /** A stand-in host script (plain CommonJS) for behaviour a real module cannot be made to show. */
  async function fakeHost(name: string, body: string): Promise<string> {
    const file = path.join(scratch, `${name}.cjs`);
    await writeFile(file, body);
    return file;
  }

  it('fails the in-flight sign with TokenHostCrashedError when the host is SIGKILLed, then restarts', async () => {
    let killOnSign = false;
    const killed: number[] = [];
    const onRequestSent = (type: TokenHostMessageType, pid: number): void => {
      if (type === 'sign' && killOnSign) {
        killOnSign = false;
        killed.push(pid);
        process.kill(pid, 'SIGKILL'); // mid-sign: the request is with the host, unanswered
      }
    };
    const client = track(softHsmClient(bundle, token, { onRequestSent }));
    await client.login(token.serial, pinBytes(token.pin));
    const key = await client.generateKey({ tokenSerial: token.serial, ckaId: '02', curve: 'P-256', label: 'root' });
    const firstPid = client.hostPid;

    killOnSign = true;
    const error = await client.sign(key, message, 'tuf-1.0').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenHostCrashedError);
    expect((error as TokenHostCrashedError).detail).toMatchObject({ reason: 'SIGKILL' });
    expect((error as Error).message).toContain('during sign');
    expect(killed).toEqual([firstPid]);
    expect(await waitUntilGone(firstPid ?? -1)).toBe(true);

    // The next call starts a fresh host; the login did not survive the crash, so log in again.
    expect((await client.listTokens()).map((t) => t.serial)).toEqual([token.serial]);
    expect(client.hostPid).not.toBe(firstPid);
    await client.login(token.serial, pinBytes(token.pin));
    const { signature } = await client.sign(key, message, 'notary-v1');
    expect(signature).toHaveLength(64);
  });

  it('times out a hanging host with TokenHostTimeoutError and kills it', async () => {
    const entry = await fakeHost('hang', "process.on('message', () => { /* never answers */ });\n");
    const pids: number[] = [];
    const client = track(
      new TokenClient({ launch: { entry }, modulePath: '/unused', timeoutMs: { open: 300 }, onRequestSent: (_t, pid) => pids.push(pid) }),
    );
    await expect(client.listTokens()).rejects.toBeInstanceOf(TokenHostTimeoutError);
    expect(pids).toHaveLength(1);
    expect(await waitUntilGone(pids[0] ?? -1)).toBe(true);
    expect(client.hostPid).toBeNull();
  });

  it('cancels a request the host is stuck on with FunctionCanceledError and stops that host', async () => {
    const entry = await fakeHost('stuck', "process.on('message', () => { /* waits for a touch forever */ });\n");
    const pids: number[] = [];
    const client = track(new TokenClient({ launch: { entry }, modulePath: '/unused', onRequestSent: (_t, pid) => pids.push(pid) }));
    const pending = client.listTokens();
    await new Promise((r) => setTimeout(r, 100));
    expect(client.cancel()).toBe(true);
    await expect(pending).rejects.toBeInstanceOf(FunctionCanceledError);
    expect(await waitUntilGone(pids[0] ?? -1)).toBe(true);
    expect(client.cancel()).toBe(false);
  });

  it('stops restarting a host that keeps crashing, without leaving processes', async () => {
    const entry = await fakeHost('crasher', "process.on('message', () => process.exit(3));\n");
    const pids: number[] = [];
    const client = track(new TokenClient({ launch: { entry }, modulePath: '/unused', onRequestSent: (_t, pid) => pids.push(pid) }));
    for (let i = 0; i < 4; i++) {
      const error = await client.listTokens().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TokenHostCrashedError);
      if (i === 3) expect((error as Error).message).toContain('keeps crashing');
    }
    expect(pids).toHaveLength(3); // the fourth request failed fast instead of spawning again
    for (const pid of pids) expect(await waitUntilGone(pid)).toBe(true);
  });

  it('rejects a host answer that breaks the message schema with TokenProtocolError', async () => {
    const entry = await fakeHost(
      'liar',
      "process.on('message', (m) => process.send({ type: 'response', requestId: m.requestId, ok: true, data: { library: 42 } }));\n",
    );
    const pids: number[] = [];
    const client = track(new TokenClient({ launch: { entry }, modulePath: '/unused', onRequestSent: (_t, pid) => pids.push(pid) }));
    await expect(client.listTokens()).rejects.toBeInstanceOf(TokenProtocolError);
    expect(await waitUntilGone(pids[0] ?? -1)).toBe(true);
  });

  it('catches a token that returns an invalid signature (SKR-VERIFY)', async () => {
    const entry = await fakeHost(
      'bad-signer',
      [
        "process.on('message', (m) => {",
        "  const data = m.type === 'open' ? { library: 'fake' } : { signature: new Uint8Array(64).fill(7), curve: 'P-256' };",
        "  process.send({ type: 'response', requestId: m.requestId, ok: true, data });",
        '});',
        '',
      ].join('\n'),
    );
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const spkiSha256 = createHash('sha256').update(spki).digest('hex');
    const key: TokenKey = {
      tokenSerial: 'fake',
      ckaId: '02',
      label: 'root',
      keyType: 'ec',
      curve: 'P-256',
      spkiDer: spki.toString('hex'),
      publicKeyPem: spkiToPem(spki),
      spkiSha256,
      keyIdentity: `fake/02/${spkiSha256}`,
      keyIds: tokenKeyIds('P-256', spki, spkiToPem(spki), (b) => createHash('sha256').update(b).digest()),
      alwaysAuthenticate: false,
    };
    const client = track(new TokenClient({ launch: { entry }, modulePath: '/unused' }));
    await expect(client.sign(key, message, 'tuf-1.0')).rejects.toBeInstanceOf(TokenSignatureInvalidError);
  });

  it('reports a module that cannot be loaded with TokenModuleLoadError', async () => {
    const client = track(new TokenClient({ launch: bundle.launch(token.env), modulePath: path.join(scratch, 'missing.so') }));
    const error = await client.listTokens().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenModuleLoadError);
    expect((error as Error).message).toContain('missing.so');
  });
});
