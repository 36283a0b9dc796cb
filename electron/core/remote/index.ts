/** Online side of ceremonies: pull a repository into a RepoState, publish signed metadata back. */
export * from './errors';
export { pullNotary, notaryTufBase, notaryKeyIdOf, type NotaryTarget, type NotaryPullOptions, type NotaryPullDeps } from './notary-pull';
export { pullTuf, isHttpUrl } from './tuf-pull';
export { publishNotary, mapPublishError, notarySerialization, type PublishDeps, type NotaryPublishResult } from './notary-publish';
export { repoStateFiles, repoStateRootHistory, type PullDeps } from './repo-state';
export { encodeMultipart, type MultipartFile } from './multipart';
