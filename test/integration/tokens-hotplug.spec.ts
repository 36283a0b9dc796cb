/**
 * USB hotplug for the token watcher: Yubico attach/detach events trigger an immediate rescan; where
 * USB events are unavailable (loader fails, libusb did not initialise, a usb@3-style module, a
 * throwing emitter) the watcher silently keeps polling: no crash, no unhandled rejection. Also run
 * with the real `usb` package on this machine and against a real SoftHSM2 token.
 */
import { execFile } from 'node:child_process';
import { EventEmitter } from 'node:events';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterEach, describe, expect, it } from 'vitest';

import type { TokenClient } from '../../electron/core/tokens/token-client';
import { TokenWatcher, type HotplugStatus } from '../../electron/core/tokens/token-watcher';
import { rescanOnUsbEvents, UsbHotplugSource, UsbHotplugUnavailableError, YUBICO_VENDOR_ID, type HotplugSource } from '../../electron/core/tokens/usb-hotplug';
import type { TokenInfo } from '../../shared/token/types';
import { describeWithSoftHsm, useSoftHsmTokenHost, type SoftHsmToken } from '../support/softhsm-suite';

const execFileAsync = promisify(execFile);
const repoRoot = path.resolve(__dirname, '../..');

const token = (serial: string): TokenInfo => ({
  serial,
  label: `token ${serial}`,
  model: 'YubiKey YK5',
  manufacturer: 'Yubico',
  firmware: '5.7',
  hardware: '1.0',
  flags: 0x40d,
  pinState: 'ok',
  loginRequired: true,
  protectedAuthPath: false,
});

/** A slot list the test edits, counting scans. */
function fakeSlots(): { listTokens(): Promise<TokenInfo[]>; present: TokenInfo[]; scans: number } {
  const slots = {
    present: [] as TokenInfo[],
    scans: 0,
    listTokens: () => {
      slots.scans++;
      return Promise.resolve([...slots.present]);
    },
  };
  return slots;
}

/** usb@2's shape: `{ usb: EventEmitter & { unrefHotplugEvents() } }`. */
function fakeUsbModule(): { usb: EventEmitter & { unrefHotplugEvents: () => void; unrefCalls: number } } {
  const usb = Object.assign(new EventEmitter(), {
    unrefCalls: 0,
    unrefHotplugEvents() {
      usb.unrefCalls++;
    },
  });
  return { usb };
}

const yubikey = (productId = 0x0407): unknown => ({ deviceDescriptor: { idVendor: YUBICO_VENDOR_ID, idProduct: productId } });

/** Collects unhandled rejections while a test runs (vitest would otherwise report them after the fact). */
function trackUnhandled(): { rejections: unknown[]; dispose(): void } {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown): void => {
    rejections.push(reason);
  };
  process.on('unhandledRejection', onRejection);
  return { rejections, dispose: () => process.off('unhandledRejection', onRejection) };
}

