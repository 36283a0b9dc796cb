/**
 * One forked token-host process and the single request queue in front of it. Exactly one request
 * is in flight at a time; a timeout or a crash fails that request with a named error, and the
 * next request starts a fresh host (re-opening the module), so a crashing or hanging PKCS#11
 * module never takes the caller down.
 */
import { deserializeError } from '../../../shared/errors';
import { FunctionCanceledError, TokenHostCrashedError, TokenHostTimeoutError, TokenProtocolError } from '../../../shared/token/errors';
import {
  TOKEN_HOST_MESSAGES,
  TokenHostResponse,
  type TokenHostMessageType,
  type TokenHostRequestData,
  type TokenHostResponseData,
} from '../../../shared/token/messages';
import { forkHostSpawner, type HostProcess, type HostSpawner, type TokenHostLaunch } from './host-process';

export type { TokenHostLaunch } from './host-process';

export interface HostConnectionOptions {
  /** Fork settings (CLI, tests) or a spawner (the app's utilityProcess). */
  launch: TokenHostLaunch | HostSpawner;
  modulePath: string;
  /** Per request type; default 30 s, `sign` 120 s (a touch may be pending). */
  timeoutMs?: Partial<Record<TokenHostMessageType, number>>;
  /** Called right after a request was handed to the host (UI: "touch your YubiKey"). */
  onRequestSent?: (type: TokenHostMessageType, hostPid: number) => void;
  /** Consecutive crashes after which requests fail fast instead of restarting again. */
  maxConsecutiveCrashes?: number;
}

interface Job {
  type: TokenHostMessageType;
  data: unknown;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  /** Byte arrays to wipe once the message is serialized (PINs). */
  wipe: Uint8Array[];
}

const DEFAULT_TIMEOUT_MS = 30_000;
const SIGN_TIMEOUT_MS = 120_000;

export class HostConnection {
  private readonly spawn: HostSpawner;
  private child: HostProcess | null = null;
  private readonly queue: Job[] = [];
  private inFlight: { job: Job; requestId: number; timer: NodeJS.Timeout } | null = null;
  private nextRequestId = 0;
  private consecutiveCrashes = 0;
  private closed = false;

  constructor(private readonly options: HostConnectionOptions) {
    this.spawn = typeof options.launch === 'function' ? options.launch : forkHostSpawner(options.launch);
  }

  /** PID of the running host, if any (tests kill it to prove crash handling). */
  get hostPid(): number | null {
    return this.child?.pid ?? null;
  }

  request<T extends TokenHostMessageType>(type: T, data: TokenHostRequestData<T>, wipe: Uint8Array[] = []): Promise<TokenHostResponseData<T>> {
    if (this.closed) return Promise.reject(new TokenHostCrashedError('The token client is closed.'));
    return new Promise<TokenHostResponseData<T>>((resolve, reject) => {
      this.queue.push({ type, data, resolve: resolve as (value: unknown) => void, reject, wipe });
      this.pump();
    });
  }

  /**
   * Cancels the request the host is working on (e.g. a signature waiting for a touch). A blocked
   * PKCS#11 call cannot be interrupted, so the host is killed and restarted on the next request;
   * the cancelled request fails with FunctionCanceledError. Returns false when nothing was in flight.
   */
  cancelInFlight(): boolean {
    if (!this.inFlight || !this.child) return false;
    const type = this.inFlight.job.type;
    this.retire(this.child, new FunctionCanceledError(`The ${type} request was cancelled; nothing was produced.`, { type }));
    return true;
  }

