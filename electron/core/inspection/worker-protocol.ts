import type { SerializedError } from '../../../shared/errors';
import type { InspectOptions, RepositoryInput } from '../../../shared/inspection/input';
import type { InspectionReport } from '../../../shared/inspection/report';

/** Messages between WorkerInspectRunner and inspect-worker (structured clone: Maps and bytes survive). */
export interface WorkerRequest {
  type: 'inspect';
  input: RepositoryInput;
  options: Omit<InspectOptions, 'onProgress'>;
}

export type WorkerResponse =
  | { type: 'progress'; done: number; total: number }
  | { type: 'result'; report: InspectionReport }
  | { type: 'error'; error: SerializedError };
