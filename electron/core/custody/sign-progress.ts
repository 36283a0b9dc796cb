/**
 * Turns a token client's signature events into the GUI's touch prompt (`tokens:onProgress`):
 * `working` when a signature is asked for, `touch` once the module has blocked in C_Sign for a
 * moment (a YubiKey with a touch policy waits there; a quick token never flashes the prompt),
 * then `done`, `failed` or `cancelled`. Covers every holder of the shared client, ceremonies too.
 */
import type { TokenProgress } from '../../../shared/ipc/custody';
import type { TokenSignEvent } from '../tokens/token-client';

/** How long C_Sign may take before the GUI asks for a touch (a SoftHSM or untouched-policy signature takes far less). */
export const TOUCH_PROMPT_DELAY_MS = 400;

export class SignProgress {
  /** Touch timers of the signatures under way, per token serial (the host runs one at a time). */
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly emit: (progress: TokenProgress) => void,
    private readonly touchDelayMs = TOUCH_PROMPT_DELAY_MS,
  ) {}

  readonly handle = (event: TokenSignEvent): void => {
    const tokenSerial = event.tokenSerial;
    if (event.phase === 'started') {
      this.emit({ operation: 'sign', phase: 'working', tokenSerial, message: `Signing with token ${tokenSerial}…` });
      return;
    }
    if (event.phase === 'sent') {
      this.clear(tokenSerial);
      const timer = setTimeout(() => {
        this.timers.delete(tokenSerial);
        this.emit({ operation: 'sign', phase: 'touch', tokenSerial, message: 'Touch your YubiKey to sign (if it blinks). You can cancel the wait.' });
      }, this.touchDelayMs);
      timer.unref();
      this.timers.set(tokenSerial, timer);
      return;
    }
    this.clear(tokenSerial);
    const error = event.error;
    if (error === null) this.emit({ operation: 'sign', phase: 'done', tokenSerial, message: `Token ${tokenSerial} signed; the signature was verified.` });
    else if (error.name === 'FunctionCanceledError') this.emit({ operation: 'sign', phase: 'cancelled', tokenSerial, message: 'The signature was cancelled; nothing was produced.' });
    else this.emit({ operation: 'sign', phase: 'failed', tokenSerial, message: error.message });
  };

  stop(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private clear(tokenSerial: string): void {
    const timer = this.timers.get(tokenSerial);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(tokenSerial);
  }
}
