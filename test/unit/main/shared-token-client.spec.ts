import { createHash, generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { HostProcess, HostSpawner } from '../../../electron/core/tokens/host-process';
import { contract } from '../../../shared/ipc/contract';
import { createEmitter } from '../../../electron/main/ipc/emitter';
import { silentLogger } from '../../../electron/main/log';
import { createCustodyWithSharedClient } from '../../../electron/main/services/custody-wiring';
import { tokenKeyIds } from '../../../shared/token/key-ids';
import type { TokenInfo, TokenKey } from '../../../shared/token/types';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await wait(10);
  }
}
const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());

const TOKEN: TokenInfo = { serial: 's1', label: 'yk', model: 'YubiKey YK5', manufacturer: 'Yubico', firmware: '5.4.3', hardware: '1.0', flags: 0x40c, pinState: 'ok', loginRequired: true, protectedAuthPath: false };

function p256Key(): { key: TokenKey; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const der = publicKey.export({ type: 'spki', format: 'der' });
  const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const spkiSha256 = Buffer.from(sha256(der)).toString('hex');
  const key: TokenKey = {
    tokenSerial: 's1', ckaId: '02', label: 'k', keyType: 'ec', curve: 'P-256', spkiDer: der.toString('hex'), publicKeyPem: pem, spkiSha256,
    keyIdentity: `s1/02/${spkiSha256}`, keyIds: tokenKeyIds('P-256', der, pem, sha256), alwaysAuthenticate: null,
  };
  return { key, privateKey };
}

type SignMode = { kind: 'after'; ms: number } | { kind: 'hang' } | { kind: 'error'; name: string; message: string };

/** In-process fake token hosts: counts spawns, answers the host protocol, signs with a software key. */
class FakeHosts {
  spawned = 0;
  running = 0;
  signMode: SignMode = { kind: 'after', ms: 0 };
  constructor(private readonly privateKey: KeyObject) {}

  readonly spawn: HostSpawner = () => {
    this.spawned += 1;
    this.running += 1;
    let alive = true;
    const messages: ((m: unknown) => void)[] = [];
    const exits: ((r: string) => void)[] = [];
    const exit = (reason: string) => {
      if (!alive) return;
      alive = false;
      this.running -= 1;
      queueMicrotask(() => exits.forEach((l) => l(reason)));
    };
    const reply = (requestId: number, outcome: { data: unknown } | { error: { name: string; message: string } }) =>
      setTimeout(() => alive && messages.forEach((l) => l({ type: 'response', requestId, ...('data' in outcome ? { ok: true, data: outcome.data } : { ok: false, error: outcome.error }) })), 0);
    const host: HostProcess = {
      pid: 1000 + this.spawned,
      get running() {
        return alive;
      },
      send: (raw) => {
        const m = raw as { type: string; requestId: number; data: { data?: Uint8Array } };
        if (m.type === 'open') reply(m.requestId, { data: { library: 'fake' } });
        else if (m.type === 'listTokens') reply(m.requestId, { data: [TOKEN] });
        else if (m.type === 'close') reply(m.requestId, { data: {} });
        else if (m.type === 'sign') {
          const mode = this.signMode;
          if (mode.kind === 'hang') return; // the module blocks in C_Sign (no touch)
          if (mode.kind === 'error') {
            reply(m.requestId, { error: { name: mode.name, message: mode.message } });
            return;
          }
          const signature = new Uint8Array(nodeSign('sha256', m.data.data ?? new Uint8Array(), { key: this.privateKey, dsaEncoding: 'ieee-p1363' }));
          setTimeout(() => reply(m.requestId, { data: { signature, curve: 'P-256' } }), mode.ms);
        }
      },
      onMessage: (l) => messages.push(l),
      onExit: (l) => exits.push(l),
      kill: () => exit('SIGKILL'),
      disconnect: () => exit('exit code 0'),
    };
    return host;
  };
}

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-shared-client-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function wire() {
  const { key, privateKey } = p256Key();
  const hosts = new FakeHosts(privateKey);
  const events: Array<{ channel: string; payload: unknown }> = [];
  const emitter = createEmitter(contract, (channel, payload) => events.push({ channel, payload }), silentLogger);
  const custody = createCustodyWithSharedClient({ workspaceDir: dir, tokenHost: { launch: hosts.spawn, modulePath: '/m.so' }, emitter, logger: silentLogger, hotplug: null });
  const progress = () =>
    events.filter((e) => e.channel === 'tokens:onProgress').map((e) => e.payload as { operation: string; phase: string; tokenSerial: string });
  return { key, hosts, custody, progress };
}

