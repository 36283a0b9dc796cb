import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { AtomicWriteError, FileTooLargeError, NotAFileError, readFileCapped, readJsonCapped, writeFileAtomic } from '../../../../electron/core/fs/atomic-write';

let dir: string;
beforeEach(async () => {
  dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-atomic-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fsp.rm(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('creates and replaces a file with mode 0600 and leaves no temp file', async () => {
    const file = path.join(dir, 'state.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, new TextEncoder().encode('two'));
    expect(await fsp.readFile(file, 'utf8')).toBe('two');
    expect(await fsp.readdir(dir)).toEqual(['state.json']);
    if (process.platform !== 'win32') expect((await fsp.stat(file)).mode & 0o777).toBe(0o600);
  });

  it('keeps the old file intact and removes the temp file when the rename fails', async () => {
    const file = path.join(dir, 'state.json');
    await writeFileAtomic(file, 'old content');
    vi.spyOn(fsp, 'rename').mockRejectedValueOnce(Object.assign(new Error('EIO: simulated'), { code: 'EIO' }));
    await expect(writeFileAtomic(file, 'new content')).rejects.toBeInstanceOf(AtomicWriteError);
    expect(await fsp.readFile(file, 'utf8')).toBe('old content');
    expect(await fsp.readdir(dir)).toEqual(['state.json']);
  });

  it('fails without touching anything when the directory is missing', async () => {
    await expect(writeFileAtomic(path.join(dir, 'missing', 'x.json'), 'x')).rejects.toThrow(/could not write/);
    expect(await fsp.readdir(dir)).toEqual([]);
  });

  it('fails on a read-only directory and keeps the old file', async () => {
    if (process.platform === 'win32' || process.getuid?.() === 0) return; // root ignores directory permissions
    const file = path.join(dir, 'state.json');
    await writeFileAtomic(file, 'old');
    await fsp.chmod(dir, 0o500);
    try {
      await expect(writeFileAtomic(file, 'new')).rejects.toBeInstanceOf(AtomicWriteError);
    } finally {
      await fsp.chmod(dir, 0o700);
    }
    expect(await fsp.readFile(file, 'utf8')).toBe('old');
  });
});

describe('readFileCapped', () => {
  it('returns the bytes, null when absent, and refuses files over the cap before reading', async () => {
    const file = path.join(dir, 'a.json');
    await fsp.writeFile(file, '{"a":1}');
    expect(new TextDecoder().decode((await readFileCapped(file, 100)) ?? new Uint8Array())).toBe('{"a":1}');
    expect(await readFileCapped(path.join(dir, 'nope'), 100)).toBeNull();
    await expect(readFileCapped(file, 3)).rejects.toBeInstanceOf(FileTooLargeError);
    await expect(readFileCapped(dir, 100)).rejects.toBeInstanceOf(NotAFileError);
    expect(await readJsonCapped(file, 100)).toEqual({ a: 1 });
  });
});
