import { z } from 'zod';

import { event, invoke } from './define';
import { ImpactQuery, ImpactView, PulledRequest, PullRequest, RequestRoleView, ResumeCeremony, SignWithFile, StartCeremony } from './ceremony-plans';
import { Pin } from './custody';

/**
 * Schemas of the ceremony and bundle channels (ceremonies:*, bundles:*). Only public facts cross:
 * proposals as a reviewer reads them (diff, rule checks, per-role progress), signature receipts,
 * bundle summaries. A PIN crosses once, as the argument of `ceremonies:sign`, and never comes back.
 * Files are chosen in main's dialogs (keys:pickFile); the renderer only holds opaque pick ids.
 */

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/, '64 lower-case hex characters');
const PickId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);
const CeremonyId = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9._@+-]{0,127}$/, 'a ceremony id');
const Serial = z.string().min(1).max(64);

export const CeremonyKind = z.enum(['init', 'rotate-root', 'rotate-key', 'add-signer', 'remove-signer', 'recover', 'refresh', 'sign-targets']);
export const CeremonyPhase = z.enum(['planned', 'proposed', 'signing', 'finalized', 'exported', 'aborted']);
const DialectName = z.enum(['notary-v1', 'tuf-1.0']);

/** One row of the Ceremonies list. */
export const CeremonySummary = z.strictObject({
  id: CeremonyId,
  kind: CeremonyKind,
  dialect: DialectName,
  repository: z.string(),
  phase: CeremonyPhase,
  createdAt: z.string(),
  complete: z.boolean(),
  journalHead: Hex64,
  /** The head as a PGP word list, to read aloud and compare. */
  journalWords: z.array(z.string()),
  journalEntries: z.number().int(),
});
export type CeremonySummary = z.infer<typeof CeremonySummary>;

const NamedKey = z.strictObject({
  keyid: z.string(),
  holder: z.string().nullable(),
  tokenSerial: z.string().nullable(),
});

export const CeremonyKeyView = z.strictObject({
  keyid: z.string(),
  algorithm: z.enum(['ed25519', 'ecdsa-p256', 'ecdsa-p384', 'rsa']),
  holder: z.string().nullable(),
  tokenSerial: z.string().nullable(),
  label: z.string().nullable(),
  /** Where the private key is: a token here, a key file here, or someone else's (signs elsewhere). */
  where: z.enum(['token', 'file', 'external']),
});

export const RequirementView = z.strictObject({
  label: z.string(),
  threshold: z.number().int(),
  valid: z.number().int(),
  met: z.boolean(),
  signedBy: z.array(NamedKey),
  missing: z.array(NamedKey),
});

export const RoleProgressView = z.strictObject({
  role: z.string(),
  version: z.number().int(),
  expires: z.string(),
  signing: z.enum(['offline', 'online', 'server']),
  payloadSha256: Hex64,
  complete: z.boolean(),
  requirements: z.array(RequirementView),
});

export const DiffView = z.strictObject({
  role: z.string(),
  kind: z.string(),
  summary: z.string(),
  before: z.string().nullable(),
  after: z.string().nullable(),
});

export const CheckView = z.strictObject({
  code: z.string(),
  severity: z.enum(['blocking', 'warning', 'info']),
  passed: z.boolean(),
  message: z.string(),
  role: z.string().nullable(),
});

/** A token (or key file) that can still add signatures, and what it signs. */
export const PendingSigner = z.strictObject({
  where: z.enum(['token', 'file']),
  tokenSerial: z.string().nullable(),
  keyFileId: z.string().nullable(),
  holder: z.string().nullable(),
  keyids: z.array(z.string()),
  /** e.g. ["root v2 (current root)", "root v2 (new root)"]. */
  tasks: z.array(z.string()),
});

export const SignatureView = z.strictObject({
  role: z.string(),
  version: z.number().int(),
  keyid: z.string(),
  signerLabel: z.string(),
  verifiedAt: z.string(),
});

