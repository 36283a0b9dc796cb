import type { z } from 'zod';

import type { ContractShape, InvokeKeys, ParsedRequestOf } from '../../../shared/ipc/channels';
import { channelName, listChannels } from '../../../shared/ipc/channels';
import type { InvokeSpec } from '../../../shared/ipc/define';
import { describeIssues } from '../../../shared/ipc/issues';
import type { IpcErrorCode, Result } from '../../../shared/ipc/result';
import { err, ok } from '../../../shared/ipc/result';
import type { Logger } from '../log';
import { consoleLogger } from '../log';
import { DEFAULT_ERROR_CODES, toIpcError } from './error-mapping';
import { DEFAULT_PLAIN_DATA_LIMITS, findPlainDataProblem, type PlainDataLimits } from './plain-data';
import { checkSender, type IpcSender } from './sender';

/**
 * A main-side handler: gets the parsed request and returns what the response schema accepts
 * (checked strictly again at run time, before anything crosses).
 */
export type HandlerFor<S extends InvokeSpec> = (request: ParsedRequestOf<S>) => Promise<z.input<S['res']>> | z.input<S['res']>;

type GroupsWithInvokes<C> = { [G in keyof C]: InvokeKeys<C[G]> extends never ? never : G }[keyof C];

/** One handler per invoke entry of the contract, grouped like the contract. */
export type HandlersOf<C extends ContractShape> = {
  readonly [G in GroupsWithInvokes<C>]: { readonly [M in InvokeKeys<C[G]>]: HandlerFor<Extract<C[G][M], InvokeSpec>> };
};

export interface IpcRegistryOptions {
  /** Which sender origins count (default: only `app://keyrite`). The e2e harness passes its own. */
  isTrustedOrigin?: (origin: string) => boolean;
  logger?: Logger;
  /** Extra named-error → code entries, on top of DEFAULT_ERROR_CODES. */
  errorCodes?: Readonly<Record<string, IpcErrorCode>>;
  plainDataLimits?: PlainDataLimits;
}

export interface IpcRegistry {
  /** The invoke channels, `group:method`, in contract order. */
  readonly channels: readonly string[];
  /** Checks sender, channel and request, runs the handler, checks the response. Never rejects. */
  dispatch(channel: string, rawPayload: unknown, sender: IpcSender): Promise<Result<unknown>>;
}

// Thrown at start-up when handlers and contract disagree: a programming error, not a request error.
export class HandlerMismatchError extends Error {
  override readonly name = 'HandlerMismatchError';
}

interface Entry {
  spec: InvokeSpec;
  handler: (request: unknown) => unknown;
}

/**
 * The pure IPC dispatcher: no Electron in here, so unit tests and the e2e harness drive exactly the
 * code the app runs. `bindToIpcMain` connects it to Electron.
 */
export function createIpcRegistry<C extends ContractShape>(
  contract: C,
  handlers: NoInfer<HandlersOf<C>>,
  options: IpcRegistryOptions = {},
): IpcRegistry {
  const logger = options.logger ?? consoleLogger;
  const codes = { ...DEFAULT_ERROR_CODES, ...options.errorCodes };
  const limits = options.plainDataLimits ?? DEFAULT_PLAIN_DATA_LIMITS;
  const entries = buildEntries(contract, handlers);

  const dispatch = async (channel: string, rawPayload: unknown, sender: IpcSender): Promise<Result<unknown>> => {
    // Sender first: an untrusted frame learns nothing, not even whether a channel exists.
    const untrusted = checkSender(sender, options.isTrustedOrigin);
    if (untrusted !== null) {
      logger.warn('IPC request refused: untrusted sender', { channel, reason: untrusted });
      return err('UntrustedSender', 'This request did not come from the Keyrite window.');
    }
    const entry = entries.get(channel);
    if (entry === undefined) {
      logger.warn('IPC request refused: unknown channel', { channel });
      return err('InvalidRequest', 'Unknown IPC channel.');
    }
    const problem = findPlainDataProblem(rawPayload, limits);
    if (problem !== null) {
      logger.warn('IPC request refused: not plain data', { channel, problem });
      return err('InvalidRequest', `Invalid request for ${channel}: ${problem}`);
    }
    const request = entry.spec.req.safeParse(rawPayload);
    if (!request.success) {
      const issues = describeIssues(request.error);
      logger.warn('IPC request refused: schema', { channel, issues });
      return err('InvalidRequest', `Invalid request for ${channel}: ${issues}`);
    }
    let value: unknown;
    try {
      value = await entry.handler(request.data);
    } catch (thrown) {
      const mapped = toIpcError(thrown, codes);
      if (!mapped.expected) logger.error('IPC handler failed', { channel, error: thrown });
      return { ok: false, error: mapped.error };
    }
    // Strict response schemas: an extra field (say `privateKey`) stops here, before anything crosses.
    const response = entry.spec.res.safeParse(value);
    if (!response.success) {
      logger.error('IPC handler returned an invalid response; nothing was sent', {
        channel,
        issues: describeIssues(response.error),
      });
      return err('InvalidResponse', `The main process produced an invalid response for ${channel}; nothing was sent.`);
    }
    return ok(response.data);
  };

  return Object.freeze({ channels: Object.freeze([...entries.keys()]), dispatch });
}

function buildEntries(contract: ContractShape, handlers: Record<string, Record<string, unknown>>): Map<string, Entry> {
  const entries = new Map<string, Entry>();
  const expected = new Set<string>();
  for (const { group, method, channel, spec } of listChannels(contract)) {
    if (spec.kind !== 'invoke') continue;
    expected.add(channel);
    const group_ = Object.hasOwn(handlers, group) ? handlers[group] : undefined;
    const handler = group_ !== undefined && Object.hasOwn(group_, method) ? group_[method] : undefined;
    if (typeof handler !== 'function') throw new HandlerMismatchError(`No handler for IPC channel ${channel}`);
    entries.set(channel, { spec, handler: handler as (request: unknown) => unknown });
  }
  for (const group of Object.keys(handlers)) {
    for (const method of Object.keys(handlers[group] ?? {})) {
      const channel = channelName(group, method);
      if (!expected.has(channel)) throw new HandlerMismatchError(`Handler ${channel} is not an invoke entry of the contract`);
    }
  }
  return entries;
}
