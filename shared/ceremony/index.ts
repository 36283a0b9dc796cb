/** The pure ceremony engine: plan → proposal → signatures → finalize, both dialects. */
export * from './types';
export * from './errors';
export * from './env';
export * from './policy';
export * from './keys';
export * from './notary-cert';
export * from './envelope';
export * from './builders';
export * from './rules';
export * from './diff';
export * from './progress';
export * from './finalize';
export { loadRepoState, type LoadedState } from './state';
export type { CommonPlanOptions } from './draft';
export * from './plans/index';
export { toPem, fromPem } from './pem';
export { notarySnapshotStep } from './notary-snapshot';
export { checkRequest } from './request-check';
