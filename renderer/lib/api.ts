import type { Api } from '../../shared/ipc/create-api';

/**
 * The one door to main. Store actions call `api()`; components never touch `window.api`, so a
 * component or store test swaps in a fake with `setApi`.
 */
let override: Api | null = null;

export function api(): Api {
  if (override !== null) return override;
  if (typeof window === 'undefined' || window.api === undefined) {
    throw new ApiUnavailableError();
  }
  return window.api;
}

/** Tests only: replace the bridge with a fake (pass null to restore `window.api`). */
export function setApi(fake: Api | null): void {
  override = fake;
}

// The preload did not run (the page was opened outside Keyrite); nothing can work without it.
export class ApiUnavailableError extends Error {
  override name = 'ApiUnavailableError';
  constructor() {
    super('window.api is missing: the Keyrite preload did not run.');
  }
}
