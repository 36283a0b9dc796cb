import type { z } from 'zod';

import type { EventSpec, InvokeSpec, Spec } from './define';

/** Any contract: groups of named invoke/event entries (`shared/ipc/contract.ts` is the real one). */
export type ContractShape = { readonly [group: string]: { readonly [method: string]: Spec } };

/** The one channel naming rule, shared by main, preload and the e2e harness. */
export const channelName = (group: string, method: string): string => `${group}:${method}`;

export interface ChannelEntry {
  group: string;
  method: string;
  channel: string;
  spec: Spec;
}

/** Every entry of a contract, in declaration order. Own keys only, so a polluted prototype adds nothing. */
export function listChannels(contract: ContractShape): ChannelEntry[] {
  const entries: ChannelEntry[] = [];
  for (const group of Object.keys(contract)) {
    const methods = contract[group];
    if (methods === undefined) continue;
    for (const method of Object.keys(methods)) {
      const spec = methods[method];
      if (spec === undefined) continue;
      entries.push({ group, method, channel: channelName(group, method), spec });
    }
  }
  return entries;
}

/** Method names of a group that are invoke entries. */
export type InvokeKeys<G> = { [M in keyof G]: G[M] extends InvokeSpec ? M : never }[keyof G];
/** Method names of a group that are event entries. */
export type EventKeys<G> = { [M in keyof G]: G[M] extends EventSpec ? M : never }[keyof G];

/** What the renderer passes for an invoke entry (schema input). */
export type RequestOf<S extends InvokeSpec> = z.input<S['req']>;
/** What a main handler receives for an invoke entry (schema output). */
export type ParsedRequestOf<S extends InvokeSpec> = z.output<S['req']>;
/** What the renderer receives inside `Result.value`. */
export type ResponseOf<S extends InvokeSpec> = z.output<S['res']>;
/** What a main event payload looks like. */
export type PayloadOf<S extends EventSpec> = z.output<S['payload']>;
