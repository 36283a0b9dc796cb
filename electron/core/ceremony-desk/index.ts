/** GUI-facing ceremony and bundle facade (electron/core/ceremony-desk). */
export { CeremonyDesk, type CeremonyDeskDeps, type NewKeyChoice, type RotateRootInput } from './ceremony-desk';
export { exportBundleFile, inspectBundleFile, BundleExportExistsError, BundleFileMissingError } from './bundle-desk';
export { CeremonyDeskError, PinNeededError, RequestBundleError, forIpc } from './errors';