const settle = (ms = 30): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('UsbHotplugSource', () => {
  it('reports only Yubico devices, from attach/detach (libusb) and attachIds/detachIds (Windows) events, and unrefs its handles', async () => {
    const module = fakeUsbModule();
    const events: unknown[] = [];
    const subscription = await new UsbHotplugSource({ load: () => Promise.resolve(module) }).subscribe((e) => events.push(e));
    module.usb.emit('attach', yubikey(0x0407));
    module.usb.emit('attach', { deviceDescriptor: { idVendor: 0x046d, idProduct: 0xc52b } }); // a mouse
    module.usb.emit('detachIds', { idVendor: YUBICO_VENDOR_ID, idProduct: 0x0406 });
    module.usb.emit('detach', { something: 'unexpected' });
    expect(events).toEqual([
      { kind: 'attach', vendorId: YUBICO_VENDOR_ID, productId: 0x0407 },
      { kind: 'detach', vendorId: YUBICO_VENDOR_ID, productId: 0x0406 },
    ]);
    expect(module.usb.unrefCalls).toBe(1);
    subscription.stop();
    expect(module.usb.listenerCount('attach') + module.usb.listenerCount('detach')).toBe(0);
    module.usb.emit('attach', yubikey());
    expect(events).toHaveLength(2);
  });

  it('finds the emitter under `default` too (ESM interop of the dynamic import)', async () => {
    const module = fakeUsbModule();
    const subscription = await new UsbHotplugSource({ load: () => Promise.resolve({ default: module }) }).subscribe(() => undefined);
    expect(module.usb.listenerCount('attach')).toBe(1);
    subscription.stop();
  });

  const failures: Array<[string, () => Promise<unknown>, RegExp]> = [
    ['a loader that rejects (native load failure)', () => Promise.reject(new Error('libusb-1.0.so.0: cannot open shared object file')), /did not load: libusb-1\.0\.so\.0/],
    [
      'a loader that throws synchronously',
      () => {
        throw new Error('boom');
      },
      /did not load: boom/,
    ],
    ['a usb@3-style module (WebUSB API, no emitter)', () => Promise.resolve({ usb: { addEventListener: () => undefined, getDevices: () => Promise.resolve([]) } }), /usb@3 is not supported/],
    ['libusb that failed to initialise (INIT_ERROR)', () => Promise.resolve({ usb: Object.assign(new EventEmitter(), { INIT_ERROR: -99 }) }), /libusb failed to initialise \(error -99\)/],
    [
      'an emitter whose listener registration throws (no /sys/bus/usb)',
      () => {
        const usb = new EventEmitter();
        usb.on('newListener', (event) => {
          if (event === 'attach') throw new Error('LIBUSB_ERROR_NOT_SUPPORTED');
        });
        return Promise.resolve({ usb });
      },
      /could not be enabled: LIBUSB_ERROR_NOT_SUPPORTED/,
    ],
  ];

  for (const [name, load, message] of failures) {
    it(`rejects with UsbHotplugUnavailableError for ${name}`, async () => {
      const error = await new UsbHotplugSource({ load }).subscribe(() => undefined).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UsbHotplugUnavailableError);
      expect((error as Error).message).toMatch(message);
    });
  }
});

