import http from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CancelledError, HttpBodyTooLargeError, HttpStatusError, HttpTimeoutError, PolicyHttpGetter } from '../../../../electron/core/net/http-fetch';
import { createNetworkPolicy, NetworkRefusedError, UnsupportedUrlError, type NetworkMode } from '../../../../electron/core/net/network-policy';

let server: http.Server;
let base: string;
const open = new Set<http.ServerResponse>();

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/slow') {
      open.add(res); // never answers: the client's timeout must fire
      return;
    }
    if (req.url === '/chunked-big') {
      res.writeHead(200); // no content-length: the cap is enforced while streaming
      for (let i = 0; i < 20; i++) res.write(Buffer.alloc(1024, 0x61));
      res.end();
      return;
    }
    if (req.url === '/forbidden') {
      res.writeHead(403);
      res.end('{"errors":[{"code":"DENIED","message":"requested access to the resource is denied"}]}');
      return;
    }
    res.writeHead(200);
    res.end('{"ok":true}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('PolicyHttpGetter', () => {
  const online = new PolicyHttpGetter(createNetworkPolicy('online'));

  it('returns bytes, enforces the cap while streaming, and maps status errors', async () => {
    expect(new TextDecoder().decode((await online.get(`${base}/x`, { maxBytes: 100 })) ?? new Uint8Array())).toBe('{"ok":true}');
    await expect(online.get(`${base}/chunked-big`, { maxBytes: 10_000 })).rejects.toBeInstanceOf(HttpBodyTooLargeError);
    const error = await online.get(`${base}/forbidden`, { maxBytes: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpStatusError);
    expect((error as Error).message).toContain('HTTP 403: DENIED: requested access to the resource is denied');
  });

  it('times out and cancels', async () => {
    await expect(online.get(`${base}/slow`, { maxBytes: 100, timeoutMs: 150 })).rejects.toBeInstanceOf(HttpTimeoutError);
    const controller = new AbortController();
    const pending = online.get(`${base}/slow`, { maxBytes: 100, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toBeInstanceOf(CancelledError);
  });

  it('follows the live network mode and refuses non-http URLs', async () => {
    let mode: NetworkMode = 'offline';
    const getter = new PolicyHttpGetter(createNetworkPolicy(() => mode));
    await expect(getter.get(`${base}/x`, { maxBytes: 100 })).rejects.toBeInstanceOf(NetworkRefusedError);
    mode = 'online';
    expect(await getter.get(`${base}/x`, { maxBytes: 100 })).not.toBeNull();
    await expect(getter.get('file:///etc/passwd', { maxBytes: 100 })).rejects.toBeInstanceOf(UnsupportedUrlError);
    await expect(getter.get('not a url', { maxBytes: 100 })).rejects.toBeInstanceOf(UnsupportedUrlError);
  });
});
