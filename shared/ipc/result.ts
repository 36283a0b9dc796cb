import { z } from 'zod';

/**
 * Every invoke handler resolves with a Result instead of rejecting: Electron keeps only an
 * Error's message across IPC, so expected failures travel as data with a stable code.
 */
export const IpcErrorCode = z.enum([
  'UntrustedSender',
  'InvalidRequest',
  'InvalidResponse',
  'NotFound',
  'Cancelled',
  'SourceUnavailable',
  'InvalidInput',
  'Busy',
  'Internal',
]);
export type IpcErrorCode = z.infer<typeof IpcErrorCode>;

export const IpcError = z.strictObject({
  code: IpcErrorCode,
  /** A precise, human-readable message that says what to do. */
  message: z.string(),
  /** Named error class from shared/errors (e.g. `ParseError`), when known. */
  name: z.string().optional(),
});
export type IpcError = z.infer<typeof IpcError>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = (code: IpcErrorCode, message: string, name?: string): Result<never> => ({
  ok: false,
  error: name === undefined ? { code, message } : { code, message, name },
});

export const resultSchema = <T extends z.ZodType>(value: T) =>
  z.discriminatedUnion('ok', [
    z.strictObject({ ok: z.literal(true), value }),
    z.strictObject({ ok: z.literal(false), error: IpcError }),
  ]);