describe('TokenWatcher with USB hotplug', () => {
  let watcher: TokenWatcher | null = null;
  afterEach(() => {
    watcher?.stop();
    watcher = null;
  });

  it('rescans at once on a YubiKey attach and once more after the settle delay; ignores other vendors', async () => {
    const slots = fakeSlots();
    const module = fakeUsbModule();
    const seen: TokenInfo[][] = [];
    const statuses: HotplugStatus[] = [];
    // A poll interval far beyond the test: any rescan here is the USB event's.
    watcher = new TokenWatcher(slots, { intervalMs: 600_000, settleMs: 100, hotplug: new UsbHotplugSource({ load: () => Promise.resolve(module) }), onHotplugStatus: (s) => statuses.push(s) });
    watcher.onChange((tokens) => seen.push(tokens));
    watcher.start();
    await expect.poll(() => watcher?.hotplugStatus.kind).toBe('usb-events');
    expect(statuses.map((s) => s.kind)).toEqual(['starting', 'usb-events']);
    expect(slots.scans).toBe(1); // the initial poll

    module.usb.emit('attach', { deviceDescriptor: { idVendor: 0x046d, idProduct: 0xc52b } });
    await settle(150);
    expect(slots.scans).toBe(1);

    slots.present = [token('12345678')];
    module.usb.emit('attach', yubikey());
    await expect.poll(() => seen.at(-1)?.map((t) => t.serial)).toEqual(['12345678']);
    expect(slots.scans).toBe(2); // immediate, not the poll
    await expect.poll(() => slots.scans).toBe(3); // the settle rescan
    expect(seen).toHaveLength(2); // the settle rescan found nothing new: no duplicate event

    slots.present = [];
    module.usb.emit('detach', yubikey());
    await expect.poll(() => seen.at(-1)).toEqual([]);

    watcher.stop();
    expect(watcher.hotplugStatus).toEqual({ kind: 'off' });
    expect(module.usb.listenerCount('attach') + module.usb.listenerCount('detach')).toBe(0);
  });

  it('falls back silently to polling when USB events are unavailable: tokens still appear, no error, no unhandled rejection', async () => {
    const unhandled = trackUnhandled();
    try {
      const slots = fakeSlots();
      const errors: unknown[] = [];
      const failing: HotplugSource = { subscribe: () => Promise.reject(new UsbHotplugUnavailableError('the usb module did not load: no libusb')) };
      watcher = new TokenWatcher(slots, { intervalMs: 20, hotplug: failing, onError: (e) => errors.push(e) });
      const seen: TokenInfo[][] = [];
      watcher.onChange((tokens) => seen.push(tokens));
      watcher.start();
      await expect.poll(() => watcher?.hotplugStatus).toEqual({ kind: 'polling-only', reason: 'the usb module did not load: no libusb' });
      slots.present = [token('87654321')];
      await expect.poll(() => seen.at(-1)?.map((t) => t.serial)).toEqual(['87654321']);
      slots.present = [];
      await expect.poll(() => seen.at(-1)).toEqual([]);
      await settle();
      expect(errors).toEqual([]);
      expect(unhandled.rejections).toEqual([]);
    } finally {
      unhandled.dispose();
    }
  });

  it('survives a hotplug source that throws synchronously, and one whose loader fails inside UsbHotplugSource', async () => {
    const unhandled = trackUnhandled();
    try {
      const throwing: HotplugSource = {
        subscribe: () => {
          throw new Error('sync failure');
        },
      };
      watcher = new TokenWatcher(fakeSlots(), { intervalMs: 20, hotplug: throwing });
      watcher.start();
      await expect.poll(() => watcher?.hotplugStatus).toEqual({ kind: 'polling-only', reason: 'sync failure' });
      watcher.stop();

      const slots = fakeSlots();
      slots.present = [token('1')];
      const seen: TokenInfo[][] = [];
      watcher = new TokenWatcher(slots, { intervalMs: 20, hotplug: new UsbHotplugSource({ load: () => Promise.reject(new Error('ERR_DLOPEN_FAILED')) }) });
      watcher.onChange((tokens) => seen.push(tokens));
      watcher.start();
      await expect.poll(() => watcher?.hotplugStatus.kind).toBe('polling-only');
      expect(seen).toEqual([[token('1')]]);
      await settle();
      expect(unhandled.rejections).toEqual([]);
    } finally {
      unhandled.dispose();
    }
  });

  it('drops a subscription that completes after stop()', async () => {
    const module = fakeUsbModule();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    watcher = new TokenWatcher(fakeSlots(), { intervalMs: 600_000, hotplug: new UsbHotplugSource({ load: () => gate.then(() => module) }) });
    watcher.start();
    watcher.stop();
    release();
    await settle();
    expect(module.usb.listenerCount('attach')).toBe(0);
    expect(watcher.hotplugStatus).toEqual({ kind: 'off' });
  });
});

describe('rescanOnUsbEvents (for poll loops that are not a TokenWatcher)', () => {
  it('calls rescan on Yubico events and reports usb-events; stop() ends it', async () => {
    const module = fakeUsbModule();
    const statuses: HotplugStatus[] = [];
    const rescans: unknown[] = [];
    const handle = rescanOnUsbEvents((e) => rescans.push(e), { source: new UsbHotplugSource({ load: () => Promise.resolve(module) }), onStatus: (s) => statuses.push(s) });
    await expect.poll(() => statuses.at(-1)?.kind).toBe('usb-events');
    module.usb.emit('attach', yubikey(0x0406));
    expect(rescans).toEqual([{ kind: 'attach', vendorId: YUBICO_VENDOR_ID, productId: 0x0406 }]);
    handle.stop();
    module.usb.emit('attach', yubikey());
    expect(rescans).toHaveLength(1);
    expect(module.usb.listenerCount('attach')).toBe(0);
  });

  it('where USB events are unavailable reports polling-only and nothing else: no throw, no unhandled rejection', async () => {
    const unhandled = trackUnhandled();
    try {
      const statuses: HotplugStatus[] = [];
      const errors: unknown[] = [];
      rescanOnUsbEvents(() => undefined, { source: new UsbHotplugSource({ load: () => Promise.reject(new Error('no libusb')) }), onStatus: (s) => statuses.push(s), onError: (e) => errors.push(e) });
      await expect.poll(() => statuses.at(-1)).toEqual({ kind: 'polling-only', reason: 'the usb module did not load: no libusb' });
      const throwingListener = (status: HotplugStatus): void => {
        if (status.kind === 'polling-only') throw new Error('listener bug');
      };
      rescanOnUsbEvents(() => undefined, { source: { subscribe: () => Promise.reject(new Error('x')) }, onStatus: throwingListener, onError: (e) => errors.push(e) });
      await expect.poll(() => errors.length).toBe(1);
      await settle();
      expect(unhandled.rejections).toEqual([]);
    } finally {
      unhandled.dispose();
    }
  });
});

