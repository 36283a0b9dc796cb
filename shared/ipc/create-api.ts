import { z } from 'zod';

import type { ContractShape, EventKeys, InvokeKeys, PayloadOf, RequestOf, ResponseOf } from './channels';
import { listChannels } from './channels';
import type { Contract } from './contract';
import type { EventSpec, InvokeSpec } from './define';
import { describeIssues } from './issues';
import type { Result } from './result';
import { err, resultSchema } from './result';

/**
 * How the generated API reaches main. The preload passes an ipcRenderer-backed transport; the e2e
 * harness passes one over Playwright's exposeBinding. The API never sees anything else, so the
 * renderer cannot name a channel that is not in the contract.
 */
export interface Transport {
  invoke(channel: string, payload: unknown): Promise<unknown>;
  /** Calls `listener` with each payload sent on `channel`; returns an unsubscribe function. */
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

export interface RendererApiOptions {
  /**
   * Told about a response or event payload that failed its schema (it is dropped or turned into an
   * `InvalidResponse` result). `shared/` has no console, so logging is the caller's choice.
   */
  onInvalidMessage?: (channel: string, problem: string) => void;
}

/** A `group:method` invoke entry as a function. Never rejects: failures are `Result` values. */
export type InvokeMethod<S extends InvokeSpec> = [RequestOf<S>] extends [void]
  ? () => Promise<Result<ResponseOf<S>>>
  : (request: RequestOf<S>) => Promise<Result<ResponseOf<S>>>;

/** A main → renderer event entry: subscribe with a listener, get an unsubscribe function back. */
export type EventMethod<S extends EventSpec> = (listener: (payload: PayloadOf<S>) => void) => () => void;

export type GroupApi<G> = {
  readonly [M in InvokeKeys<G>]: InvokeMethod<Extract<G[M], InvokeSpec>>;
} & {
  readonly [M in EventKeys<G>]: EventMethod<Extract<G[M], EventSpec>>;
};

/** The API generated from a contract: `api.group.method(...)`, `api.group.onX(cb)`. */
export type ApiOf<C extends ContractShape> = { readonly [G in keyof C]: GroupApi<C[G]> };

/** `window.api`: the API generated from Keyrite's contract. */
export type Api = ApiOf<Contract>;

/**
 * Builds the typed API for a contract over a transport. Requests are checked before they leave,
 * and responses and event payloads are checked on arrival (defence in depth: main already
 * validated them, but a compromised or buggy main must not be able to push arbitrary shapes
 * into renderer state).
 */
export function createRendererApi<C extends ContractShape>(
  contract: C,
  transport: Transport,
  options: RendererApiOptions = {},
): ApiOf<C> {
  // The renderer's CSP forbids eval; zod's JIT probe would otherwise raise a reported
  // `securitypolicyviolation` (caught by zod, but noise for our CSP tests and reports).
  z.config({ jitless: true });
  const report = options.onInvalidMessage ?? (() => undefined);
  const api: Record<string, Record<string, unknown>> = Object.create(null) as Record<string, Record<string, unknown>>;
  for (const { group, method, channel, spec } of listChannels(contract)) {
    const target = (api[group] ??= Object.create(null) as Record<string, unknown>);
    target[method] =
      spec.kind === 'invoke' ? makeInvoke(channel, spec, transport, report) : makeSubscribe(channel, spec, transport, report);
  }
  for (const group of Object.values(api)) Object.freeze(group);
  return Object.freeze(api) as unknown as ApiOf<C>;
}

type Report = (channel: string, problem: string) => void;

function makeInvoke(channel: string, spec: InvokeSpec, transport: Transport, report: Report) {
  const responseSchema = resultSchema(spec.res);
  return async (request?: unknown): Promise<Result<unknown>> => {
    const checked = spec.req.safeParse(request);
    if (!checked.success) {
      return err('InvalidRequest', `Invalid request for ${channel}: ${describeIssues(checked.error)}`);
    }
    let raw: unknown;
    try {
      // The raw request goes out, not the parsed one: main parses it again with the same schema.
      raw = await transport.invoke(channel, request);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      report(channel, `transport failed: ${detail}`);
      return err('Internal', `The call ${channel} did not reach the main process.`);
    }
    const parsed = responseSchema.safeParse(raw);
    if (!parsed.success) {
      const problem = describeIssues(parsed.error);
      report(channel, `invalid response: ${problem}`);
      return err('InvalidResponse', `The main process sent an invalid response for ${channel}.`);
    }
    return parsed.data;
  };
}

function makeSubscribe(channel: string, spec: EventSpec, transport: Transport, report: Report) {
  return (listener: (payload: unknown) => void): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError(`${channel}: the listener must be a function`);
    let active = true;
    const unsubscribe = transport.subscribe(channel, (payload) => {
      if (!active) return;
      const parsed = spec.payload.safeParse(payload);
      if (!parsed.success) {
        report(channel, `invalid event payload dropped: ${describeIssues(parsed.error)}`);
        return;
      }
      listener(parsed.data);
    });
    return () => {
      if (!active) return;
      active = false;
      unsubscribe();
    };
  };
}
