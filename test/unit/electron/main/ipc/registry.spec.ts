import { describe, expect, it, vi } from 'vitest';

import { unavailableCeremonyHandlers } from '../../../../../electron/main/ipc/ceremony-handlers';
import { unavailableCustodyHandlers } from '../../../../../electron/main/ipc/custody-handlers';
import { createIpcRegistry, HandlerMismatchError, type HandlersOf } from '../../../../../electron/main/ipc/registry';
import type { IpcSender } from '../../../../../electron/main/ipc/sender';
import { contract, type Contract } from '../../../../../shared/ipc/contract';
import { APP_SENDER, recordingLogger, SUMMARY } from '../support/fakes';

function handlers(overrides: Partial<HandlersOf<Contract>['repositories']> = {}): HandlersOf<Contract> {
  return {
    app: { getSnapshot: () => ({ appVersion: '0.1.0', networkMode: 'offline', platform: 'linux' }) },
    repositories: {
      list: () => [SUMMARY],
      pickDirectory: () => null,
      add: () => [SUMMARY],
      reinspect: () => SUMMARY,
      cancel: () => ({ cancelled: false }),
      get: () => Promise.reject(new Error('not used')),
      getTargets: ({ offset }) => ({ total: 0, offset, rows: [] }),
      remove: () => ({ removed: true }),
      ...overrides,
    },
    ...unavailableCustodyHandlers(),
    ...unavailableCeremonyHandlers(),
  };
}

function setup(overrides: Partial<HandlersOf<Contract>['repositories']> = {}, options: { isTrustedOrigin?: (o: string) => boolean } = {}) {
  const log = recordingLogger();
  const registry = createIpcRegistry(contract, handlers(overrides), { logger: log.logger, ...options });
  return { registry, log };
}

