/** Key inventory: where each key lives and what it serves (issue 3). */
export { InventoryStore, InventoryCorruptError, InventoryEntryNotFoundError, INVENTORY_FILE_NAME, type InventoryRecord } from './inventory-store';
export { InventoryEntry, InventoryFile, KeyLocation, InventoryAlgorithm, InventoryAttestation, INVENTORY_VERSION } from './inventory-schema';
export { tokenKeyRecord, serverKeyRecord, findTokenEntry, type KeyDuty } from './records';
