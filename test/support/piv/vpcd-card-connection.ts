/**
 * The vpcd side of the emulated card. vpcd (vsmartcard's pcscd driver) frames everything as a
 * 2-byte big-endian length plus payload; a 1-byte payload is a control code (0 power off, 1 power
 * on, 2 reset, 4 "send the ATR"), anything longer an APDU answered by the R-APDU.
 *
 * vpcd runs in server mode (reader.conf `DEVICENAME /dev/null:<port>`) and the emulator connects
 * to it on 127.0.0.1. vpcd 0.8 (Debian 12) binds that port, and port+1 for a second, empty slot,
 * on all interfaces; it has no bind-address option. Its client mode (`DEVICENAME host:port`) would
 * avoid that, but crashes pcscd ("bit out of range ... fd_set": FD_SET(-1) in waitforclient)
 * the first time the card goes away, so removal could not be tested with it.
 * "Unplugging" closes our connection: vpcd reports no card until we connect again.
 *
 * The connection itself is held by a small /usr/bin/python3 relay that copies bytes between vpcd and
 * our stdio. vpcd 0.8 writes each frame as two send() calls (length, then payload) with Nagle on,
 * so the payload waits for our ACK of the length, and Linux delays that ACK by ~40 ms: every APDU
 * would cost ~45 ms. The relay sets TCP_QUICKACK before each read, which Node cannot do.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

import { SYSTEM_PYTHON } from './pcscd';

import type { PivCard } from './piv-card';

/** YubiKey 5 ATR as libykpiv 2.2 recognises it (model "YK5"). */
export const YUBIKEY5_ATR = Buffer.from('3bf81300008131fe1501597562694b6579c1', 'hex');

const CTRL_OFF = 0;
const CTRL_ON = 1;
const CTRL_RESET = 2;
const CTRL_ATR = 4;

export type ApduPredicate = (apdu: Buffer) => boolean;

const RELAY = `
import os, select, socket, sys, time
port = int(sys.argv[1]); deadline = time.time() + float(sys.argv[2])
while True:
    try:
        s = socket.create_connection(('127.0.0.1', port)); break
    except OSError:
        if time.time() > deadline: sys.exit(3)
        time.sleep(0.05)
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
os.write(1, b'\\x00\\x00')  # a zero-length frame: "connected"
while True:
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
    ready, _, _ = select.select([s, 0], [], [])
    if s in ready:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_QUICKACK, 1)
        data = s.recv(65536)
        if not data: sys.exit(0)
        os.write(1, data)
    if 0 in ready:
        data = os.read(0, 65536)
        if not data: sys.exit(0)
        s.sendall(data)
`;

async function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

/** A port P with P and P+1 free (vpcd listens on both). */
export async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 40000);
    if ((await portFree(port)) && (await portFree(port + 1))) return port;
  }
  throw new Error('no two consecutive free ports for vpcd');
}

/** One plugged-in session: the relay process holding vpcd's connection. */
interface Link {
  relay: ChildProcess;
  pid: number;
}

export class VpcdCardConnection {
  private link: Link | null = null;
  private removed = true;
  private removeWhen: ApduPredicate | null = null;
  private atrWaiters: (() => void)[] = [];
  private poweredOn = false;
  /** How many APDUs the card answered (tests use it to see traffic happened). */
  apduCount = 0;

  constructor(
    private readonly card: PivCard,
    readonly port: number,
  ) {}

  get present(): boolean {
    return !this.removed;
  }

  /** PID of the relay holding the card's connection (null while unplugged). */
  get relayPid(): number | null {
    return this.link?.pid ?? null;
  }

  /** "Plug in": connect to vpcd (retrying while pcscd starts) and wait until pcscd powered the card and read its ATR. */
  async insert(timeoutMs = 15_000): Promise<void> {
    this.remove();
    this.card.reset();
    this.removed = false;
    this.poweredOn = false;
    const atr = this.waitForAtr(timeoutMs);
    try {
      await this.connect(timeoutMs);
    } catch (error) {
      atr.catch(() => undefined);
      this.remove();
      throw error;
    }
    await atr;
    // pcscd publishes the reader state to clients just after that ATR read returns.
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  /** "Unplug": end the relay (by PID); vpcd sees the connection close and reports no card until insert(). */
  remove(): void {
    this.removed = true;
    this.removeWhen = null;
    const link = this.link;
    this.link = null;
    if (link && link.relay.exitCode === null && link.relay.signalCode === null) process.kill(link.pid, 'SIGKILL');
  }

  /** Unplugs the card the moment an APDU matching `predicate` arrives, without answering it. */
  removeOnApdu(predicate: ApduPredicate): void {
    this.removeWhen = predicate;
  }

  /** Unplugs and waits until the relay process is gone. */
  async close(): Promise<void> {
    const relay = this.link?.relay;
    const exited = relay && relay.exitCode === null && relay.signalCode === null ? new Promise<void>((resolve) => relay.once('exit', () => resolve())) : null;
    this.remove();
    await exited;
  }

  private waitForAtr(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('pcscd/vpcd never asked the emulated card for its ATR')), timeoutMs);
      this.atrWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private connect(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const relay = spawn(SYSTEM_PYTHON, ['-c', RELAY, String(this.port), String(timeoutMs / 1000)], { stdio: ['pipe', 'pipe', 'pipe'] });
      if (relay.pid === undefined) {
        reject(new Error('the vpcd relay did not start'));
        return;
      }
      const link: Link = { relay, pid: relay.pid };
      this.link = link;
      let stderr = '';
      relay.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      // The relay dies with its connection (SIGKILL on unplug, or pcscd went away): not a failure here.
      relay.stdin?.on('error', () => undefined);
      relay.once('exit', (code) => {
        if (this.link === link) this.link = null;
        reject(new Error(`cannot reach vpcd on 127.0.0.1:${this.port} (relay exit ${code ?? 'signal'}) ${stderr}`));
      });
      let buffered = Buffer.alloc(0);
      let chain = Promise.resolve();
      relay.stdout?.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2) {
          const length = buffered.readUInt16BE(0);
          if (buffered.length < 2 + length) break;
          const frame = Buffer.from(buffered.subarray(2, 2 + length));
          buffered = buffered.subarray(2 + length);
          if (length === 0) {
            resolve(); // the relay's "connected" marker
            continue;
          }
          // A frame that fails must not stall the ones after it (vpcd would wait forever).
          chain = chain.then(() => this.onFrame(link, frame)).catch(() => this.remove());
        }
      });
    });
  }

  private async onFrame(link: Link, frame: Buffer): Promise<void> {
    if (link !== this.link) return;
    if (frame.length === 1) {
      const code = frame[0];
      if (code === CTRL_ATR) {
        this.send(link, YUBIKEY5_ATR);
        // pcscd reads the ATR once more right after powering the card: then the card is usable.
        if (this.poweredOn) for (const waiter of this.atrWaiters.splice(0)) waiter();
      } else if (code === CTRL_ON || code === CTRL_OFF || code === CTRL_RESET) {
        this.poweredOn = code !== CTRL_OFF;
        this.card.reset();
      }
      return;
    }
    if (this.removeWhen?.(frame)) {
      this.remove();
      return;
    }
    const response = await this.card.transmit(frame);
    this.apduCount++;
    if (link === this.link) this.send(link, response);
  }

  private send(link: Link, payload: Buffer): void {
    const header = Buffer.alloc(2);
    header.writeUInt16BE(payload.length);
    link.relay.stdin?.write(Buffer.concat([header, payload]));
  }
}
