import { describe, expect, it, vi } from 'vitest';

import { DialogService, UnknownPickError } from '../../../../../electron/main/services/dialog-service';

describe('DialogService', () => {
  it('returns an opaque pickId and keeps the path in main', async () => {
    const showDirectoryDialog = vi.fn(() => Promise.resolve({ canceled: false, filePaths: ['/home/alice/trust'] }));
    const dialogs = new DialogService({ showDirectoryDialog });
    const picked = await dialogs.pickDirectory('Choose a trust dir');
    expect(showDirectoryDialog).toHaveBeenCalledWith({ title: 'Choose a trust dir' });
    expect(picked).toEqual({ pickId: expect.stringMatching(/^[A-Za-z0-9-]{8,64}$/) as string, displayPath: '/home/alice/trust' });
    expect(dialogs.resolve(picked?.pickId ?? '')).toBe('/home/alice/trust');
  });

  it('returns null when the user cancels or picks nothing', async () => {
    const cancelled = new DialogService({ showDirectoryDialog: () => Promise.resolve({ canceled: true, filePaths: ['/x'] }) });
    expect(await cancelled.pickDirectory('t')).toBeNull();
    const empty = new DialogService({ showDirectoryDialog: () => Promise.resolve({ canceled: false, filePaths: [] }) });
    expect(await empty.pickDirectory('t')).toBeNull();
  });

  it('refuses pickIds it never issued with a named error', () => {
    const dialogs = new DialogService({ showDirectoryDialog: () => Promise.resolve({ canceled: true, filePaths: [] }) });
    for (const id of ['00000000-0000-0000-0000-000000000000', '/etc/passwd', '__proto__', 'constructor']) {
      expect(() => dialogs.resolve(id)).toThrow(UnknownPickError);
    }
  });

  it('forgets the oldest picks beyond its limit', async () => {
    let n = 0;
    const dialogs = new DialogService({
      showDirectoryDialog: () => Promise.resolve({ canceled: false, filePaths: [`/dir/${n}`] }),
      newId: () => `pick-000${(n += 1)}`,
      maxPicks: 2,
    });
    await dialogs.pickDirectory('a');
    await dialogs.pickDirectory('b');
    await dialogs.pickDirectory('c');
    expect(() => dialogs.resolve('pick-0001')).toThrow(UnknownPickError);
    expect(dialogs.resolve('pick-0003')).toBe('/dir/2');
  });
});
