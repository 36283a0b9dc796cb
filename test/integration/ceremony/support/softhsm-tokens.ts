/**
 * Several SoftHSM2 tokens behind ONE SOFTHSM2_CONF (one token host sees them all, as a keyholder's
 * workstation with several YubiKeys plugged one after another). test/support/softhsm.ts makes one
 * token per config; ceremonies need m-of-n tokens in the same session.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { SOFTHSM2_MODULE } from '../../../support/softhsm';

const execFileAsync = promisify(execFile);

export interface TokenSet {
  conf: string;
  env: NodeJS.ProcessEnv;
  pin: string;
  /** Serial per label, in creation order. */
  serials: string[];
  modulePath: string;
  /** KEYRITE_PIN_<SERIAL> for every token: a ceremony uses KEYRITE_PIN for one token per run only. */
  pinEnv: Record<string, string>;
  cleanup(): Promise<void>;
}

export async function createTokenSet(labels: readonly string[], pin = '246810'): Promise<TokenSet> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-ceremony-hsm-'));
  const tokenDir = path.join(dir, 'tokens');
  await mkdir(tokenDir);
  const conf = path.join(dir, 'softhsm2.conf');
  await writeFile(conf, `directories.tokendir = ${tokenDir}\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`);
  const env = { ...process.env, SOFTHSM2_CONF: conf };
  for (const label of labels) {
    await execFileAsync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', '13579135'], { env });
  }
  const { stdout } = await execFileAsync('softhsm2-util', ['--show-slots'], { env });
  const serials = labels.map((label) => {
    const block = stdout.split(/\nSlot /).find((b) => b.includes(`Label:            ${label}\n`) || b.includes(`Label:            ${label} `));
    const serial = block ? /Serial number:\s+([0-9a-f]+)/.exec(block)?.[1] : undefined;
    if (!serial) throw new Error(`cannot read the serial of SoftHSM token "${label}" from:\n${stdout}`);
    return serial;
  });
  const pinEnv = Object.fromEntries(serials.map((serial) => [`KEYRITE_PIN_${serial}`, pin]));
  return { conf, env, pin, serials, modulePath: SOFTHSM2_MODULE, pinEnv, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