describe('createIpcRegistry', () => {
  it('lists the invoke channels of the contract and no event channels', () => {
    const { registry } = setup();
    expect(registry.channels).toEqual([
      'app:getSnapshot',
      'repositories:list',
      'repositories:pickDirectory',
      'repositories:add',
      'repositories:reinspect',
      'repositories:cancel',
      'repositories:get',
      'repositories:getTargets',
      'repositories:remove',
      'tokens:list',
      'tokens:keys',
      'tokens:generate',
      'tokens:cancel',
      'keys:inventory',
      'keys:pickFile',
      'keys:import',
      'keys:export',
      'keys:generateSoftware',
      'ceremonies:list',
      'ceremonies:get',
      'ceremonies:previewRequest',
      'ceremonies:start',
      'ceremonies:impact',
      'ceremonies:pull',
      'ceremonies:resume',
      'ceremonies:confirm',
      'ceremonies:sign',
      'ceremonies:signWithFile',
      'ceremonies:cancel',
      'ceremonies:finalize',
      'ceremonies:exportSigned',
      'ceremonies:exportPartial',
      'ceremonies:mergePartial',
      'ceremonies:abort',
      'bundles:inspect',
      'bundles:export',
    ]);
  });

  it('dispatches a valid request from the app window and returns ok', async () => {
    const remove = vi.fn(() => ({ removed: true }));
    const { registry } = setup({ remove });
    expect(await registry.dispatch('repositories:remove', { id: 'abc' }, APP_SENDER)).toEqual({ ok: true, value: { removed: true } });
    expect(remove).toHaveBeenCalledWith({ id: 'abc' });
    expect(await registry.dispatch('repositories:list', undefined, APP_SENDER)).toEqual({ ok: true, value: [SUMMARY] });
  });

  describe('sender checks (security.md §1 item 17, §6 #43)', () => {
    const badSenders: Array<[string, IpcSender]> = [
      ['a null senderFrame', { url: null, isTopFrame: false }],
      ['a gone top frame', { url: null, isTopFrame: true }],
      ['an empty URL', { url: '', isTopFrame: true }],
      ['a subframe on our origin', { url: 'app://keyrite/index.html', isTopFrame: false }],
      ['https', { url: 'https://evil.example/', isTopFrame: true }],
      ['http localhost', { url: 'http://127.0.0.1:5173/', isTopFrame: true }],
      ['file', { url: 'file:///work/main/dist/renderer/index.html', isTopFrame: true }],
      ['another app host', { url: 'app://evil/index.html', isTopFrame: true }],
      ['a host with our name as prefix', { url: 'app://keyrite.evil/index.html', isTopFrame: true }],
      ['credentials before our host', { url: 'app://attacker@keyrite/index.html', isTopFrame: true }],
      ['a port on our host', { url: 'app://keyrite:8080/index.html', isTopFrame: true }],
      ['about:blank', { url: 'about:blank', isTopFrame: true }],
      ['data:', { url: 'data:text/html,<script>1</script>', isTopFrame: true }],
      ['devtools', { url: 'devtools://devtools/bundled/inspector.html', isTopFrame: true }],
      ['garbage', { url: 'not a url', isTopFrame: true }],
      ['upper-case scheme trick', { url: 'APP://KEYRITE.EVIL/', isTopFrame: true }],
    ];
    it.each(badSenders)('refuses %s with UntrustedSender before any other check', async (_label, sender) => {
      const list = vi.fn(() => [SUMMARY]);
      const { registry, log } = setup({ list });
      for (const channel of ['repositories:list', 'no:such-channel']) {
        const result = await registry.dispatch(channel, { junk: true }, sender);
        expect(result).toEqual({ ok: false, error: { code: 'UntrustedSender', message: expect.any(String) as string } });
      }
      expect(list).not.toHaveBeenCalled();
      expect(log.entries.some((e) => e.level === 'warn' && e.message.includes('untrusted sender'))).toBe(true);
    });

    it('accepts any path on app://keyrite', async () => {
      const { registry } = setup();
      for (const url of ['app://keyrite/', 'app://keyrite/index.html#/repos', 'app://keyrite/repos/abc?tab=targets']) {
        expect((await registry.dispatch('repositories:list', undefined, { url, isTopFrame: true })).ok).toBe(true);
      }
    });

    it('lets the harness name its own trusted origin (and only that one)', async () => {
      const { registry } = setup({}, { isTrustedOrigin: (origin) => origin === 'http://127.0.0.1:4173' });
      expect((await registry.dispatch('repositories:list', undefined, { url: 'http://127.0.0.1:4173/index.html', isTopFrame: true })).ok).toBe(true);
      const other = await registry.dispatch('repositories:list', undefined, { url: 'http://127.0.0.1:4174/', isTopFrame: true });
      expect(other.ok).toBe(false);
      const app = await registry.dispatch('repositories:list', undefined, APP_SENDER);
      expect(app.ok).toBe(false);
    });
  });

  describe('channel checks', () => {
    it.each(['no:such', 'repositories:onProgress', 'repositories:onChanged', '__proto__', 'constructor', 'toString', 'repositories', ''])(
      'refuses channel %j',
      async (channel) => {
        const { registry } = setup();
        const result = await registry.dispatch(channel, undefined, APP_SENDER);
        expect(result).toEqual({ ok: false, error: { code: 'InvalidRequest', message: 'Unknown IPC channel.' } });
      },
    );
  });

  describe('request checks (fuzz table, §6 #43)', () => {
    class Remove {
      id = 'abc';
    }
    const cyclic: Record<string, unknown> = { id: 'abc' };
    cyclic['self'] = cyclic;
    let deep: unknown = 'x';
    for (let i = 0; i < 200; i += 1) deep = { id: deep };
    const withGetter = Object.defineProperty({}, 'id', { get: () => 'abc', enumerable: true });

    const bad: Array<[string, unknown]> = [
      ['a JSON __proto__ key', JSON.parse('{"id":"abc","__proto__":{"isAdmin":true}}')],
      ['a nested __proto__ key', { id: 'abc', x: JSON.parse('{"__proto__":{"polluted":1}}') as unknown }],
      ['a constructor key', { id: 'abc', constructor: { prototype: {} } }],
      ['an inherited id', Object.create({ id: 'abc' }) as unknown],
      ['a class instance', new Remove()],
      ['NaN', { id: Number.NaN }],
      ['Infinity', { id: Number.POSITIVE_INFINITY }],
      ['an extra field', { id: 'abc', path: '/etc/passwd' }],
      ['a wrong type', { id: 7 }],
      ['an id with traversal', { id: '../../etc' }],
      ['an over-long id', { id: 'a'.repeat(65) }],
      ['null', null],
      ['an array', [{ id: 'abc' }]],
      ['a string', 'abc'],
      ['undefined', undefined],
      ['a function', () => 'abc'],
      ['a symbol key', { id: 'abc', [Symbol('x')]: 1 }],
      ['a bigint', { id: 1n }],
      ['a Date', new Date(0)],
      ['a Map', new Map([['id', 'abc']])],
      ['a cyclic object', cyclic],
      ['200 levels of nesting', deep],
      ['a getter', withGetter],
    ];
    it.each(bad)('refuses %s with InvalidRequest and never calls the handler', async (_label, payload) => {
      const remove = vi.fn(() => ({ removed: true }));
      const { registry } = setup({ remove });
      const result = await registry.dispatch('repositories:remove', payload, APP_SENDER);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('InvalidRequest');
      expect(remove).not.toHaveBeenCalled();
    });

    it('does not pollute Object.prototype while refusing', async () => {
      const { registry } = setup();
      await registry.dispatch('repositories:remove', JSON.parse('{"__proto__":{"polluted":true}}'), APP_SENDER);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it.each([
      ['a payload for a void channel', 'repositories:list', {}],
      ['null for a void channel', 'app:getSnapshot', null],
      ['a limit above 1000', 'repositories:getTargets', { id: 'abc', offset: 0, limit: 1001 }],
      ['a negative offset', 'repositories:getTargets', { id: 'abc', offset: -1, limit: 10 }],
      ['a fractional limit', 'repositories:getTargets', { id: 'abc', offset: 0, limit: 1.5 }],
      ['a raw path instead of a pickId', 'repositories:add', { source: { kind: 'directory', path: '/etc' }, params: { jobId: 'job-00001' } }],
      ['a file: URL source', 'repositories:add', { source: { kind: 'tuf-url', url: 'file:///etc/passwd' }, params: { jobId: 'job-00001' } }],
      ['warnDays NaN', 'repositories:reinspect', { id: 'abc', params: { jobId: 'job-00001', warnDays: Number.NaN } }],
      ['a title too long', 'repositories:pickDirectory', { title: 'x'.repeat(121) }],
    ])('refuses %s', async (_label, channel, payload) => {
      const { registry } = setup();
      const result = await registry.dispatch(channel, payload, APP_SENDER);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('InvalidRequest');
    });
  });

  describe('strict responses', () => {
    it('stops a response with an extra privateKey field: InvalidResponse, logged without the value, nothing crosses', async () => {
      const secret = '-----BEGIN EC PRIVATE KEY-----MHcCAQEEIBogus';
      const { registry, log } = setup({ list: () => [{ ...SUMMARY, privateKey: secret }] });
      const result = await registry.dispatch('repositories:list', undefined, APP_SENDER);
      expect(result).toEqual({ ok: false, error: { code: 'InvalidResponse', message: expect.any(String) as string } });
      expect(JSON.stringify(result)).not.toContain('PRIVATE KEY');
      const logged = log.entries.find((e) => e.message.includes('invalid response'));
      expect(logged?.level).toBe('error');
      expect(log.text()).toContain('privateKey');
      expect(log.text()).not.toContain('BEGIN EC PRIVATE KEY');
    });

    it.each([
      ['a nested extra field', { summary: { ...SUMMARY, pin: '123456' } }],
      ['a missing field', [{ ...SUMMARY, id: undefined }]],
      ['a wrong type', { removed: 'yes' }],
    ])('stops %s', async (_label, value) => {
      const { registry } = setup({ list: () => value as never, remove: () => value as never });
      for (const [channel, payload] of [['repositories:list', undefined], ['repositories:remove', { id: 'abc' }]] as const) {
        const result = await registry.dispatch(channel, payload, APP_SENDER);
        expect(result).toMatchObject({ ok: false, error: { code: 'InvalidResponse' } });
      }
    });
  });

  it('refuses handlers that do not match the contract', () => {
    const missing = handlers() as unknown as { repositories: Record<string, unknown> };
    delete missing.repositories['remove'];
    expect(() => createIpcRegistry(contract, missing as unknown as HandlersOf<Contract>)).toThrow(HandlerMismatchError);
    const extra = handlers() as unknown as { repositories: Record<string, unknown> };
    extra.repositories['onProgress'] = () => undefined;
    expect(() => createIpcRegistry(contract, extra as unknown as HandlersOf<Contract>)).toThrow(/not an invoke entry/);
  });
});
