/**
 * Real gnome-keyring in tests: whether it can run here, and the leftover check (every daemon a
 * test starts under `dbus-run-session` carries that test's unique HOME; it is found in /proc
 * afterwards and killed by PID if it stayed).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

function onPath(command: string): boolean {
  return (process.env['PATH'] ?? '').split(path.delimiter).some((dir) => dir !== '' && existsSync(path.join(dir, command)));
}

/** Why gnome-keyring tests cannot run here, or null. */
export function keyringMissingReason(): string | null {
  if (process.platform !== 'linux') return 'gnome-keyring tests run on Linux only';
  for (const command of ['dbus-run-session', 'gnome-keyring-daemon']) {
    if (!onPath(command)) return `${command} not found (apt-get install dbus-bin dbus-daemon gnome-keyring)`;
  }
  try {
    createRequire(import.meta.url)('keytar');
  } catch (error) {
    return `keytar does not load (${error instanceof Error ? error.message : String(error)}; needs libsecret-1-dev at npm ci)`;
  }
  return null;
}

function processesWithHome(home: string): Array<{ pid: number; command: string }> {
  const marker = `\0HOME=${home}\0`;
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const environ = `\0${readFileSync(`/proc/${entry}/environ`, 'latin1')}`;
      if (!environ.includes(marker)) continue;
      if (/^State:\s+Z/m.test(readFileSync(`/proc/${entry}/status`, 'latin1'))) continue;
      found.push({ pid: Number(entry), command: readFileSync(`/proc/${entry}/cmdline`, 'latin1').replaceAll('\0', ' ').trim() });
    } catch (error) {
      // Exited between readdir and read, or not ours to read: neither can be a leftover of ours.
      if (!['ENOENT', 'ESRCH', 'EACCES', 'EPERM'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
    }
  }
  return found;
}

/** Waits for every process with this HOME to exit; kills (by PID) and returns any that stayed. */
export async function keyringLeftovers(home: string): Promise<string[]> {
  const deadline = Date.now() + 5000;
  let alive = processesWithHome(home);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    alive = processesWithHome(home);
  }
  for (const { pid } of alive) process.kill(pid, 'SIGKILL');
  return alive.map((p) => `${p.pid} ${p.command}`);
}
