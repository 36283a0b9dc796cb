import type { NetworkPolicy } from './network-policy';

export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(
    readonly url: string,
    readonly status: number,
    readonly serverMessage: string | null,
  ) {
    super(`${url} answered HTTP ${status}${serverMessage ? `: ${serverMessage}` : ''}`);
  }
}

export class HttpTimeoutError extends Error {
  override readonly name = 'HttpTimeoutError';
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
  ) {
    super(`${url} did not answer within ${timeoutMs} ms`);
  }
}

export class HttpBodyTooLargeError extends Error {
  override readonly name = 'HttpBodyTooLargeError';
  constructor(
    readonly url: string,
    readonly limit: number,
  ) {
    super(`${url} sent more than the ${limit}-byte limit; refusing it`);
  }
}

export class HttpConnectionError extends Error {
  override readonly name = 'HttpConnectionError';
  constructor(
    readonly url: string,
    options: { cause: unknown },
  ) {
    const cause = options.cause as { cause?: { code?: string; message?: string }; message?: string };
    const detail = cause.cause?.code ?? cause.cause?.message ?? cause.message ?? 'connection failed';
    super(`could not connect to ${url} (${detail})`, options);
  }
}

export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(what = 'operation') {
    super(`${what} cancelled`);
  }
}

export interface FetchOptions {
  maxBytes: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** GET returning the body bytes, or null on 404. Anything else that is not 2xx throws HttpStatusError. */
export interface HttpGetter {
  get(url: string, options: FetchOptions): Promise<Uint8Array | null>;
}

const DEFAULT_TIMEOUT_MS = 20_000;

/**
 * The one HTTP client of the core: every request passes the network policy first, has a timeout,
 * and its body is read in chunks against a byte cap (Content-Length is not trusted).
 */
export class PolicyHttpGetter implements HttpGetter {
  constructor(private readonly policy: NetworkPolicy) {}

  async get(url: string, options: FetchOptions): Promise<Uint8Array | null> {
    const parsed = this.policy.check(url);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await fetch(parsed, { signal, redirect: 'follow', headers: { accept: 'application/json' } });
    } catch (error) {
      throw this.mapAbort(url, timeoutMs, options.signal, timeout) ?? new HttpConnectionError(url, { cause: error });
    }
    try {
      if (response.status === 404) {
        await response.body?.cancel();
        return null;
      }
      if (!response.ok) {
        const text = await readCapped(url, response, 16 * 1024).catch(() => new Uint8Array());
        throw new HttpStatusError(url, response.status, serverMessage(text));
      }
      return await readCapped(url, response, options.maxBytes);
    } catch (error) {
      throw this.mapAbort(url, timeoutMs, options.signal, timeout) ?? error;
    }
  }

  private mapAbort(url: string, timeoutMs: number, caller: AbortSignal | undefined, timeout: AbortSignal): Error | null {
    if (caller?.aborted) return new CancelledError(`request to ${url}`);
    if (timeout.aborted) return new HttpTimeoutError(url, timeoutMs);
    return null;
  }
}

async function readCapped(url: string, response: Response, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new HttpBodyTooLargeError(url, maxBytes);
  }
  return readBodyCapped(url, response, maxBytes);
}

/**
 * Reads a response body in chunks and refuses it (HttpBodyTooLargeError) as soon as it passes
 * `maxBytes`, whatever Content-Length said. Shared by GET and POST (http-post.ts).
 */
export async function readBodyCapped(url: string, response: Response, maxBytes: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Leaving the loop early cancels the stream, so an oversized body is never read to its end.
  const body = response.body as unknown as AsyncIterable<Uint8Array>;
  for await (const value of body) {
    total += value.byteLength;
    if (total > maxBytes) throw new HttpBodyTooLargeError(url, maxBytes);
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/** Notary errors are `{"errors":[{code,message}]}`; show the first message, else a short text body. */
function serverMessage(body: Uint8Array): string | null {
  const text = new TextDecoder().decode(body).trim();
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as { errors?: Array<{ code?: string; message?: string }> };
    const first = parsed.errors?.[0];
    if (first) return [first.code, first.message].filter(Boolean).join(': ');
  } catch {
    // Not JSON: fall through to the plain-text excerpt.
  }
  return text.slice(0, 200);
}
