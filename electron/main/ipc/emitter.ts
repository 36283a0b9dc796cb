import type { z } from 'zod';

import type { ContractShape, EventKeys } from '../../../shared/ipc/channels';
import { listChannels } from '../../../shared/ipc/channels';
import type { EventSpec } from '../../../shared/ipc/define';
import { describeIssues } from '../../../shared/ipc/issues';
import type { Logger } from '../log';
import { consoleLogger } from '../log';

type GroupsWithEvents<C> = { [G in keyof C]: EventKeys<C[G]> extends never ? never : G }[keyof C];

/**
 * `emitter.group.onX(payload)`: sends one main → renderer event. Returns false (and logs) when the
 * payload fails its strict schema, in which case nothing is sent.
 */
export type EmitterOf<C extends ContractShape> = {
  readonly [G in GroupsWithEvents<C>]: {
    readonly [M in EventKeys<C[G]>]: (payload: z.input<Extract<C[G][M], EventSpec>['payload']>) => boolean;
  };
};

/** Delivers a validated event, e.g. `mainWindow.webContents.send(channel, payload)`. */
export type EventSink = (channel: string, payload: unknown) => void;

export function createEmitter<C extends ContractShape>(contract: C, send: EventSink, logger: Logger = consoleLogger): EmitterOf<C> {
  const emitter: Record<string, Record<string, (payload: unknown) => boolean>> = {};
  for (const { group, method, channel, spec } of listChannels(contract)) {
    if (spec.kind !== 'event') continue;
    const target = (emitter[group] ??= {});
    target[method] = (payload: unknown): boolean => {
      const parsed = spec.payload.safeParse(payload);
      if (!parsed.success) {
        logger.error('IPC event not sent: invalid payload', { channel, issues: describeIssues(parsed.error) });
        return false;
      }
      send(channel, parsed.data);
      return true;
    };
  }
  for (const group of Object.values(emitter)) Object.freeze(group);
  return Object.freeze(emitter) as unknown as EmitterOf<C>;
}
