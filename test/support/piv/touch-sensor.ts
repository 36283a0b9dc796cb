/**
 * The YubiKey's touch sensor for touch-policy "always" keys: a signature waits until the test
 * touches it, or fails after `timeoutMs` like a real key (~15 s) whose user never touched it.
 */
export class TouchSensor {
  timeoutMs = 15_000;
  private waiter: ((touched: boolean) => void) | null = null;
  private pendingListeners: (() => void)[] = [];

  /** True while a signature waits for the touch. */
  get pending(): boolean {
    return this.waiter !== null;
  }

  /** Resolves when the card starts waiting for a touch. */
  whenPending(): Promise<void> {
    return this.waiter ? Promise.resolve() : new Promise((resolve) => this.pendingListeners.push(resolve));
  }

  /** The user touches the key: the waiting signature goes ahead. */
  touch(): void {
    this.waiter?.(true);
  }

  /** Called by the card: resolves true when touched, false on timeout. */
  wait(): Promise<boolean> {
    return new Promise((resolve) => {
      const finish = (touched: boolean): void => {
        clearTimeout(timer);
        this.waiter = null;
        resolve(touched);
      };
      const timer = setTimeout(() => finish(false), this.timeoutMs);
      this.waiter = finish;
      for (const listener of this.pendingListeners.splice(0)) listener();
    });
  }
}
