/**
 * Every cap a bundle must fit (reference/security.md §6 #31, #32), in one place. Checked from the
 * zip's central directory BEFORE anything is decompressed, and again while inflating (a declared
 * size cannot be trusted until the bytes are counted).
 */
export interface BundleLimits {
  /** Size of the bundle file itself. */
  maxBundleBytes: number;
  /** Entries in the zip (the end-of-central-directory count, checked before walking). */
  maxEntries: number;
  /** Uncompressed size of one entry. */
  maxEntryBytes: number;
  /** Sum of the uncompressed sizes of all entries. */
  maxTotalBytes: number;
  /** uncompressed / compressed of one entry, for entries above `ratioFloorBytes`. */
  maxCompressionRatio: number;
  /** Entries smaller than this are not ratio-checked (a 1 KiB file of zeros is no bomb). */
  ratioFloorBytes: number;
  /** Length of an entry path, in bytes. */
  maxPathLength: number;
}

export const DEFAULT_BUNDLE_LIMITS: Readonly<BundleLimits> = Object.freeze({
  maxBundleBytes: 256 * 1024 * 1024,
  maxEntries: 10_000,
  // The metadata core's own cap for one metadata file (shared/tuf DEFAULT_MAX_BYTES).
  maxEntryBytes: 100 * 1024 * 1024,
  maxTotalBytes: 512 * 1024 * 1024,
  // Metadata is JSON full of random hex: it deflates ~2-5x. 100x is a bomb, not a targets file.
  maxCompressionRatio: 100,
  ratioFloorBytes: 64 * 1024,
  maxPathLength: 512,
});

export function resolveLimits(overrides: Partial<BundleLimits> = {}): BundleLimits {
  return { ...DEFAULT_BUNDLE_LIMITS, ...overrides };
}
