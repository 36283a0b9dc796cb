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
  /** Sum over all files of one repository. */
  totalBytes: 512 * 1024 * 1024,
  /** Versions of root we walk (1.root.json upward). */
  rootHistory: 1024,
  /** Delegated roles we fetch per repository. */
  delegations: 10_000,
  /** Private key files listed from a trust dir, and PEM header bytes read from each. */
  privateKeys: 10_000,
  pemHeaderBytes: 4096,
  /** GUN directories searched for in a trust dir, and their depth. */
  guns: 10_000,
  gunDepth: 12,
} as const;
