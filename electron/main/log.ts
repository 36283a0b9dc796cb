/**
 * The main process's logger. Injected everywhere so tests can assert what was logged and so no
 * module decides on its own to print request data (which could hold a path or a PIN).
 */
export interface Logger {
  info(message: string, details?: Record<string, unknown>): void;
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

export const consoleLogger: Logger = {
  info: (message, details) => console.info(`[keyrite] ${message}`, details ?? ''),
  warn: (message, details) => console.warn(`[keyrite] ${message}`, details ?? ''),
  error: (message, details) => console.error(`[keyrite] ${message}`, details ?? ''),
};

/** Swallows everything; for tests that do not look at logs. */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