/** Everything the review, signing and export steps show. */
export const CeremonyDetail = z.strictObject({
  summary: CeremonySummary,
  /** The "Yes" gate was passed in THIS sitting (this run of the app); an earlier sitting's "Yes" does not count (review F10). */
  confirmed: z.boolean(),
  aborted: z.string().nullable(),
  basisRootVersion: z.number().int().nullable(),
  keys: z.array(CeremonyKeyView),
  diff: z.array(DiffView),
  checks: z.array(CheckView),
  blocking: z.array(CheckView),
  roles: z.array(RoleProgressView),
  pendingSigners: z.array(PendingSigner),
  signatures: z.array(SignatureView),
  finalizedRoles: z.array(z.string()),
  exported: z.array(z.strictObject({ path: z.string(), sha256: Hex64, kind: z.string() })),
  /** Interrupted work (a signature intent without its signature) that resuming finishes or retries. */
  pendingIntents: z.number().int(),
});
export type CeremonyDetail = z.infer<typeof CeremonyDetail>;

/** The request bundle as the wizard shows it before a plan is made. */
export const RequestPreview = z.strictObject({
  pickId: PickId,
  displayPath: z.string(),
  dialect: DialectName,
  repository: z.string(),
  source: z.string(),
  createdAt: z.string(),
  rootVersion: z.number().int(),
  rootExpires: z.string().nullable(),
  rootThreshold: z.number().int().nullable(),
  rootKeys: z.array(CeremonyKeyView),
  /** Every role of the request (root, top-level, delegations) for the plan forms. */
  roles: z.array(RequestRoleView),
  /** Every key the request names, with the roles it serves (compromise pickers, keep-key choices). */
  keys: z.array(CeremonyKeyView.extend({ roles: z.array(z.string()) })),
  /** Server-managed keys fetched with the request (Notary timestamp, maybe snapshot). */
  serverKeys: z.array(z.strictObject({ role: z.string(), keyid: z.string() })),
  /** Target changes the request carries (sign-targets uses them by default). */
  targetChanges: z.number().int(),
});
export type RequestPreview = z.infer<typeof RequestPreview>;

export const SignRequest = z.strictObject({
  id: CeremonyId,
  tokenSerial: Serial,
  pin: Pin,
  confirmFinalTry: z.boolean().optional(),
});

export const SignOutcomeView = z.strictObject({
  signed: z.array(SignatureView),
  detail: CeremonyDetail,
});

export const CeremonyProgressEvent = z.strictObject({
  id: CeremonyId.nullable(),
  phase: z.enum(['working', 'touch', 'done', 'failed', 'cancelled']),
  tokenSerial: z.string().nullable(),
  message: z.string(),
});
export type CeremonyProgressEvent = z.infer<typeof CeremonyProgressEvent>;

const BundleCheckView = z.strictObject({ code: z.string(), passed: z.boolean(), message: z.string(), entry: z.string().nullable() });

/** A bundle file read and verified: manifest digests, journal chain and head, metadata vs proposal. */
export const BundleReport = z.strictObject({
  pickId: PickId,
  displayPath: z.string(),
  ok: z.boolean(),
  checks: z.array(BundleCheckView),
  kind: z.enum(['request', 'partial', 'signed']).nullable(),
  repository: z.strictObject({ dialect: DialectName, name: z.string() }).nullable(),
  createdAt: z.string().nullable(),
  sha256: Hex64.nullable(),
  size: z.number().int().nullable(),
  journal: z.strictObject({ head: Hex64, headWords: z.array(z.string()), entries: z.number().int() }).nullable(),
  entries: z.array(z.strictObject({ path: z.string(), sha256: Hex64, length: z.number().int() })),
  metadata: z.array(
    z.strictObject({
      role: z.string(),
      version: z.number().int().nullable(),
      expires: z.string().nullable(),
      signatures: z.number().int().nullable(),
      sha256: Hex64,
      error: z.string().nullable(),
    }),
  ),
  signatures: z.array(SignatureView),
  proposal: z.strictObject({ ceremonyId: z.string(), kind: z.string(), diff: z.array(z.string()), blockingFailures: z.array(z.string()) }).nullable(),
});
export type BundleReport = z.infer<typeof BundleReport>;