  /** Asks the host to finalize the module, then stops it (SIGKILL if it does not exit in time). */
  async close(): Promise<void> {
    if (this.child && !this.closed) {
      await this.request('close', {}).catch((error: unknown) => error);
    }
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new TokenHostCrashedError('The token client was closed.'));
    const child = this.child;
    this.child = null;
    if (!child?.running) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill(), 2_000);
      child.onExit(() => {
        clearTimeout(timer);
        resolve();
      });
      child.disconnect();
    });
  }

  private start(): HostProcess {
    const child = this.spawn();
    child.onMessage((raw) => this.onMessage(child, raw));
    child.onExit((reason) => this.onExit(child, reason));
    this.child = child;
    // Every fresh host first loads the module; login state does not survive a restart.
    this.queue.unshift({
      type: 'open',
      data: { modulePath: this.options.modulePath },
      resolve: () => undefined,
      // Without a module nothing queued can succeed: they all get the load error.
      reject: (error) => {
        for (const job of this.queue.splice(0)) job.reject(error);
      },
      wipe: [],
    });
    return child;
  }

  private pump(): void {
    if (this.inFlight || this.queue.length === 0) return;
    if (this.consecutiveCrashes >= (this.options.maxConsecutiveCrashes ?? 3)) {
      this.consecutiveCrashes = 0; // let a later request try again after reporting this failure
      for (const job of this.queue.splice(0)) job.reject(new TokenHostCrashedError('The token host keeps crashing; check the PKCS#11 module.'));
      return;
    }
    const child = this.child ?? this.start();
    const job = this.queue.shift();
    if (!job) return;
    const requestId = this.nextRequestId++;
    const timeoutMs = this.options.timeoutMs?.[job.type] ?? (job.type === 'sign' ? SIGN_TIMEOUT_MS : DEFAULT_TIMEOUT_MS);
    const timer = setTimeout(() => this.onTimeout(child, requestId), timeoutMs);
    this.inFlight = { job, requestId, timer };
    try {
      child.send({ type: job.type, requestId, data: job.data });
    } finally {
      // Serialization copied the bytes; wipe the caller's PIN buffer now.
      for (const bytes of job.wipe) bytes.fill(0);
    }
    if (child.pid !== undefined) this.options.onRequestSent?.(job.type, child.pid);
  }

  private settle(outcome: { value: unknown } | { error: Error }): void {
    const current = this.inFlight;
    if (!current) return;
    clearTimeout(current.timer);
    this.inFlight = null;
    if ('error' in outcome) current.job.reject(outcome.error);
    else current.job.resolve(outcome.value);
    this.pump();
  }

  private onMessage(child: HostProcess, raw: unknown): void {
    if (child !== this.child || !this.inFlight) return;
    const response = TokenHostResponse.safeParse(raw);
    if (!response.success || response.data.requestId !== this.inFlight.requestId) {
      this.retire(child, new TokenProtocolError('The token host sent an invalid or unexpected message; it was restarted.'));
      return;
    }
    if (!response.data.ok) {
      this.consecutiveCrashes = 0;
      const { name, message, detail } = response.data.error;
      this.settle({ error: deserializeError(detail ? { name, message, detail } : { name, message }) });
      return;
    }
    const data = TOKEN_HOST_MESSAGES[this.inFlight.job.type].res.safeParse(response.data.data);
    if (!data.success) {
      this.retire(child, new TokenProtocolError(`The token host answered ${this.inFlight.job.type} with invalid data; it was restarted.`));
      return;
    }
    this.consecutiveCrashes = 0;
    this.settle({ value: data.data });
  }

  private onExit(child: HostProcess, reason: string): void {
    if (child !== this.child) return;
    this.child = null;
    if (this.closed) return;
    this.consecutiveCrashes++;
    const type = this.inFlight?.job.type ?? 'idle';
    this.settle({ error: new TokenHostCrashedError(`The token host stopped (${reason}) during ${type}; it restarts on the next request.`, { reason }) });
    // A crash while idle leaves queued work waiting for a host.
    this.pump();
  }

  private onTimeout(child: HostProcess, requestId: number): void {
    if (child !== this.child || this.inFlight?.requestId !== requestId) return;
    const type = this.inFlight.job.type;
    this.retire(child, new TokenHostTimeoutError(`The token did not answer ${type} in time; the token host was restarted.`, { type }));
  }

  /** Kills a host we no longer trust and fails its in-flight request with `error`. */
  private retire(child: HostProcess, error: Error): void {
    this.child = null;
    child.kill();
    this.settle({ error });
  }
}
