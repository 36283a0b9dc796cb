/** The ceremony engine (electron/core/ceremonies): orchestration, signing sessions, resume. */
export { CeremonyService, type CeremonyServiceDeps, type KeyAccess } from './ceremony-service';
export type { CeremonyView } from './ceremony-view';
export type { CeremonyPhase, CeremonyState } from './ceremony-state';
export { signCeremony, type SignOutcome } from './ceremony-signing';
export { finalizeCeremony, exportSigned, exportPartial, mergePartial, finalizedFiles } from './ceremony-outputs';
export { importPartial } from './ceremony-import';
export { parseKeySpec, planKeySlots, type EnginePlan, type KeySpec, KeySpecError } from './key-specs';
export { KeyResolver, KeyResolutionError, findKeyFile, type SignerOpener } from './key-resolver';
export type { CeremonyJournal, JournalFactory, TokenClientFactory } from './ports';
export { SignedLedger } from './signed-ledger';
export type { CeremonySigner, SignerOutput } from './signers/ceremony-signer';
export { FileCeremonySigner } from './signers/file-signer';
export { TokenCeremonySigner } from './signers/token-signer';
export { createNotaryRootCertificate, RootCertificateError } from './signers/root-cert';
export * from './errors';
export { recoveryImpact } from './recovery-impact';