describe('the real usb package on this machine', () => {
  it('loads and subscribes, or reports why not; either way no unhandled rejection, and stop() removes every listener', async () => {
    const unhandled = trackUnhandled();
    try {
      const outcome = await new UsbHotplugSource().subscribe(() => undefined).then(
        (subscription) => ({ subscription }),
        (error: unknown) => ({ error }),
      );
      if ('error' in outcome) {
        // CI containers without libusb/udev: the documented fallback, never another error type.
        expect(outcome.error).toBeInstanceOf(UsbHotplugUnavailableError);
      } else {
        const { usb } = (await import('usb')) as unknown as { usb: EventEmitter };
        expect(usb.listenerCount('attach')).toBeGreaterThan(0);
        outcome.subscription.stop();
        expect(usb.listenerCount('attach') + usb.listenerCount('detach')).toBe(0);
      }
      await settle(100);
      expect(unhandled.rejections).toEqual([]);
    } finally {
      unhandled.dispose();
    }
  });

  it('does not keep a process alive: a script that subscribes and never stops exits by itself', async () => {
    const script = `
      import { UsbHotplugSource } from './electron/core/tokens/usb-hotplug.ts';
      process.on('unhandledRejection', (r) => { console.error('UNHANDLED', r); process.exitCode = 3; });
      new UsbHotplugSource().subscribe(() => {}).then(() => console.log('usb-events'), (e) => console.log('polling-only:', e.name));
    `;
    const { stdout, stderr } = await execFileAsync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repoRoot, timeout: 20_000 });
    expect(stderr).not.toContain('UNHANDLED');
    expect(stdout.trim()).toMatch(/^(usb-events|polling-only: UsbHotplugUnavailableError)$/);
  });
});

describeWithSoftHsm('watcher with the real usb source over SoftHSM2', () => {
  let hsm: SoftHsmToken;
  let client: TokenClient;
  let watcher: TokenWatcher;
  useSoftHsmTokenHost({ label: 'hotplug' }, (bed) => ({ token: hsm, client } = bed));
  // Registered after the token host hooks, so it runs before the client is closed.
  afterEach(() => {
    watcher.stop();
  });

  it('finds the token and its removal by polling, whatever the USB status, without errors or unhandled rejections', async () => {
    const unhandled = trackUnhandled();
    try {
      const seen: TokenInfo[][] = [];
      const errors: unknown[] = [];
      watcher = new TokenWatcher(client, { intervalMs: 50, hotplug: new UsbHotplugSource(), onError: (e) => errors.push(e) });
      watcher.onChange((tokens) => seen.push(tokens));
      watcher.start();
      await expect.poll(() => seen.at(-1)?.map((t) => t.serial), { timeout: 10_000 }).toEqual([hsm.serial]);
      expect(['usb-events', 'polling-only']).toContain(watcher.hotplugStatus.kind);
      await hsm.removeToken();
      await expect.poll(() => seen.at(-1)?.length, { timeout: 5_000 }).toBe(0);
      expect(errors).toEqual([]);
      expect(unhandled.rejections).toEqual([]);
    } finally {
      unhandled.dispose();
    }
  });
});
