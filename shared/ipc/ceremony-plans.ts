import { z } from 'zod';

import { Passphrase, Pin } from './custody';

/**
 * What the GUI's ceremony wizards send to start any of the eight ceremony kinds, and the extra
 * facts they read first (the request's roles and keys, a compromise's impact). A plan names keys
 * by reference only (token serial + CKA_ID, key-file id, a key ID already in the repository);
 * main resolves them. PINs cross only as `logins` (steps that need a token before signing: a key
 * generated on the token, a Notary root certificate) and passphrases only in `signWithFile`.
 */

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex characters');
const KeyIdText = z.string().regex(/^[0-9a-f]{8,128}$/, 'a key ID in lower-case hex');
const PickId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);
const CeremonyId = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._@+-]{0,127}$/, 'a ceremony id');
const Serial = z.string().min(1).max(64);
const CkaId = z.string().regex(/^(?:[0-9a-f]{2}){1,32}$/, 'a CKA_ID in lower-case hex');
/** `targets`, `root`, or a delegated role such as `targets/releases` (no traversal, no spaces). */
const RoleName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.\-/]{0,254}$/, 'a role name').refine((s) => !s.split('/').includes('..'), 'a role name without ".."');
const SignerName = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.\-/]{0,127}$/, 'a signer name (letters, digits, _ . - /)');
/** Strict RFC 3339 UTC without fractions, as the metadata writes it. */
const Expiry = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, 'an expiry as YYYY-MM-DDTHH:MM:SSZ');
const Threshold = z.number().int().min(1).max(32);

/** A key for a plan: an existing token key, one to generate on a token, a key file, or a key the repository already has. */
export const PlanKey = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('token'), tokenSerial: Serial, ckaId: CkaId }),
  z.strictObject({ kind: z.literal('token-new'), tokenSerial: Serial, ckaId: CkaId, curve: z.enum(['P-256', 'P-384']).optional(), label: z.string().min(1).max(64).optional() }),
  z.strictObject({ kind: z.literal('file'), keyId: Hex64 }),
  z.strictObject({ kind: z.literal('keyid'), keyid: KeyIdText }),
]);
export type PlanKey = z.infer<typeof PlanKey>;

const Keys = z.array(PlanKey).max(32);
const Common = {
  /** Per-role absolute expiry; default from policy. */
  expires: z.record(RoleName, Expiry).optional(),
  /** TUF: sign snapshot/timestamp in this ceremony instead of with online keys at publish. */
  offlineRoles: z.array(z.enum(['snapshot', 'timestamp'])).max(2).optional(),
};

/** A target to add (its file chosen in main's dialog, hashed there) or remove. */
export const TargetChangeInput = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('add'), role: RoleName, path: z.string().min(1).max(1024), filePickId: PickId }),
  z.strictObject({ action: z.literal('remove'), role: RoleName, path: z.string().min(1).max(1024) }),
]);
export type TargetChangeInput = z.infer<typeof TargetChangeInput>;

export const PlanInput = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('init'), rootKeys: Keys.min(1), rootThreshold: Threshold, targetsKeys: Keys.min(1), targetsThreshold: Threshold.optional(), snapshotKeys: Keys.optional(), timestampKeys: Keys.optional(), ...Common }),
  z.strictObject({ kind: z.literal('rotate-root'), add: Keys, remove: z.array(KeyIdText).max(32), threshold: Threshold, ...Common }),
  z.strictObject({ kind: z.literal('rotate-key'), role: z.enum(['targets', 'snapshot', 'timestamp']), newKeys: Keys.optional(), threshold: Threshold.optional(), serverManaged: z.boolean().optional(), ...Common }),
  z.strictObject({ kind: z.literal('add-signer'), name: SignerName, keys: Keys.min(1), threshold: Threshold.optional(), paths: z.array(z.string().max(1024)).max(256).optional(), terminating: z.boolean().optional(), parent: RoleName.optional(), ...Common }),
  z.strictObject({ kind: z.literal('remove-signer'), name: SignerName, parent: RoleName.optional(), ...Common }),
  z.strictObject({
    kind: z.literal('recover'),
    compromised: z.array(KeyIdText).max(64),
    lost: z.array(KeyIdText).max(64).optional(),
    /** sec-notary (review F13): lost tokens by serial; every repository key the inventory knows on them is lost (withLostTokens). */
    lostTokens: z.array(Serial).max(8).optional(),
    replacements: z.record(RoleName, Keys).optional(),
    thresholds: z.record(RoleName, Threshold).optional(),
    /** sec-rules (review F4): targets the compromised keys could have signed, dropped from a re-signed role (every suspect one, or these paths). */
    dropTargets: z.record(RoleName, z.union([z.literal('all'), z.array(z.string().min(1).max(1024)).max(1000)])).optional(),
    /** sec-rules (review F4): roles whose suspect targets the operator checked and keeps (the check stays as a warning). */
    acknowledgeTargets: z.array(RoleName).max(256).optional(),
    ...Common,
  }),
  z.strictObject({ kind: z.literal('refresh'), roles: z.array(RoleName).max(256).optional(), ...Common }),
  z.strictObject({ kind: z.literal('sign-targets'), changes: z.array(TargetChangeInput).max(1000).optional(), ...Common }),
]);
export type PlanInput = z.infer<typeof PlanInput>;

