/** Bundles: request / partial / signed, each one zip file with a manifest of digests. */
export type { BundleContent, ReadBundle, ReadBundleContent } from './content';
export { REQUIRED_PARTS } from './content';
export { BundleRejectedError, BundleWriteError, type BundleRejectCode } from './errors';
export { DEFAULT_BUNDLE_LIMITS, resolveLimits, type BundleLimits } from './limits';
export { readBundle, readBundleFile } from './read-bundle';
export { writeBundle, writeBundleFile } from './write-bundle';
export { inspectBundle, summarize, summarizeMetadata, type BundleAttestationSummary, type BundleMetadataSummary, type BundleSummary } from './inspect';
export { verifyBundle, type BundleCheck, type BundleVerification } from './verify';
export { extractBundle, importBundle, ExtractTargetExistsError } from './extract';
export { metadataEntryName, roleOfMetadataEntry } from './entry-names';
export { attestationChecks, attestationEntryNames, bundledAttestations } from './verify-attestations';
