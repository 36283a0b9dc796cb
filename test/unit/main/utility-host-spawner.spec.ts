import { EventEmitter } from 'node:events';

import { describe, expect, it } from 'vitest';

import { chooseTokenModule } from '../../../electron/main/tokens/module-choice';
import { utilityHostSpawner, type UtilityFork } from '../../../electron/main/tokens/utility-host-spawner';
import { HostConnection } from '../../../electron/core/tokens/host-connection';

/** A fake Electron UtilityProcess: records posts, lets the test answer and exit. */
class FakeUtility extends EventEmitter {
  pid: number | undefined = 4242;
  posted: unknown[] = [];
  killed = 0;
  postMessage(message: unknown): void {
    this.posted.push(structuredClone(message));
  }
  kill(): boolean {
    this.killed += 1;
    queueMicrotask(() => this.emit('exit', 0));
    return true;
  }
}

function fakeFork() {
  const children: FakeUtility[] = [];
  const calls: Array<{ modulePath: string; options: unknown }> = [];
  const fork: UtilityFork = (modulePath, _args, options) => {
    const child = new FakeUtility();
    children.push(child);
    calls.push({ modulePath, options });
    return child;
  };
  return { fork, children, calls };
}

describe('utilityHostSpawner (main spawns the token host as a utilityProcess)', () => {
  it('forks the host entry with a service name and carries messages both ways', () => {
    const { fork, children, calls } = fakeFork();
    const host = utilityHostSpawner(fork, { entry: '/app/dist/token-host/index.cjs', env: { A: '1' } })();
    expect(calls).toEqual([{ modulePath: '/app/dist/token-host/index.cjs', options: { serviceName: 'Keyrite token host', stdio: 'inherit', env: { A: '1' } } }]);
    const seen: unknown[] = [];
    host.onMessage((m) => seen.push(m));
    host.send({ type: 'listTokens', requestId: 1, data: {} });
    children[0]?.emit('message', { type: 'response', requestId: 1, ok: true, data: [] });
    expect(children[0]?.posted).toEqual([{ type: 'listTokens', requestId: 1, data: {} }]);
    expect(seen).toEqual([{ type: 'response', requestId: 1, ok: true, data: [] }]);
    expect(host.pid).toBe(4242);
    expect(host.running).toBe(true);
  });

  it('reports the exit once and sends nothing after it; disconnect stops the process', async () => {
    const { fork, children } = fakeFork();
    const host = utilityHostSpawner(fork, { entry: 'x.cjs' })();
    const reasons: string[] = [];
    host.onExit((r) => reasons.push(r));
    host.disconnect();
    await new Promise((r) => setTimeout(r, 0));
    children[0]?.emit('exit', 1);
    expect(reasons).toEqual(['exit code 0']);
    expect(host.running).toBe(false);
    host.send({ type: 'x' });
    host.kill();
    expect(children[0]?.posted).toEqual([]);
    expect(children[0]?.killed).toBe(1);
  });

  it('drives a HostConnection: the PIN bytes are wiped after posting, a crash fails the request and the next one restarts the host', async () => {
    const { fork, children } = fakeFork();
    const connection = new HostConnection({ launch: utilityHostSpawner(fork, { entry: 'x.cjs' }), modulePath: '/m.so' });
    const pin = new TextEncoder().encode('123456');
    const login = connection.request('login', { tokenSerial: 's1', user: 'user', pin }, [pin]);
    const child = children[0];
    if (!child) throw new Error('no child');
    // open first, then login
    child.emit('message', { type: 'response', requestId: 0, ok: true, data: { library: 'fake' } });
    await new Promise((r) => setTimeout(r, 0));
    const posted = child.posted[1] as { type: string; data: { pin: Uint8Array } };
    expect(posted.type).toBe('login');
    expect(new TextDecoder().decode(posted.data.pin)).toBe('123456');
    expect([...pin].every((b) => b === 0)).toBe(true);
    child.emit('exit', 139);
    await expect(login).rejects.toMatchObject({ name: 'TokenHostCrashedError' });
    const list = connection.request('listTokens', {});
    expect(children).toHaveLength(2);
    children[1]?.emit('message', { type: 'response', requestId: 2, ok: true, data: { library: 'fake' } });
    await new Promise((r) => setTimeout(r, 0));
    children[1]?.emit('message', { type: 'response', requestId: 3, ok: true, data: [] });
    await expect(list).resolves.toEqual([]);
  });
});

describe('chooseTokenModule', () => {
  const exists = (p: string) => p === '/usr/lib/x86_64-linux-gnu/libykcs11.so' || p === '/opt/m.so';
  it('defaults to ykcs11 at its usual path, accepts a profile or a path, and explains a missing module', () => {
    expect(chooseTokenModule({}, { platform: 'linux', exists })).toEqual({ modulePath: '/usr/lib/x86_64-linux-gnu/libykcs11.so' });
    expect(chooseTokenModule({ KEYRITE_PKCS11_MODULE: '/opt/m.so' }, { platform: 'linux', exists })).toEqual({ modulePath: '/opt/m.so' });
    const missing = chooseTokenModule({ KEYRITE_PKCS11_MODULE: 'softhsm2' }, { platform: 'linux', exists });
    expect('unavailable' in missing ? missing.unavailable : '').toContain('KEYRITE_PKCS11_MODULE');
  });
});
