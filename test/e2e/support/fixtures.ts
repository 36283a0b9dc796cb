import { test as base } from '@playwright/test';

import { type Harness, startHarness } from './harness';

export interface KeyriteFixtures {
  /** Network mode main reports in its snapshot (default: air-gapped). */
  networkMode: 'offline' | 'online';
  keyrite: Harness;
}

export const test = base.extend<KeyriteFixtures>({
  networkMode: ['offline', { option: true }],
  keyrite: async ({ page, networkMode }, use) => {
    const harness = await startHarness(page, { networkMode });
    await use(harness);
    await harness.close();
  },
});

export { expect } from '@playwright/test';
