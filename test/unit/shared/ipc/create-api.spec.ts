import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import { z } from 'zod';

import { contract, type Progress, type RepositorySummary } from '../../../../shared/ipc/contract';
import { createRendererApi, type Api, type Transport } from '../../../../shared/ipc/create-api';
import { event, invoke } from '../../../../shared/ipc/define';
import type { Result } from '../../../../shared/ipc/result';

const summary: RepositorySummary = {
  id: 'docker-io-library-alpine',
  name: 'docker.io/library/alpine',
  dialect: 'notary-v1',
  source: { kind: 'metadata-dir', location: '/tmp/x' },
  health: 'healthy',
  inspectedAt: '2026-01-01T00:00:00.000Z',
  rootVersion: 1,
  errors: 0,
  warnings: 0,
  targetCount: 3,
};

/** A transport that records calls and answers with whatever the test queues. */
function fakeTransport(answer: (channel: string, payload: unknown) => unknown = () => ({ ok: true, value: [] })) {
  const calls: Array<{ channel: string; payload: unknown; args: number }> = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const transport: Transport = {
    invoke(channel, ...rest: unknown[]) {
      calls.push({ channel, payload: rest[0], args: rest.length });
      return Promise.resolve(answer(channel, rest[0]));
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      set.add(listener);
      listeners.set(channel, set);
      return () => set.delete(listener);
    },
  };
  const emit = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l(payload));
  return { transport, calls, emit, listeners };
}

