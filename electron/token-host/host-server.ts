/**
 * The token host's request loop: validates every message, runs requests one at a time (PKCS#11
 * modules are not safely re-entrant, and a YubiKey does one thing at a time) and answers each
 * request exactly once with data or a serialized named error.
 */
import { serializeError } from '../../shared/errors';
import { TokenModuleLoadError, TokenProtocolError } from '../../shared/token/errors';
import { TokenHostRequest, type TokenHostResponse } from '../../shared/token/messages';
import type { TokenBackend } from '../../shared/token/token-backend';

export interface HostServerDeps {
  /** Loads a PKCS#11 module (the Pkcs11Backend in production). */
  loadBackend: (modulePath: string) => TokenBackend & { readonly library: string };
  send: (message: TokenHostResponse) => void;
}

/** Wipes any byte arrays in a rejected message: it may carry a PIN. */
function wipeBytes(value: unknown): void {
  if (value instanceof Uint8Array) value.fill(0);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) wipeBytes(v);
}

export class TokenHostServer {
  private backend: (TokenBackend & { readonly library: string }) | null = null;
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly deps: HostServerDeps) {}

  /** Accepts one raw message from the core; never throws. */
  receive(raw: unknown): void {
    const parsed = TokenHostRequest.safeParse(raw);
    if (!parsed.success) {
      const requestId = (raw as { requestId?: unknown } | null)?.requestId;
      wipeBytes(raw);
      if (typeof requestId === 'number' && Number.isInteger(requestId) && requestId >= 0) {
        const error = new TokenProtocolError(`Invalid token-host request: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
        this.deps.send({ type: 'response', requestId, ok: false, error: error.toJSON() });
      }
      return;
    }
    const request = parsed.data as TokenHostRequest;
    this.queue = this.queue.then(async () => {
      try {
        const data = await this.dispatch(request);
        this.deps.send({ type: 'response', requestId: request.requestId, ok: true, data });
      } catch (error) {
        this.deps.send({ type: 'response', requestId: request.requestId, ok: false, error: serializeError(error) });
      }
    });
  }

  /** Waits for queued work, then finalizes the module (on disconnect). */
  async shutdown(): Promise<void> {
    await this.queue;
    await this.closeBackend();
  }

  // Called from inside the queue by `close`, so it must not wait for the queue itself.
  private async closeBackend(): Promise<void> {
    const backend = this.backend;
    this.backend = null;
    await backend?.close();
  }

  private requireBackend(): TokenBackend {
    if (!this.backend) throw new TokenModuleLoadError('No PKCS#11 module is open in the token host.');
    return this.backend;
  }

  private async dispatch(request: TokenHostRequest): Promise<unknown> {
    switch (request.type) {
      case 'open': {
        if (this.backend) await this.backend.close();
        this.backend = this.deps.loadBackend(request.data.modulePath);
        return { library: this.backend.library };
      }
      case 'listTokens':
        return this.requireBackend().listTokens();
      case 'listKeys':
        return this.requireBackend().listKeys(request.data.tokenSerial);
      case 'login':
        return this.requireBackend().login(request.data.tokenSerial, request.data.user, request.data.pin);
      case 'logout':
        await this.requireBackend().logout(request.data.tokenSerial);
        return {};
      case 'generateKey':
        return this.requireBackend().generateKey(request.data);
      case 'sign': {
        const { key, data, pin } = request.data;
        return this.requireBackend().sign(pin ? { key, data, pin } : { key, data });
      }
      case 'readAttestation':
        return this.requireBackend().readAttestation(request.data.tokenSerial, request.data.ckaId);
      case 'close':
        await this.closeBackend();
        return {};
    }
  }
}
