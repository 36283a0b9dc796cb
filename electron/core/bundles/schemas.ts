import { z } from 'zod';

import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION } from '../../../shared/ceremony/types';

/**
 * Shapes of the JSON entries of a bundle. Objects are loose: the hub types grow by adding fields,
 * and a newer writer's extra field must not make an older reader refuse the bundle (the manifest
 * digests already pin every byte). What is checked is what the readers of these values rely on.
 */

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex characters');
const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z$/, 'must be an RFC 3339 UTC time');
const dialect = z.enum(['notary-v1', 'tuf-1.0']);
const jsonObject = z.record(z.string(), z.json());
const positiveInt = z.number().int().min(1);

export const manifestSchema = z.strictObject({
  format: z.literal(BUNDLE_FORMAT),
  formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
  kind: z.enum(['request', 'partial', 'signed']),
  repository: z.strictObject({ dialect, name: z.string().min(1).max(1024) }),
  createdAt: isoTime,
  nonce: z.string().regex(/^[0-9a-f]{8,128}$/, 'must be 8-128 lower-case hex characters'),
  entries: z.array(z.strictObject({ path: z.string(), sha256: hex64, length: z.number().int().min(0) })),
  journalHead: hex64.nullable(),
});

const repoSource = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('notary-server'), url: z.string(), gun: z.string() }),
  z.looseObject({ kind: z.literal('tuf-url'), url: z.string() }),
  z.looseObject({ kind: z.literal('tuf-dir'), path: z.string() }),
]);

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

export const repoStateSchema = z.looseObject({
  dialect,
  name: z.string().min(1),
  source: repoSource,
  files: z.record(z.string(), base64),
  rootHistory: z.array(base64),
  serverKeys: z.looseObject({ timestamp: jsonObject.optional(), snapshot: jsonObject.optional() }),
  targetChanges: z
    .array(z.looseObject({ role: z.string(), action: z.enum(['add', 'remove']), path: z.string(), length: z.number().int().min(0).optional() }))
    .optional(),
  createdAt: isoTime,
  nonce: z.string(),
});

const requirement = z.looseObject({ label: z.string(), keyids: z.array(z.string()), threshold: positiveInt });

export const proposalSchema = z.looseObject({
  ceremonyId: z.string().min(1),
  kind: z.enum(['init', 'rotate-root', 'rotate-key', 'add-signer', 'remove-signer', 'recover', 'refresh', 'sign-targets']),
  dialect,
  repository: z.string().min(1),
  basis: z.looseObject({ nonce: z.string(), rootVersion: z.number().int().min(0) }),
  roles: z.array(
    z.looseObject({
      role: z.string().min(1),
      version: positiveInt,
      expires: z.string(),
      signed: jsonObject,
      payloadSha256: hex64,
      requirements: z.array(requirement),
      signing: z.enum(['offline', 'online', 'server']),
    }),
  ),
  keys: z.array(z.looseObject({ keyid: z.string(), keyObject: jsonObject, publicKeyPem: z.string(), algorithm: z.string(), signer: jsonObject })),
  diff: z.array(z.looseObject({ role: z.string(), kind: z.string(), summary: z.string() })),
  checks: z.array(z.looseObject({ code: z.string(), severity: z.enum(['blocking', 'warning', 'info']), passed: z.boolean(), message: z.string() })),
});

export const signatureSchema = z.looseObject({
  role: z.string().min(1),
  version: positiveInt,
  payloadSha256: hex64,
  keyid: z.string().min(1),
  sig: z.string().min(1),
  method: z.string().nullable(),
  signerLabel: z.string(),
  verifiedAt: isoTime,
});

/** "path: message" of the first issue, for a one-line error. */
export function describeZodError(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid';
  const at = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${at}: ${issue.message}${error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : ''}`;
}
