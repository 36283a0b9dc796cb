/**
 * Vitest wiring for specs that run the real token host against SoftHSM2: a suite that skips (saying
 * why) only when SoftHSM2 is missing, one bundled token host per spec file, and a fresh token (and
 * TokenClient) per test. Kept apart from softhsm.ts because that file is also loaded by Playwright
 * specs, which must not import vitest.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';

import type { TokenClient } from '../../electron/core/tokens/token-client';
import { bundleTokenHost, createSoftHsmToken, softHsmClient, SOFTHSM_MISSING_REASON, type SoftHsmToken, type TokenHostBundle } from './softhsm';

export { pinBytes, softHsmClient } from './softhsm';
export type { SoftHsmToken, TokenHostBundle } from './softhsm';

/** A describe block that is skipped, with the reason in its title, when SoftHSM2 is not installed. */
export function describeWithSoftHsm(title: string, body: () => void): void {
  describe.skipIf(SOFTHSM_MISSING_REASON !== null)(`${title}${SOFTHSM_MISSING_REASON ? ` (skipped: ${SOFTHSM_MISSING_REASON})` : ''}`, body);
}

export interface SoftHsmTokenBed {
  bundle: TokenHostBundle;
  token: SoftHsmToken;
}

export interface SoftHsmClientBed extends SoftHsmTokenBed {
  client: TokenClient;
}

export interface SoftHsmBedOptions {
  label?: string;
}

/**
 * Registers the hooks: the token host is bundled once (beforeAll) and disposed (afterAll); every
 * test gets a fresh token, deleted in afterEach. `bind` receives each test's values before the
 * spec's own beforeEach runs. Vitest runs after-hooks in stack order, so a spec's own afterEach
 * (registered after this call) runs before the token is deleted.
 */
export function useSoftHsmTokens(options: SoftHsmBedOptions, bind: (bed: SoftHsmTokenBed) => void): void {
  let bundle: TokenHostBundle;
  let token: SoftHsmToken | undefined;
  beforeAll(async () => {
    bundle = await bundleTokenHost();
  });
  afterAll(async () => {
    await bundle.dispose();
  });
  beforeEach(async () => {
    token = await createSoftHsmToken(options.label === undefined ? {} : { label: options.label });
    bind({ bundle, token });
  });
  afterEach(async () => {
    await token?.cleanup();
    token = undefined;
  });
}

/**
 * useSoftHsmTokens plus a TokenClient on each test's token, closed in afterEach before the token
 * is deleted. A spec's own afterEach runs first (e.g. to stop a watcher before its client closes).
 */
export function useSoftHsmTokenHost(options: SoftHsmBedOptions, bind: (bed: SoftHsmClientBed) => void): void {
  let tokenBed: SoftHsmTokenBed;
  let client: TokenClient | undefined;
  useSoftHsmTokens(options, (bed) => {
    tokenBed = bed;
  });
  beforeEach(() => {
    client = softHsmClient(tokenBed.bundle, tokenBed.token);
    bind({ ...tokenBed, client });
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
  });
}
