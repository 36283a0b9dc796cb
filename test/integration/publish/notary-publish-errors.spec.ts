import http from 'node:http';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { PolicyHttpPoster } from '../../../electron/core/net/http-post';
import { createNetworkPolicy } from '../../../electron/core/net/network-policy';
import {
  NotaryBadRequestError,
  NotaryEndpointNotFoundError,
  NotaryOldVersionError,
  NotaryRedirectError,
  NotaryServerFailureError,
  NotaryUnauthorizedError,
  NotaryUpdateRejectedError,
  publishNotary,
  PublishInputError,
} from '../../../electron/core/remote';

const GUN = 'example.com/acme/app';
const TARGETS = Buffer.from('{"signed":{"_type":"Targets","version":2},"signatures":[{"keyid":"ab","method":"ecdsa","sig":"AA=="}]}');

/** A stand-in server that records the request and answers with the scripted status and body. */
describe('notary publish: request format and server error mapping', () => {
  let server: http.Server;
  let url: string;
  let answer: { status: number; body: string } = { status: 200, body: '' };
  const seen: Array<{ method: string; url: string; contentType: string; body: string }> = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', contentType: req.headers['content-type'] ?? '', body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(answer.body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const poster = new PolicyHttpPoster(createNetworkPolicy('online'));
  const publish = (files: Record<string, Uint8Array> = { targets: TARGETS }) => publishNotary(files, { url, gun: GUN }, { poster });

  it('sends one multipart POST to /v2/<gun>/_trust/tuf/ with a files part per role, as notary does; timestamp is never sent', async () => {
    answer = { status: 200, body: '' };
    seen.length = 0;
    const result = await publish({ 'targets/releases': TARGETS, timestamp: TARGETS, targets: TARGETS });
    expect(result).toEqual({ posted: ['targets', 'targets/releases'], skipped: ['timestamp'] });
    expect(seen).toHaveLength(1);
    const request = seen[0] as (typeof seen)[number];
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v2/example.com/acme/app/_trust/tuf/');
    const boundary = /^multipart\/form-data; boundary=([0-9a-f]{60})$/.exec(request.contentType)?.[1] as string;
    expect(boundary).toBeDefined();
    const part = (role: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${role}"\r\nContent-Type: application/octet-stream\r\n\r\n${TARGETS.toString('utf8')}`;
    expect(request.body).toBe(`${part('targets')}\r\n${part('targets/releases')}\r\n--${boundary}--\r\n`);
  });

  it.each([
    [
      400,
      '{"errors":[{"code":"INVALID_UPDATE","message":"Update sent by the client is invalid.","detail":{"Name":"ErrBadRoot","Error":{"Msg":"root not signed by threshold"}}}]}',
      NotaryUpdateRejectedError,
      /rejected the update for "example\.com\/acme\/app" \(ErrBadRoot: root not signed by threshold\); nothing was published — the new root must be/,
    ],
    [400, '{"errors":[{"code":"VERSION","message":"A newer version of metadata is already available.","detail":"old version"}]}', NotaryOldVersionError, /pull again and redo the ceremony/],
    [400, '{"errors":[{"code":"MALFORMED_JSON","message":"JSON sent by the client could not be parsed by the server"}]}', NotaryBadRequestError, /MALFORMED_JSON/],
    [401, '{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}', NotaryUnauthorizedError, /requires authentication/],
    [307, '', NotaryRedirectError, /answered HTTP 307 \(a redirect\); Keyrite does not re-send signed metadata to another address/],
    [404, '404 page not found', NotaryEndpointNotFoundError, /not a Notary server's publish endpoint; check the --server URL/],
    [500, '{"errors":[{"code":"UPDATING","message":"An error has occurred while updating the TUF repository."}]}', NotaryServerFailureError, /HTTP 500 \(UPDATING: .*\): nothing was published/],
    [502, '<html>bad gateway</html>', NotaryServerFailureError, /HTTP 502 \(<html>bad gateway<\/html>\)/],
  ])('maps HTTP %i to a named error', async (status, body, type, message) => {
    answer = { status, body };
    const error = await publish().then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(type);
    expect((error as Error).message).toMatch(message);
  });

  it('refuses files that are not signed metadata or not notary role names, without sending', async () => {
    seen.length = 0;
    await expect(publish({ targets: Buffer.from('not json') })).rejects.toBeInstanceOf(PublishInputError);
    await expect(publish({ '../etc': TARGETS })).rejects.toThrow(/is not a Notary role name/);
    await expect(publish({ timestamp: TARGETS })).rejects.toThrow(/nothing to publish/);
    expect(seen).toHaveLength(0);
  });
});