describe('createRendererApi', () => {
  describe('shape', () => {
    it('exposes exactly the contract entries, grouped, and nothing generic (security.md §1 item 20)', () => {
      const api = createRendererApi(contract, fakeTransport().transport);
      const shape = Object.fromEntries(Object.entries(api).map(([group, methods]) => [group, Object.keys(methods).sort()]));
      expect(shape).toEqual({
        app: ['getSnapshot'],
        repositories: ['add', 'cancel', 'get', 'getTargets', 'list', 'onChanged', 'onProgress', 'pickDirectory', 'reinspect', 'remove'],
        tokens: ['cancel', 'generate', 'keys', 'list', 'onChanged', 'onProgress'],
        keys: ['export', 'generateSoftware', 'import', 'inventory', 'pickFile'],
        ceremonies: [
          'abort', 'cancel', 'confirm', 'exportPartial', 'exportSigned', 'finalize', 'get', 'impact', 'list', 'mergePartial', 'onProgress',
          'previewRequest', 'pull', 'resume', 'sign', 'signWithFile', 'start',
        ],
        bundles: ['export', 'inspect'],
      });
      expect(Object.keys(api).sort()).toEqual(['app', 'bundles', 'ceremonies', 'keys', 'repositories', 'tokens']);
      expect('invoke' in api).toBe(false);
      expect('send' in api).toBe(false);
    });

    it('is frozen, so page scripts cannot swap a method', () => {
      const api = createRendererApi(contract, fakeTransport().transport);
      expect(Object.isFrozen(api)).toBe(true);
      expect(Object.isFrozen(api.repositories)).toBe(true);
      expect(() => {
        (api.repositories as unknown as Record<string, unknown>)['list'] = () => null;
      }).toThrow(TypeError);
    });

    it('is typed from the contract', () => {
      expectTypeOf<Api['repositories']['list']>().toEqualTypeOf<() => Promise<Result<RepositorySummary[]>>>();
      expectTypeOf<Api['repositories']['onProgress']>().toEqualTypeOf<(listener: (payload: Progress) => void) => () => void>();
      expectTypeOf<Api['repositories']['remove']>().parameter(0).toEqualTypeOf<{ id: string }>();
    });
  });

  describe('invoke entries', () => {
    it('sends the channel and the raw request as one argument, and returns the Result', async () => {
      const { transport, calls } = fakeTransport(() => ({ ok: true, value: [summary] }));
      const api = createRendererApi(contract, transport);
      const result = await api.repositories.list();
      expect(result).toEqual({ ok: true, value: [summary] });
      expect(calls).toEqual([{ channel: 'repositories:list', payload: undefined, args: 1 }]);

      await api.repositories.remove({ id: 'abc' });
      expect(calls[1]).toEqual({ channel: 'repositories:remove', payload: { id: 'abc' }, args: 1 });
    });

    it('passes error Results through unchanged', async () => {
      const failure = { ok: false, error: { code: 'NotFound', message: 'Repository abc is not in the workspace.', name: 'RepositoryNotFoundError' } };
      const api = createRendererApi(contract, fakeTransport(() => failure).transport);
      expect(await api.repositories.get({ id: 'abc' })).toEqual(failure);
    });

    it.each([
      ['an extra field', { id: 'abc', path: '/etc' }],
      ['a wrong type', { id: 42 }],
      ['an invalid id', { id: '../x' }],
      ['nothing', undefined],
    ])('refuses a request with %s before sending it', async (_label, request) => {
      const { transport, calls } = fakeTransport();
      const api = createRendererApi(contract, transport);
      const result = await api.repositories.remove(request as { id: string });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('InvalidRequest');
      expect(calls).toHaveLength(0);
    });

    it('turns a response with a leaked extra field into InvalidResponse (defence in depth)', async () => {
      const onInvalidMessage = vi.fn();
      const leaky = { ok: true, value: [{ ...summary, privateKey: 'SECRET-KEY-BYTES' }] };
      const api = createRendererApi(contract, fakeTransport(() => leaky).transport, { onInvalidMessage });
      const result = await api.repositories.list();
      expect(result).toEqual({ ok: false, error: { code: 'InvalidResponse', message: expect.any(String) as string } });
      expect(JSON.stringify(result)).not.toContain('SECRET');
      expect(onInvalidMessage).toHaveBeenCalledWith('repositories:list', expect.stringContaining('privateKey'));
      expect(JSON.stringify(onInvalidMessage.mock.calls)).not.toContain('SECRET-KEY-BYTES');
    });

    it.each([
      ['not a Result', [summary]],
      ['null', null],
      ['a Result with a bad error code', { ok: false, error: { code: 'Whatever', message: 'x' } }],
      ['a Result with both value and error', { ok: true, value: [], error: { code: 'Internal', message: 'x' } }],
    ])('turns %s into InvalidResponse', async (_label, raw) => {
      const api = createRendererApi(contract, fakeTransport(() => raw).transport);
      const result = await api.repositories.list();
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.code).toBe('InvalidResponse');
    });

    it('never rejects: a failing transport becomes an Internal error', async () => {
      const transport: Transport = { invoke: () => Promise.reject(new Error('No handler registered')), subscribe: () => () => undefined };
      const onInvalidMessage = vi.fn();
      const api = createRendererApi(contract, transport, { onInvalidMessage });
      const result = await api.app.getSnapshot();
      expect(result).toEqual({ ok: false, error: { code: 'Internal', message: 'The call app:getSnapshot did not reach the main process.' } });
      expect(onInvalidMessage).toHaveBeenCalledWith('app:getSnapshot', expect.stringContaining('No handler registered'));
    });
  });

  describe('event entries', () => {
    const progress: Progress = { jobId: 'job-0001', phase: 'verifying', done: 1, total: 4 };

    it('delivers validated payloads on the onX channel until unsubscribed', () => {
      const { transport, emit, listeners } = fakeTransport();
      const api = createRendererApi(contract, transport);
      const seen: Progress[] = [];
      const unsubscribe = api.repositories.onProgress((p) => seen.push(p));
      emit('repositories:onProgress', progress);
      expect(seen).toEqual([progress]);
      unsubscribe();
      unsubscribe(); // idempotent
      emit('repositories:onProgress', progress);
      expect(seen).toHaveLength(1);
      expect(listeners.get('repositories:onProgress')?.size).toBe(0);
    });

    it.each([
      ['an extra field', { ...progress, pin: '123456' }],
      ['an unknown phase', { ...progress, phase: 'exploding' }],
      ['NaN', { ...progress, done: Number.NaN }],
      ['nothing', undefined],
    ])('drops a payload with %s and reports it', (_label, payload) => {
      const { transport, emit } = fakeTransport();
      const onInvalidMessage = vi.fn();
      const api = createRendererApi(contract, transport, { onInvalidMessage });
      const listener = vi.fn();
      api.repositories.onProgress(listener);
      emit('repositories:onProgress', payload);
      expect(listener).not.toHaveBeenCalled();
      expect(onInvalidMessage).toHaveBeenCalledWith('repositories:onProgress', expect.stringContaining('dropped'));
    });

    it('refuses a listener that is not a function', () => {
      const api = createRendererApi(contract, fakeTransport().transport);
      expect(() => api.repositories.onChanged('alert(1)' as unknown as () => void)).toThrow(TypeError);
    });
  });

  it('works for any contract built with define.ts', async () => {
    const small = {
      demo: {
        echo: invoke(z.strictObject({ text: z.string() }), z.strictObject({ text: z.string() })),
        onTick: event(z.number().int()),
      },
    } as const;
    const { transport, emit } = fakeTransport((_channel, payload) => ({ ok: true, value: payload }));
    const api = createRendererApi(small, transport);
    expect(await api.demo.echo({ text: 'hi' })).toEqual({ ok: true, value: { text: 'hi' } });
    const ticks: number[] = [];
    api.demo.onTick((n) => ticks.push(n));
    emit('demo:onTick', 3);
    emit('demo:onTick', 3.5);
    expect(ticks).toEqual([3]);
  });
});
