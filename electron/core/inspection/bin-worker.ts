import { parentPort } from 'node:worker_threads';

import { serializeError } from '../../../shared/errors';
import { NodeCryptoProvider } from '../crypto/node-crypto-provider';
import { LeafBatchVerifier } from './leaf-batch';
import type { BinWorkerRequest, BinWorkerResponse } from './bin-worker-protocol';

/**
 * Worker-thread entry (bundled to dist/workers/bin-worker.cjs): verifies batches of deferred
 * hash-bin files for the parallel pre-verifier (preverifier.ts). One `init`, then `batch` requests.
 */
const port = parentPort;
if (!port) throw new Error('bin-worker must run in a worker thread');
let verifier: LeafBatchVerifier | null = null;
const post = (message: BinWorkerResponse): void => port.postMessage(message);

port.on('message', (request: BinWorkerRequest) => {
  try {
    if (request.type === 'init') {
      verifier = new LeafBatchVerifier(request.init, new NodeCryptoProvider());
      return;
    }
    if (verifier === null) throw new Error('bin-worker: batch before init');
    post({ type: 'batch', id: request.id, facts: verifier.run(request) });
  } catch (error) {
    post({ type: 'error', id: request.type === 'batch' ? request.id : -1, error: serializeError(error) });
  }
});
