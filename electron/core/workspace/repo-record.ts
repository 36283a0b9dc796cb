import { createHash } from 'node:crypto';

import { z } from 'zod';

import { Dialect, SourceKind } from '../../../shared/inspection/report';

/** How to re-read a repository (the user's source, after directory auto-detection). */
export const StoredSourceSpec = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('directory'), path: z.string().min(1), gun: z.string().optional() }),
  z.strictObject({ kind: z.literal('notary-server'), url: z.string().min(1), gun: z.string().min(1) }),
  z.strictObject({ kind: z.literal('tuf-url'), url: z.string().min(1) }),
]);

/** `repos/<id>/repo.json`. */
export const RepoRecord = z.strictObject({
  schemaVersion: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
  name: z.string(),
  dialect: Dialect,
  source: z.strictObject({ kind: SourceKind, location: z.string() }),
  spec: StoredSourceSpec,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RepoRecord = z.infer<typeof RepoRecord>;

/** `repos/<id>/trusted.json`; the trusted root's exact bytes sit beside it in `trusted-root.json`. */
export const TrustedRecord = z.strictObject({
  schemaVersion: z.literal(1),
  rootVersion: z.number().int().min(1),
  rootSha256: z.string().regex(/^[0-9a-f]{64}$/),
  versions: z.record(z.string(), z.number().int().min(0)),
  updatedAt: z.string(),
});
export type TrustedRecord = z.infer<typeof TrustedRecord>;

const HEX64 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * `repos/<id>/verified-files.json`: delegated role files a healthy inspection verified cleanly
 * (TrustedState.files). Each record binds the file's bytes and its delegating file's bytes, so it
 * holds whatever trusted.json says; it only lets an unchanged file skip signature verification.
 */
export const VerifiedFileEntry = z.strictObject({
  sha256: HEX64,
  length: z.number().int().min(0),
  version: z.number().int().min(1),
  expires: z.string(),
  parentSha256: HEX64,
  signers: z.array(z.string()),
  targetCount: z.number().int().min(0),
});

export const VerifiedFilesRecord = z.strictObject({
  schemaVersion: z.literal(1),
  files: z.record(z.string(), VerifiedFileEntry),
});
export type VerifiedFilesRecord = z.infer<typeof VerifiedFilesRecord>;

/**
 * A repository's workspace id: a readable slug of its name plus a short hash of its identity
 * (Notary: the GUN, so every source of one GUN shares the trusted state; TUF: the location).
 */
export function repositoryId(name: string, identity: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  const hash = createHash('sha256').update(identity).digest('hex').slice(0, 10);
  return `${slug || 'repo'}-${hash}`;
}

export function repositoryIdentity(dialect: Dialect, name: string, location: string): string {
  return dialect === 'notary-v1' ? `notary:${name}` : `tuf:${location}`;
}
