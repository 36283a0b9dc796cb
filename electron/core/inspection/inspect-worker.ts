import { parentPort } from 'node:worker_threads';

import { serializeError } from '../../../shared/errors';
import { createInspectEngine } from './engine';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

/**
 * Worker-thread entry (bundled to dist/workers/inspect-worker.cjs): runs one inspection off the
 * Electron main thread and posts the report back. One request per worker; the runner terminates it.
 */
const port = parentPort;
if (!port) throw new Error('inspect-worker must run in a worker thread');
const engine = createInspectEngine();
const post = (message: WorkerResponse): void => port.postMessage(message);

port.on('message', (request: WorkerRequest) => {
  try {
    const report = engine(request.input, { ...request.options, onProgress: (done, total) => post({ type: 'progress', done, total }) });
    post({ type: 'result', report });
  } catch (error) {
    post({ type: 'error', error: serializeError(error) });
  }
});
