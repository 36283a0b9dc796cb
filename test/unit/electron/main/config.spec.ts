import { describe, expect, it } from 'vitest';

import { networkModeFrom, unpackedPath } from '../../../../electron/main/config';

describe('main config', () => {
  it('is offline unless KEYRITE_NETWORK=online is set exactly', () => {
    expect(networkModeFrom({})).toBe('offline');
    expect(networkModeFrom({ KEYRITE_NETWORK: 'ONLINE' })).toBe('offline');
    expect(networkModeFrom({ KEYRITE_NETWORK: '1' })).toBe('offline');
    expect(networkModeFrom({ KEYRITE_NETWORK: 'online' })).toBe('online');
  });

  it('points at the unpacked worker when packaged', () => {
    expect(unpackedPath('/opt/Keyrite/resources/app.asar/dist/workers/inspect-worker.cjs', '/')).toBe(
      '/opt/Keyrite/resources/app.asar.unpacked/dist/workers/inspect-worker.cjs',
    );
    expect(unpackedPath('/work/main/dist/workers/inspect-worker.cjs', '/')).toBe('/work/main/dist/workers/inspect-worker.cjs');
  });
});
