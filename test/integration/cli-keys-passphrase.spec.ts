/** Passphrase sources of `keyrite keys ...` (in-process, with an injected prompt standing in for the TTY). */
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli } from '../../electron/cli/cli';
import { CliUsageError } from '../../electron/cli/cli-io';
import { resolvePassphrase, type KeysIo, type Prompter } from '../../electron/cli/keys-passphrase';
import { scripted } from '../support/scripted-prompt';

let tmp: string;
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'keyrite-cli-pass-'));
});
afterAll(async () => {
  await fsp.rm(tmp, { recursive: true, force: true });
});

function io(env: Record<string, string>, prompt: Prompter | null): KeysIo & { out: () => string; err: () => string } {
  const out: string[] = [];
  const err: string[] = [];
  return { stdout: (t) => out.push(t), stderr: (t) => err.push(t), env, cwd: tmp, homedir: tmp, prompt, out: () => out.join(''), err: () => err.join('') };
}

describe('passphrase sources', () => {
  it('order: --passphrase-file (one trailing newline dropped), then KEYRITE_PASSPHRASE, then the role names, then the prompt', async () => {
    const file = path.join(tmp, 'pass.txt');
    await fsp.writeFile(file, 'from the file \r\n');
    const env = { KEYRITE_PASSPHRASE: 'from keyrite', NOTARY_ROOT_PASSPHRASE: 'from notary', DOCKER_CONTENT_TRUST_ROOT_PASSPHRASE: 'from docker' };
    const request = { purpose: 'the passphrase', envNames: ['KEYRITE_PASSPHRASE'], role: 'root', confirm: false };
    expect(await resolvePassphrase({ ...request, file: 'pass.txt' }, io(env, null))).toEqual({ value: 'from the file ', source: file });
    expect(await resolvePassphrase(request, io(env, null))).toEqual({ value: 'from keyrite', source: '$KEYRITE_PASSPHRASE' });
    expect(await resolvePassphrase(request, io({ ...env, KEYRITE_PASSPHRASE: '' }, null))).toEqual({ value: 'from notary', source: '$NOTARY_ROOT_PASSPHRASE' });
    expect(await resolvePassphrase({ ...request, role: 'targets/releases' }, io({ DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE: 'repo' }, null))).toEqual({ value: 'repo', source: '$DOCKER_CONTENT_TRUST_REPOSITORY_PASSPHRASE' });
    const prompt = scripted(['typed']);
    expect(await resolvePassphrase(request, io({}, prompt))).toEqual({ value: 'typed', source: 'prompt' });
    expect(prompt.questions).toEqual(['Enter the passphrase: ']);
  });

  it('a new passphrase is asked twice; a mismatch or a missing file is a usage error', async () => {
    const request = { purpose: 'a new passphrase', envNames: [], confirm: true };
    const ok = scripted(['long enough pass', 'long enough pass']);
    expect((await resolvePassphrase(request, io({}, ok))).value).toBe('long enough pass');
    expect(ok.questions).toEqual(['Enter a new passphrase: ', 'Repeat a new passphrase: ']);
    await expect(resolvePassphrase(request, io({}, scripted(['one passphrase', 'another one'])))).rejects.toThrow(new CliUsageError('the two passphrases differ; nothing was changed'));
    await expect(resolvePassphrase({ ...request, file: 'missing.txt' }, io({}, null))).rejects.toThrow(`passphrase file ${path.join(tmp, 'missing.txt')} does not exist`);
  });

  it('keys generate through the prompt (confirmed) and a weak passphrase refused with exit 2', async () => {
    const ws = path.join(tmp, 'ws');
    const cli = io({}, scripted(['prompted passphrase', 'prompted passphrase']));
    expect(await runCli(['keys', 'generate', '--algorithm', 'ed25519', '--role', 'root', '--holder', 'security officer', '--workspace', ws], cli)).toBe(0);
    expect(cli.out()).toContain('passphrase from prompt');

    const weak = io({ KEYRITE_PASSPHRASE: 'short' }, null);
    expect(await runCli(['keys', 'generate', '--algorithm', 'ed25519', '--role', 'root', '--workspace', ws], weak)).toBe(2);
    expect(weak.err()).toBe('keyrite: error: passphrase refused: a new passphrase needs at least 8 characters\n');

    const noGun = io({ KEYRITE_PASSPHRASE: 'long enough pass' }, null);
    expect(await runCli(['keys', 'generate', '--algorithm', 'ecdsa-p256', '--role', 'targets', '--workspace', ws], noGun)).toBe(2);
    expect(noGun.err()).toContain('a targets key serves one repository: give --gun GUN');

    const list = io({}, null);
    expect(await runCli(['keys', 'list', '--workspace', ws], list)).toBe(0);
    expect(list.out()).toContain('security officer');
    expect(list.out().split('\n').filter((line) => line.includes('ed25519'))).toHaveLength(1);
  });
});

describe('keys list on a damaged workspace', () => {
  it('a corrupt inventory is exit 2 with the file and the problem, and is left as it was', async () => {
    const ws = path.join(tmp, 'ws-corrupt');
    await fsp.mkdir(path.join(ws, 'keys'), { recursive: true });
    const inventory = path.join(ws, 'keys', 'inventory.json');
    await fsp.writeFile(inventory, '{"format":"keyrite-key-inventory","version":1,"keys":[{"id":"zz"}]}');
    const cli = io({}, null);
    expect(await runCli(['keys', 'list', '--workspace', ws], cli)).toBe(2);
    expect(cli.err()).toMatch(new RegExp(`^keyrite: error: key inventory ${inventory} is unusable: keys\\.0\\.id: `));
    expect(await fsp.readFile(inventory, 'utf8')).toBe('{"format":"keyrite-key-inventory","version":1,"keys":[{"id":"zz"}]}');
  });

  it('an unreadable key file is listed as UNREADABLE with exit 1', async () => {
    const ws = path.join(tmp, 'ws-unreadable');
    await fsp.mkdir(path.join(ws, 'keys'), { recursive: true });
    await fsp.writeFile(path.join(ws, 'keys', 'broken.krkey'), '{"format":"keyrite-encrypted-key"');
    const cli = io({}, null);
    expect(await runCli(['keys', 'list', '--workspace', ws], cli)).toBe(1);
    expect(cli.out()).toContain(`UNREADABLE ${path.join(ws, 'keys', 'broken.krkey')}: `);
  });
});