/** The PIN of a token a step needs before signing; wiped in main after the step. */
export const TokenLogin = z.strictObject({ tokenSerial: Serial, pin: Pin, confirmFinalTry: z.boolean().optional() });
const Logins = z.array(TokenLogin).max(8).optional();

export const StartCeremony = z.strictObject({ requestPickId: PickId, plan: PlanInput, logins: Logins });
export type StartCeremony = z.infer<typeof StartCeremony>;

export const ResumeCeremony = z.strictObject({ id: CeremonyId, logins: Logins });

/** Signs with a workspace key file: the passphrase crosses here once, or the keychain's is used. */
export const SignWithFile = z.discriminatedUnion('source', [
  z.strictObject({ source: z.literal('passphrase'), id: CeremonyId, keyId: Hex64, passphrase: Passphrase }),
  z.strictObject({ source: z.literal('keychain'), id: CeremonyId, keyId: Hex64 }),
]);

/** A role of the request as the wizards offer it (who delegates it, its keys and threshold). */
export const RequestRoleView = z.strictObject({
  role: z.string(),
  delegatedBy: z.string().nullable(),
  keyids: z.array(z.string()),
  threshold: z.number().int(),
  paths: z.array(z.string()).nullable(),
  version: z.number().int().nullable(),
  expires: z.string().nullable(),
  /** Expired or within the policy's refresh window (and signed offline). */
  dueForRefresh: z.boolean(),
  targetCount: z.number().int().nullable(),
});

/** Pull a request bundle in online mode (refused when the app runs air-gapped). */
export const PullRequest = z.strictObject({
  source: z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('notary'), server: z.url({ protocol: /^https?$/ }), gun: z.string().min(1).max(255) }),
    z.strictObject({ kind: z.literal('tuf'), url: z.url({ protocol: /^https?$/ }) }),
  ]),
  /** Save pick (keys:pickFile mode save) for the request bundle. */
  pickId: PickId,
});

export const PulledRequest = z.strictObject({ displayPath: z.string(), sha256: Hex64, repository: z.string(), dialect: z.enum(['notary-v1', 'tuf-1.0']), rootVersion: z.number().int() });

const ImpactRole = z.strictObject({
  role: z.string(),
  delegatedBy: z.string(),
  keyids: z.array(z.string()),
  threshold: z.number().int(),
  compromised: z.array(z.string()),
  lost: z.array(z.string()),
  remaining: z.number().int(),
  thresholdHolds: z.boolean(),
  attackerCanSign: z.boolean(),
});
const ImpactStep = z.strictObject({
  order: z.number().int(),
  role: z.string(),
  signers: z.array(z.string()),
  signerNames: z.array(z.string()),
  threshold: z.number().int(),
  oldThreshold: z.number().int().nullable(),
  note: z.string(),
});

/** What compromised or lost keys mean before a recovery is planned: affected roles and the minimal plan. */
export const ImpactView = z.strictObject({
  compromised: z.array(z.string()),
  lost: z.array(z.string()),
  roles: z.array(ImpactRole),
  /** Sentences: what an attacker can sign right now. */
  attackerCan: z.array(z.string()),
  /** Roles whose legitimate holders can no longer reach the threshold without new keys. */
  stranded: z.array(z.string()),
  steps: z.array(ImpactStep),
});
export type ImpactView = z.infer<typeof ImpactView>;

export const ImpactQuery = z.strictObject({ requestPickId: PickId, compromised: z.array(KeyIdText).max(64), lost: z.array(KeyIdText).max(64), lostTokens: z.array(Serial).max(8).optional() });
