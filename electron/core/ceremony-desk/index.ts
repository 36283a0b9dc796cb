/** GUI-facing ceremony and bundle facade (electron/core/ceremony-desk). */
export {
  CeremonyDesk,
  type CeremonyDeskDeps,
  type DeskLogin,
  type DeskUnlock,
  type FilePassphrase,
  type PulledRequestFile,
  type PullSource,
  type SignResult,
  type StartInput,
} from './ceremony-desk';
export { exportBundleFile, inspectBundleFile, BundleExportExistsError, BundleFileMissingError } from './bundle-desk';
export {
  CeremonyDeskError,
  DefaultPinRefusedError,
  KeychainPassphraseMissingError,
  NetworkModeError,
  PassphraseNeededError,
  PinNeededError,
  PlanInputError,
  RequestBundleError,
  RequestFileExistsError,
  TargetFileError,
  forIpc,
} from './errors';
