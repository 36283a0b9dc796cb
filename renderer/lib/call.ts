import type { IpcError, Result } from '../../shared/ipc/result';

/**
 * Runs one api call and always yields a Result: handlers never throw across IPC, but the bridge
 * itself can (the page outlived its main process), and that must show as an error, not a crash.
 */
export async function call<T>(run: () => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run();
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, error: { code: 'Internal', message: `The request did not reach Keyrite: ${message}` } };
  }
}

export function describeError(error: IpcError): string {
  return error.name === undefined ? error.message : `${error.message} (${error.name})`;
}
