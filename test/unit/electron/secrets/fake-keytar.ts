import type { KeytarApi } from '../../../../electron/core/secrets/keytar-api';

/** An in-memory keytar with the same contract (service + account → password). */
export class FakeKeytar implements KeytarApi {
  readonly entries = new Map<string, string>();
  calls: string[] = [];
  /** When set, every call rejects with this error (as libsecret would). */
  failWith: Error | null = null;
  /** When true, every call never settles (a hung Secret Service). */
  hang = false;

  private async gate(name: string): Promise<void> {
    this.calls.push(name);
    if (this.hang) await new Promise<never>(() => undefined);
    if (this.failWith) throw this.failWith;
  }

  async getPassword(service: string, account: string): Promise<string | null> {
    await this.gate('getPassword');
    return this.entries.get(`${service}\u0000${account}`) ?? null;
  }
  async setPassword(service: string, account: string, password: string): Promise<void> {
    await this.gate('setPassword');
    this.entries.set(`${service}\u0000${account}`, password);
  }
  async deletePassword(service: string, account: string): Promise<boolean> {
    await this.gate('deletePassword');
    return this.entries.delete(`${service}\u0000${account}`);
  }
  async findCredentials(service: string): Promise<Array<{ account: string; password: string }>> {
    await this.gate('findCredentials');
    return [...this.entries]
      .filter(([key]) => key.startsWith(`${service}\u0000`))
      .map(([key, password]) => ({ account: key.slice(service.length + 1), password }));
  }
}
