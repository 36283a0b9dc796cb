import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { CustodyService, type TokenOperations } from '../../../electron/core/custody';
import { InventoryStore } from '../../../electron/core/inventory';
import { KeyStore } from '../../../electron/core/keys';
import { UsbHotplugSource, UsbHotplugUnavailableError, YUBICO_VENDOR_ID, type HotplugSource, type HotplugStatus, type UsbDeviceEvent } from '../../../electron/core/tokens/usb-hotplug';
import type { TokenListSnapshot } from '../../../shared/ipc/custody';
import type { TokenInfo } from '../../../shared/token/types';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await wait(5);
  }
}

function token(serial: string): TokenInfo {
  return { serial, label: `yk-${serial}`, model: 'YubiKey YK5', manufacturer: 'Yubico', firmware: '5.4.3', hardware: '1.0', flags: 0x40c, pinState: 'ok', loginRequired: true, protectedAuthPath: false };
}

/** Counts scans; the test changes `tokens` as if a key were plugged in. */
class FakeTokens implements TokenOperations {
  tokens: TokenInfo[] = [];
  scans = 0;
  closed = 0;
  listTokens = () => {
    this.scans += 1;
    return Promise.resolve(this.tokens);
  };
  listKeys = () => Promise.resolve([]);
  login = () => Promise.resolve({ pinState: 'ok' as const });
  logout = () => Promise.resolve();
  generateKey = () => Promise.reject(new Error('not used'));
  cancel = () => false;
  close = () => {
    this.closed += 1;
    return Promise.resolve();
  };
}

/** A hotplug source the test drives: `emit` is a USB event; `stops` counts unsubscribes. */
class FakeHotplug implements HotplugSource {
  listener: ((e: UsbDeviceEvent) => void) | null = null;
  stops = 0;
  subscribe(listener: (e: UsbDeviceEvent) => void) {
    this.listener = listener;
    return Promise.resolve({ stop: () => (this.stops += 1) });
  }
  emit(kind: 'attach' | 'detach') {
    this.listener?.({ kind, vendorId: YUBICO_VENDOR_ID, productId: 0x0407 });
  }
}

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-custody-hotplug-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

function custodyWith(tokens: FakeTokens, hotplug: HotplugSource | undefined) {
  const keysDir = path.join(dir, 'keys');
  const snapshots: TokenListSnapshot[] = [];
  const statuses: HotplugStatus[] = [];
  const errors: string[] = [];
  const custody = new CustodyService({
    client: tokens,
    modulePath: '/usr/lib/x86_64-linux-gnu/libykcs11.so',
    keyStore: new KeyStore(keysDir),
    inventory: new InventoryStore(keysDir),
    onTokensChanged: (s) => snapshots.push(s),
    onError: (message) => errors.push(message),
    // Polling so slow that any scan within the test came from USB events.
    pollIntervalMs: 60_000,
    hotplugSettleMs: 40,
    ...(hotplug ? { hotplug } : {}),
    onHotplugStatus: (s) => statuses.push(s),
  });
  return { custody, snapshots, statuses, errors };
}

describe('CustodyService live token list with USB hotplug', () => {
  it('rescans at once on a Yubico attach and detach (plus one settle rescan), and pushes the new list', async () => {
    const tokens = new FakeTokens();
    const hotplug = new FakeHotplug();
    const { custody, snapshots, statuses } = custodyWith(tokens, hotplug);
    custody.start();
    await waitFor(() => statuses.length === 2 && tokens.scans === 1);
    expect(statuses.map((s) => s.kind)).toEqual(['starting', 'usb-events']);
    expect(tokens.scans).toBe(1); // the first poll
    tokens.tokens = [token('111')];
    hotplug.emit('attach');
    await wait(5);
    expect(tokens.scans).toBe(2); // immediate, long before the next poll (60 s)
    expect(snapshots.at(-1)?.tokens.map((t) => t.serial)).toEqual(['111']);
    await waitFor(() => tokens.scans === 3); // the settle rescan: pcscd/CCID may have been late
    await wait(60);
    expect(tokens.scans).toBe(3); // one settle rescan only
    tokens.tokens = [];
    hotplug.emit('detach');
    await wait(5);
    expect(snapshots.at(-1)?.tokens).toEqual([]);
    await custody.close();
  });

  it('stops listening on close: no rescans after it, the subscription and pending settle timers are gone', async () => {
    const tokens = new FakeTokens();
    const hotplug = new FakeHotplug();
    const { custody } = custodyWith(tokens, hotplug);
    custody.start();
    await wait(10);
    hotplug.emit('attach');
    await wait(5);
    const scans = tokens.scans;
    await custody.close();
    expect(hotplug.stops).toBe(1);
    expect(tokens.closed).toBe(1);
    hotplug.emit('attach');
    await wait(60); // past the settle delay of the event before close
    expect(tokens.scans).toBe(scans);
  });

  it('falls back to polling where USB is unavailable: a rejecting source, or the real UsbHotplugSource with a failing loader — no crash, no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      const rejecting: HotplugSource = { subscribe: () => Promise.reject(new UsbHotplugUnavailableError('no /sys/bus/usb in this container')) };
      const failingLoad = new UsbHotplugSource({ load: () => Promise.reject(new Error('libusb: cannot open')) });
      for (const source of [rejecting, failingLoad]) {
        const tokens = new FakeTokens();
        tokens.tokens = [token('222')];
        const keysDir = path.join(dir, 'keys');
        const statuses: HotplugStatus[] = [];
        const custody = new CustodyService({
          client: tokens,
          modulePath: '/m.so',
          keyStore: new KeyStore(keysDir),
          inventory: new InventoryStore(keysDir),
          pollIntervalMs: 20,
          hotplug: source,
          onHotplugStatus: (s) => statuses.push(s),
        });
        custody.start();
        await waitFor(() => statuses.at(-1)?.kind === 'polling-only' && tokens.scans >= 2);
        expect(statuses.at(-1)?.kind).toBe('polling-only');
        expect(tokens.scans).toBeGreaterThanOrEqual(2); // polling keeps the list live
        expect((await custody.listTokens()).tokens.map((t) => t.serial)).toEqual(['222']);
        await custody.close();
      }
      await wait(10);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('without a hotplug source (tests, harness) it polls only and never loads usb', async () => {
    const tokens = new FakeTokens();
    const { custody, statuses } = custodyWith(tokens, undefined);
    custody.start();
    await wait(10);
    expect(statuses).toEqual([]);
    expect(tokens.scans).toBe(1);
    await custody.close();
  });
});