describe('one token host per app (custody and ceremonies share the TokenClient)', () => {
  it('custody and the shared client use one host process; it stops only when the last holder closes', async () => {
    const { hosts, custody } = wire();
    const ceremonyClient = custody.sharedTokenClient();
    if (!ceremonyClient) throw new Error('expected a shared client');
    expect((await custody.service.listTokens()).tokens.map((t) => t.serial)).toEqual(['s1']);
    expect(await ceremonyClient.listTokens()).toEqual([TOKEN]);
    expect(hosts.spawned).toBe(1);
    await ceremonyClient.close(); // the ceremony side is done: the host must stay up for custody
    expect(hosts.running).toBe(1);
    expect(await custody.service.listTokens()).toMatchObject({ problem: null });
    expect(hosts.spawned).toBe(1);
    await custody.service.close();
    expect(hosts.running).toBe(0);
  });

  it('no module configured: no shared client (the ceremony side reports tokens unavailable)', () => {
    const emitter = createEmitter(contract, () => undefined, silentLogger);
    const custody = createCustodyWithSharedClient({ workspaceDir: dir, tokenHost: { unavailable: 'no ykcs11' }, emitter, logger: silentLogger, hotplug: null });
    expect(custody.sharedTokenClient()).toBeNull();
  });
});

describe('touch prompt for signatures through the shared client (tokens:onProgress)', () => {
  it('working → touch while C_Sign blocks → done; the signature is verified and returned', async () => {
    const { key, hosts, custody, progress } = wire();
    const client = custody.sharedTokenClient();
    if (!client) throw new Error('expected a shared client');
    hosts.signMode = { kind: 'after', ms: 600 }; // longer than the 400 ms touch delay: a YubiKey waiting for a touch
    const signature = await client.sign(key, new TextEncoder().encode('root.json'), 'notary-v1');
    expect(signature.signature).toHaveLength(64);
    expect(progress().map((p) => `${p.operation}:${p.phase}:${p.tokenSerial}`)).toEqual(['sign:working:s1', 'sign:touch:s1', 'sign:done:s1']);
    await client.close();
    await custody.service.close();
  });

  it('a quick signature never flashes the touch prompt', async () => {
    const { key, custody, progress } = wire();
    const client = custody.sharedTokenClient();
    if (!client) throw new Error('expected a shared client');
    await client.sign(key, new Uint8Array([1, 2, 3]), 'tuf-1.0');
    await wait(450);
    expect(progress().map((p) => p.phase)).toEqual(['working', 'done']);
    await client.close();
    await custody.service.close();
  });

  it('tokens:cancel (custody) cancels a ceremony signature waiting for a touch: cancelled, host restarted, next call works', async () => {
    const { key, hosts, custody, progress } = wire();
    const client = custody.sharedTokenClient();
    if (!client) throw new Error('expected a shared client');
    hosts.signMode = { kind: 'hang' };
    const signing = client.sign(key, new Uint8Array([9]), 'notary-v1');
    const outcome = signing.then(
      () => 'signed',
      (error: unknown) => (error instanceof Error ? error.name : 'unknown'),
    );
    await waitFor(() => progress().at(-1)?.phase === 'touch');
    expect(custody.service.cancelTokenOperation()).toEqual({ cancelled: true });
    expect(await outcome).toBe('FunctionCanceledError');
    expect(progress().map((p) => p.phase)).toEqual(['working', 'touch', 'cancelled']);
    expect(hosts.running).toBe(0);
    hosts.signMode = { kind: 'after', ms: 0 };
    await client.sign(key, new Uint8Array([9]), 'notary-v1');
    expect(hosts.spawned).toBe(2);
    expect(progress().at(-1)?.phase).toBe('done');
    await client.close();
    await custody.service.close();
  });

  it('a failed signature (card pulled) ends the prompt with failed and the error message', async () => {
    const { key, hosts, custody, progress } = wire();
    const client = custody.sharedTokenClient();
    if (!client) throw new Error('expected a shared client');
    hosts.signMode = { kind: 'error', name: 'DeviceRemovedError', message: 'Token s1 was removed during the signature.' };
    await expect(client.sign(key, new Uint8Array([7]), 'tuf-1.0')).rejects.toMatchObject({ name: 'DeviceRemovedError' });
    expect(progress().map((p) => p.phase)).toEqual(['working', 'failed']);
    expect(progress().at(-1)).toMatchObject({ operation: 'sign', tokenSerial: 's1' });
    await client.close();
    await custody.service.close();
  });
});
