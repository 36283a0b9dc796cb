/** The polling token watcher against SoftHSM2: a token that disappears is reported once, live. */
import { afterEach, expect, it } from 'vitest';

import type { TokenClient } from '../../electron/core/tokens/token-client';
import { TokenWatcher } from '../../electron/core/tokens/token-watcher';
import type { TokenInfo } from '../../shared/token/types';
import { describeWithSoftHsm, pinBytes, useSoftHsmTokenHost, type SoftHsmToken } from '../support/softhsm-suite';

describeWithSoftHsm('token watcher', () => {
  let token: SoftHsmToken;
  let client: TokenClient;
  let watcher: TokenWatcher;
  useSoftHsmTokenHost({}, (bed) => ({ token, client } = bed));
  // Registered after the token host hooks, so it runs before the client is closed.
  afterEach(() => {
    watcher.stop();
  });

  it('reports the token, its PIN-state change and its removal, each once', async () => {
    const seen: TokenInfo[][] = [];
    const errors: unknown[] = [];
    watcher = new TokenWatcher(client, { intervalMs: 50, onError: (e) => errors.push(e) });
    watcher.onChange((tokens) => seen.push(tokens));
    watcher.start();
    // The first scan starts the token host and loads the module: seconds on a loaded 2-core CI machine.
    await expect.poll(() => seen.length, { timeout: 10_000 }).toBe(1);
    expect(seen[0]?.map((t) => [t.serial, t.pinState])).toEqual([[token.serial, 'ok']]);

    await client.login(token.serial, pinBytes('000000')).catch((e: unknown) => e);
    await watcher.rescan(); // what a USB event would trigger
    expect(seen.at(-1)?.map((t) => t.pinState)).toEqual(['count-low']);

    await token.removeToken();
    await expect.poll(() => seen.at(-1)?.length, { timeout: 5_000 }).toBe(0);
    const count = seen.length;
    await new Promise((r) => setTimeout(r, 200)); // several more polls: no repeated events
    expect(seen).toHaveLength(count);
    expect(errors).toEqual([]);
  });

  it('routes scan failures to onError instead of rejecting', async () => {
    const errors: unknown[] = [];
    watcher = new TokenWatcher({ listTokens: () => Promise.reject(new Error('module crashed')) }, { onError: (e) => errors.push(e) });
    await watcher.rescan();
    expect(errors).toHaveLength(1);
  });
});
