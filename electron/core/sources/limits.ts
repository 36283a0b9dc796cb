/**
 * Caps applied before any parsing (security.md §6 #25, #27). Real repositories stay far below:
 * Docker Hub's largest targets files are a few MiB.
 */
export const LIMITS = {
  /** root.json / N.root.json. */
  rootBytes: 1024 * 1024,
  /** timestamp.json. */
  timestampBytes: 1024 * 1024,
  /** snapshot.json (lists every delegation). */
  snapshotBytes: 32 * 1024 * 1024,
  /** targets.json and each delegation. */
  targetsBytes: 64 * 1024 * 1024,
  /** Sum over all files of one repository (PEP 458 scale, 16,384 bins, is ~820 MB). */
  totalBytes: 2 * 1024 * 1024 * 1024,
  /** Versions of root we walk (1.root.json upward). */
  rootHistory: 1024,
  /** Delegated roles we fetch per repository (PEP 458 has 16,384 hash bins; the engine examines at most 20,000). */
  delegations: 65_536,
  /** Private key files listed from a trust dir, and PEM header bytes read from each. */
  privateKeys: 10_000,
  pemHeaderBytes: 4096,
  /** GUN directories searched for in a trust dir, and their depth. */
  guns: 10_000,
  gunDepth: 12,
} as const;
