import { CancelledError, HttpConnectionError, HttpTimeoutError, readBodyCapped } from './http-fetch';
import type { NetworkPolicy } from './network-policy';

export interface PostOptions {
  contentType: string;
  /** Cap on the response body read (error bodies are small; 64 KiB default). */
  maxResponseBytes?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** The status and (capped) body: the caller maps statuses, because each API words its errors differently. */
export interface HttpPostResponse {
  status: number;
  body: Uint8Array;
}

export interface HttpPoster {
  post(url: string, body: Uint8Array, options: PostOptions): Promise<HttpPostResponse>;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RESPONSE = 64 * 1024;

/**
 * POST behind the same network policy as PolicyHttpGetter: air-gapped mode refuses before any
 * socket is opened. No redirects are followed: a redirected POST could hand signed metadata to a
 * host the user never named.
 */
export class PolicyHttpPoster implements HttpPoster {
  constructor(private readonly policy: NetworkPolicy) {}

  async post(url: string, body: Uint8Array, options: PostOptions): Promise<HttpPostResponse> {
    const parsed = this.policy.check(url);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const mapAbort = (): Error | null =>
      options.signal?.aborted ? new CancelledError(`request to ${url}`) : timeout.aborted ? new HttpTimeoutError(url, timeoutMs) : null;
    let response: Response;
    try {
      response = await fetch(parsed, {
        method: 'POST',
        body,
        signal,
        redirect: 'manual',
        headers: { 'content-type': options.contentType, accept: 'application/json' },
      });
    } catch (error) {
      throw mapAbort() ?? new HttpConnectionError(url, { cause: error });
    }
    try {
      return { status: response.status, body: await readBodyCapped(url, response, options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE) };
    } catch (error) {
      throw mapAbort() ?? error;
    }
  }
}
