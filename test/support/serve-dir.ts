import { promises as fsp } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

/** A tiny static server on 127.0.0.1 for loader tests; `override` can answer a path itself. */
export interface TestServer {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

export async function serveDir(
  root: string,
  override?: (urlPath: string, res: http.ServerResponse) => boolean,
): Promise<TestServer> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(urlPath);
    if (override?.(urlPath, res)) return;
    const file = path.join(root, ...urlPath.split('/').filter((s) => s && s !== '..'));
    fsp.readFile(file).then(
      (bytes) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(bytes);
      },
      () => {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end('{"errors":[{"code":"METADATA_NOT_FOUND","message":"You have requested metadata that does not exist."}]}');
      },
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