const IdOnly = z.strictObject({ id: CeremonyId });

/** The `ceremonies` and `bundles` contract groups (spread into shared/ipc/contract.ts). */
export const ceremonyChannels = {
  ceremonies: {
    /** Ceremonies in this workspace, newest first, with phase and journal head words. */
    list: invoke(z.void(), z.array(CeremonySummary)),
    /** One ceremony with its review (diff, checks), per-role progress and who still has to sign. */
    get: invoke(IdOnly, CeremonyDetail),
    /** Reads and checks a request bundle chosen with keys:pickFile (mode open). */
    previewRequest: invoke(z.strictObject({ pickId: PickId }), RequestPreview),
    /** Starts any ceremony kind from a request bundle: plan journalled, keys resolved, proposal made. */
    start: invoke(StartCeremony, CeremonyDetail),
    /** Recovery preview: which roles compromised/lost keys touch, what an attacker can sign, the minimal plan. */
    impact: invoke(ImpactQuery, ImpactView),
    /** Online mode only: pulls a request bundle from a Notary server or a TUF repository URL. */
    pull: invoke(PullRequest, PulledRequest),
    /** Re-derives the state from the journal and finishes interrupted work (with PINs if a step needs a token). */
    resume: invoke(ResumeCeremony, CeremonyDetail),
    /** The confirmation gate: `typed` must be exactly "Yes". */
    confirm: invoke(z.strictObject({ id: CeremonyId, typed: z.string().max(16) }), CeremonyDetail),
    /** Signs every open task of the ceremony with the keys of one token. The PIN crosses here only. */
    sign: invoke(SignRequest, SignOutcomeView),
    /** Signs every open task with one workspace key file (passphrase given once, or from the keychain). */
    signWithFile: invoke(SignWithFile, SignOutcomeView),
    /** Cancels the token operation in flight (a signature waiting for a touch). */
    cancel: invoke(z.void(), z.strictObject({ cancelled: z.boolean() })),
    /** Assembles the signed metadata (thresholds and every rule checked again). */
    finalize: invoke(IdOnly, CeremonyDetail),
    /** Writes the signed bundle to a save pick (keys:pickFile mode save). */
    exportSigned: invoke(z.strictObject({ id: CeremonyId, pickId: PickId }), z.strictObject({ displayPath: z.string(), sha256: Hex64, journalHead: Hex64 })),
    /** Writes a partial-signature bundle for another sitting or workstation. */
    exportPartial: invoke(z.strictObject({ id: CeremonyId, pickId: PickId }), z.strictObject({ displayPath: z.string(), sha256: Hex64, journalHead: Hex64 })),
    /** Merges a partial-signature bundle (every signature verified again). */
    mergePartial: invoke(z.strictObject({ id: CeremonyId, pickId: PickId }), CeremonyDetail),
    abort: invoke(z.strictObject({ id: CeremonyId, reason: z.string().min(1).max(500) }), CeremonyDetail),
    /** Signing progress: "touch your YubiKey", done, failed. */
    onProgress: event(CeremonyProgressEvent),
  },
  bundles: {
    /** Reads and verifies a bundle file (open pick): manifest digests, journal chain, head words, contents. */
    inspect: invoke(z.strictObject({ pickId: PickId }), BundleReport),
    /** Copies a verified bundle byte for byte to a save pick. */
    export: invoke(z.strictObject({ sourcePickId: PickId, pickId: PickId }), z.strictObject({ displayPath: z.string(), sha256: Hex64 })),
  },
} as const;
