/** The TUF repository writer: consistent snapshots, write-once versions, online snapshot/timestamp. */
export * from './errors';
export { publishTufDir, type TufPublishOptions, type TufPublishResult } from './tuf-dir-writer';
export { buildTufSnapshot, buildTufTimestamp, signTufRole, roleKeysFromRoot, tufExpires } from './online-roles';
export { planTargetFiles, fileNames as targetFileNames, type TargetFilesResult } from './target-files';
export { collectTargets, targetSegments, HASH_ALGORITHMS, type TargetEntry } from './target-list';
