import type { z } from 'zod';

/** A renderer → main request with a response. */
export const invoke = <Q extends z.ZodType, S extends z.ZodType>(req: Q, res: S) =>
  ({ kind: 'invoke', req, res }) as const;

/** A main → renderer notification. The renderer's `onX(cb)` returns an unsubscribe function. */
export const event = <P extends z.ZodType>(payload: P) => ({ kind: 'event', payload }) as const;

export type InvokeSpec = ReturnType<typeof invoke<z.ZodType, z.ZodType>>;
export type EventSpec = ReturnType<typeof event<z.ZodType>>;
export type Spec = InvokeSpec | EventSpec;
