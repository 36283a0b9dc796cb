/** YubiKey PIV attestation: chain verification to the bundled Yubico roots and extension decoding. */
export { verifyPivAttestation, rootEnrollmentDecision, type AttestationBadge, type AttestationFailure, type AttestationResult, type AttestationInput, type AttestationDetails } from './verify-attestation';
export { yubicoAttestationAnchors, parsePemCertificates, YUBICO_FINGERPRINTS, type AttestationAnchors } from './yubico-roots';
export { yubicoAttestationInfo, certificateExtensions, YUBICO_OID, type YubicoAttestationInfo, type PinPolicy, type TouchPolicy } from './yubico-extensions';
