import { z } from 'zod';

import { Dialect, Finding, InspectionReport, SourceKind, TargetView } from '../inspection/report';
import {
  ExportKeyFile,
  GeneratedOnToken,
  GenerateOnToken,
  GenerateSoftwareKey,
  ImportKeyFile,
  InventoryRow,
  PickedFile,
  PickFile,
  TokenKeyView,
  TokenListSnapshot,
  TokenProgress,
} from './custody';
import { ceremonyChannels } from './ceremony';
import { event, invoke } from './define';

/**
 * THE list of IPC channels (channel = `${group}:${method}`). Never add a generic
 * `invoke(channel)` passthrough: every operation is one named, schema-checked entry.
 * Response schemas are strict, so an accidental extra field (say, `privateKey`) throws in
 * main before anything crosses to the renderer.
 */

const Id = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'an id of lower-case letters, digits and dashes');
const JobId = z.string().regex(/^[A-Za-z0-9-]{8,64}$/);
const IsoTime = z.iso.datetime({ offset: true });

export const AppSnapshot = z.strictObject({
  appVersion: z.string(),
  /** `offline` (air-gapped, the default): main refuses every network access. */
  networkMode: z.enum(['offline', 'online']),
  platform: z.string(),
});

export const RepositorySummary = z.strictObject({
  id: Id,
  name: z.string(),
  dialect: Dialect,
  source: z.strictObject({ kind: SourceKind, location: z.string() }),
  health: z.enum(['healthy', 'warning', 'error']),
  inspectedAt: z.string(),
  rootVersion: z.number().int(),
  errors: z.number().int(),
  warnings: z.number().int(),
  targetCount: z.number().int(),
});
export type RepositorySummary = z.infer<typeof RepositorySummary>;

/** The report without its target list; targets are fetched a page at a time. */
export const RepositoryDetail = z.strictObject({
  summary: RepositorySummary,
  report: InspectionReport.omit({ targets: true }),
});
export type RepositoryDetail = z.infer<typeof RepositoryDetail>;

/** A directory chosen in a main-process dialog. The renderer gets an opaque id, never a path to hand back. */
export const PickedDirectory = z.strictObject({ pickId: JobId, displayPath: z.string() });

export const AddSource = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('directory'), pickId: JobId, gun: z.string().max(255).optional() }),
  z.strictObject({
    kind: z.literal('notary-server'),
    url: z.url({ protocol: /^https?$/ }),
    gun: z.string().min(1).max(255),
  }),
  z.strictObject({ kind: z.literal('tuf-url'), url: z.url({ protocol: /^https?$/ }) }),
]);
export type AddSource = z.infer<typeof AddSource>;

export const InspectParams = z.strictObject({
  jobId: JobId,
  at: IsoTime.optional(),
  warnDays: z.number().int().min(0).max(3650).optional(),
});

export const Progress = z.strictObject({
  jobId: JobId,
  phase: z.enum(['fetching', 'parsing', 'verifying', 'saving', 'done', 'failed', 'cancelled']),
  done: z.number().int(),
  total: z.number().int(),
  message: z.string().optional(),
});
export type Progress = z.infer<typeof Progress>;

export const contract = {
  app: {
    /** Initial state, loaded once asynchronously at start-up. */
    getSnapshot: invoke(z.void(), AppSnapshot),
  },
  repositories: {
    /** Repositories known to the workspace, with their last health. */
    list: invoke(z.void(), z.array(RepositorySummary)),
    /** Opens the main-process folder picker (metadata dir, trust dir or TUF repository dir). */
    pickDirectory: invoke(z.strictObject({ title: z.string().max(120) }), PickedDirectory.nullable()),
    /** Adds (and inspects) a repository; a trust dir may add several GUNs. */
    add: invoke(z.strictObject({ source: AddSource, params: InspectParams }), z.array(RepositorySummary)),
    /** Re-inspects from the original source. */
    reinspect: invoke(z.strictObject({ id: Id, params: InspectParams }), RepositorySummary),
    /** Cancels a running add/reinspect job. */
    cancel: invoke(z.strictObject({ jobId: JobId }), z.strictObject({ cancelled: z.boolean() })),
    get: invoke(z.strictObject({ id: Id }), RepositoryDetail),
    /** One page of targets, filtered by a case-insensitive substring over name, digest and signers. */
    getTargets: invoke(
      z.strictObject({
        id: Id,
        offset: z.number().int().min(0),
        limit: z.number().int().min(1).max(1000),
        query: z.string().max(500).optional(),
      }),
      z.strictObject({ total: z.number().int(), offset: z.number().int(), rows: z.array(TargetView) }),
    ),
    remove: invoke(z.strictObject({ id: Id }), z.strictObject({ removed: z.boolean() })),
    onProgress: event(Progress),
    onChanged: event(z.array(RepositorySummary)),
  },
  tokens: {
    /** Tokens present now (serial, label, model, firmware, PIN state), or why none can be listed. */
    list: invoke(z.void(), TokenListSnapshot),
    /** Keys on one token with slot, key IDs in both dialects and the attestation badge. */
    keys: invoke(z.strictObject({ tokenSerial: z.string().min(1).max(64) }), z.array(TokenKeyView)),
    /** Generates a key on the token (9c / P-256 by default) and records it in the inventory. The PIN crosses here only. */
    generate: invoke(GenerateOnToken, GeneratedOnToken),
    /** Cancels the token operation in flight (e.g. a signature waiting for a touch). */
    cancel: invoke(z.void(), z.strictObject({ cancelled: z.boolean() })),
    /** The live token list: sent whenever a token is attached, removed or its PIN state changes. */
    onChanged: event(TokenListSnapshot),
    /** Progress of a token operation; phase `touch` means "touch your YubiKey". */
    onProgress: event(TokenProgress),
  },
  keys: {
    /** The key inventory: which key is where, which role and repository it serves, label and holder. */
    inventory: invoke(z.void(), z.array(InventoryRow)),
    /** Opens a main-process file dialog (open for import, save for export); the renderer gets an opaque pickId. */
    pickFile: invoke(PickFile, PickedFile.nullable()),
    /** Imports a Notary/Docker or Keyrite key file into the workspace key store. */
    import: invoke(ImportKeyFile, InventoryRow),
    /** Writes a copy of a workspace key file (never over an existing file). */
    export: invoke(ExportKeyFile, z.strictObject({ displayPath: z.string() })),
    /** Generates a software key, encrypted at rest with the passphrase. */
    generateSoftware: invoke(GenerateSoftwareKey, InventoryRow),
  },
  /** ceremonies:* and bundles:* (schemas in shared/ipc/ceremony.ts). */
  ...ceremonyChannels,
} as const;

export type Contract = typeof contract;
export { Finding };
