import type { SerializedError } from '../../../shared/errors';
import type { PreverifiedRole } from '../../../shared/inspection/preverified';
import type { LeafBatch, LeafBatchInit } from './leaf-batch';

/** Messages between the Preverifier and bin-worker threads (structured clone). */
export type BinWorkerRequest = { type: 'init'; init: LeafBatchInit } | ({ type: 'batch'; id: number } & LeafBatch);

export type BinWorkerResponse = { type: 'batch'; id: number; facts: PreverifiedRole[] } | { type: 'error'; id: number; error: SerializedError };
