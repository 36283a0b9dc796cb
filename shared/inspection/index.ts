export { inspect } from './inspect';
export { InspectionInputError, type InspectionInputReason } from './errors';
export { DEFAULT_LIMITS, type InspectionLimits } from './context';
export { REPO_ADMIN } from './targets-table';
