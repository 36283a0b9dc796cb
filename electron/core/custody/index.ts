/** Key custody for the GUI (issue 3): one facade over tokens, key files and the inventory. */
export { CustodyService, type CustodyServiceDeps } from './custody-service';
export { TokenCustody, PIN_UNBLOCK_PATH, type TokenOperations, type GenerateOnTokenRequest } from './token-custody';
export { KeyFileCustody, type KeyDutyInput } from './key-files';
export { ckaIdForSlot, slotForCkaId, type GeneratableSlot } from './piv-slots';
export { SlotOccupiedError, FinalTryNotConfirmedError, TokensUnavailableError, KeyRoleMissingError, CustodyKeyNotFoundError, PassphraseRequiredError } from './errors';
export { inventoryRow, tokenKeyView, attestationView } from './views';
