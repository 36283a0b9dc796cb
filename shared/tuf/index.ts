/** The metadata core: one import for the CLI and services (the engine imports files directly). */
export * from './model';
export * from './crypto';
export { canonicalize, canonicalString, compareCodePoints } from './canonical-json';
export { isCanonicalRange } from './canonical-check';
export { parseJsonBytes, parseJsonText, type StrictJsonOptions, type StrictJsonResult } from './strict-json';
export { parseMetadata, parseSigned, detectType, signedToJSON, envelopeToJSON } from './metadata';
export { computeKeyId, keyIdMatches, notaryCanonicalKeyId, notaryKeyObject } from './keys';
export { verifyRoleSignatures, roleKeyMap, signedMessage } from './verify-role';
export { isValidNotaryDelegationName } from './parse-keys-roles';
export { parseExpires, checkSpecVersion } from './fields';
export { toHex, fromHex, toBase64, fromBase64 } from './encoding';
export { scanCanonicalTargets, type ScannedTargets, type ScanTargetsOptions } from './targets-scan';
