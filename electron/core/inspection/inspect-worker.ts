import { parentPort } from 'node:worker_threads';

import { serializeError } from '../../../shared/errors';
import { createInspectEngine } from './engine';
import { runEngine } from './inspect-runner';
import { Preverifier } from './preverifier';
import { encodeRoles, encodeRows } from './row-chunks';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

/**
 * Worker-thread entry (bundled to dist/workers/inspect-worker.cjs): runs one inspection off the
 * Electron main thread and posts the report back. One request per worker; the runner terminates it.
 */
const port = parentPort;
if (!port) throw new Error('inspect-worker must run in a worker thread');
const engine = createInspectEngine();
// Nested bin workers (dist/workers/bin-worker.cjs beside this bundle) verify PEP 458-scale files.
const preverifier = new Preverifier();
const post = (message: WorkerResponse): void => port.postMessage(message);

port.on('message', (request: WorkerRequest) => {
  runEngine(engine, preverifier, request.input, request.options, { onProgress: (done, total) => post({ type: 'progress', done, total }) }).then(
    (report) => {
      const { targets, roles, ...rest } = report;
      const rowChunks = encodeRows(targets);
      const roleChunks = encodeRoles(roles);
      const transfer = [...rowChunks, ...roleChunks].map((c) => c.buffer as ArrayBuffer);
      port.postMessage({ type: 'result', report: { ...rest, roles: [], targets: [] }, roleChunks, rowChunks } satisfies WorkerResponse, transfer);
    },
    (error: unknown) => post({ type: 'error', error: serializeError(error) }),
  );
});
