import { contract } from '../../../shared/ipc/contract';
import { type Api, createRendererApi } from '../../../shared/ipc/create-api';
import { ok, type Result } from '../../../shared/ipc/result';

type Handler = (payload: unknown) => Result<unknown> | Promise<Result<unknown>>;

/**
 * The real API factory over an in-memory transport: stores are tested against the same
 * typed, schema-checked surface the preload exposes, with scripted main-side answers.
 */
export function fakeApi(handlers: Record<string, Handler>): { api: Api; emit: (channel: string, payload: unknown) => void; calls: Array<[string, unknown]> } {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: Array<[string, unknown]> = [];
  const api = createRendererApi(contract, {
    invoke: async (channel, payload) => {
      calls.push([channel, payload]);
      const handler = handlers[channel];
      return handler === undefined ? ok(null) : await handler(payload);
    },
    subscribe: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  });
  return {
    api,
    calls,
    emit: (channel, payload) => {
      for (const listener of listeners.get(channel) ?? []) listener(payload);
    },
  };
}

export const summary = (id: string, patch: Record<string, unknown> = {}) => ({
  id,
  name: `example.com/${id}`,
  dialect: 'notary-v1' as const,
  source: { kind: 'trust-dir' as const, location: '/tmp/trust' },
  health: 'healthy' as const,
  inspectedAt: '2026-11-21T00:00:00.000Z',
  rootVersion: 1,
  errors: 0,
  warnings: 0,
  targetCount: 3,
  ...patch,
});
