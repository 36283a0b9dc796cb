/**
 * A private pcscd for one test file: foreground child, its own reader.conf directory pointing vpcd
 * at the emulator, and its own client socket. pcscd 1.9 ignores PCSCLITE_CSOCK_NAME (only the
 * client library reads it), but it supports systemd socket activation: a tiny /usr/bin/python3
 * launcher binds the Unix socket, passes it as fd 3 with LISTEN_FDS=1/LISTEN_PID, and execs
 * pcscd, so the PID we get is pcscd's own. The system socket /run/pcscd/pcscd.comm is never
 * touched; pcscd still writes /run/pcscd/pcscd.pid (it needs root or a writable /run/pcscd; CI runs
 * as root).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { stopProcess } from '../processes';

export const PCSCD_BINARY = '/usr/sbin/pcscd';
export const VPCD_DRIVER = '/usr/lib/pcsc/drivers/serial/libifdvpcd.so';
export const SYSTEM_PYTHON = '/usr/bin/python3';
/** ykcs11 2.2 only lists readers whose name starts with "Yubico" (hardware.md §1). */
export const READER_NAME = 'Yubico YubiKey Virtual PIV';

const SOCKET_ACTIVATE = `
import os, socket, sys
path = sys.argv[1]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(path)
s.listen(32)
if s.fileno() != 3:
    os.dup2(s.fileno(), 3)
os.set_inheritable(3, True)
os.environ['LISTEN_FDS'] = '1'
os.environ['LISTEN_PID'] = str(os.getpid())
os.execv(sys.argv[2], sys.argv[2:])
`;

export interface PrivatePcscd {
  pid: number;
  /** Value for PCSCLITE_CSOCK_NAME in every client (ykcs11 in the token host, opensc-tool). */
  socketPath: string;
  /** pcscd's own output so far (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

export async function startPrivatePcscd(options: { vpcdPort: number }): Promise<PrivatePcscd> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'keyrite-pcscd-'));
  const confDir = path.join(dir, 'reader.conf.d');
  await mkdir(confDir);
  // Server mode ("/dev/null:<port>"): vpcd listens, the emulator connects (see vpcd-card-connection.ts).
  await writeFile(path.join(confDir, 'vpcd'), `FRIENDLYNAME "${READER_NAME}"\nDEVICENAME /dev/null:${options.vpcdPort}\nLIBPATH ${VPCD_DRIVER}\n`);
  const socketPath = path.join(dir, 'pcscd.comm');
  let output = '';
  const child: ChildProcess = spawn(SYSTEM_PYTHON, ['-c', SOCKET_ACTIVATE, socketPath, PCSCD_BINARY, '--foreground', '--error', '-c', confDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // A real YubiKey on a developer's machine would appear in this pcscd too (USB hotplug) and
    // break the exact token lists; its CCID reader names contain "CCID", ours does not.
    env: { ...process.env, PCSCLITE_FILTER_IGNORE_READER_NAMES: 'CCID' },
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const pid = child.pid;
  if (pid === undefined) throw new Error('pcscd did not start');
  // The socket exists (and queues clients) as soon as the launcher bound it.
  for (let i = 0; i < 200 && !existsSync(socketPath); i++) {
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (!existsSync(socketPath) || child.exitCode !== null) {
    await stopProcess(child);
    await rm(dir, { recursive: true, force: true });
    throw new Error(`pcscd failed to start:\n${output}`);
  }
  return {
    pid,
    socketPath,
    output: () => output,
    stop: async () => {
      await stopProcess(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}
