/** The TUF repository writer: consistent snapshots, write-once versions, online snapshot/timestamp. */
export * from './errors';
export { publishTufDir, type TufPublishOptions, type TufPublishResult, type TufPublishStage } from './tuf-dir-writer';
export { PUBLISH_LOCK_NAME, tufDirLockPath, tufDirLockReport, unlockTufDir, withTufDirLock, type TufDirLockOptions } from './tuf-dir-lock';
export { buildTufSnapshot, buildTufTimestamp, signTufRole, roleKeysFromRoot, tufExpires } from './online-roles';
export { planTargetFiles, fileNames as targetFileNames, type TargetFilesResult } from './target-files';
export { collectTargets, targetSegments, HASH_ALGORITHMS, type TargetEntry } from './target-list';
