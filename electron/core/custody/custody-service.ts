/**
 * The GUI-facing key-custody facade: tokens (live list, keys with attestation badges, on-token
 * generation), key files (import, export, software generation) and the inventory, all behind
 * plain-data views. Main constructs it with injected services and stays a thin IPC layer.
 */
import type { InventoryRow, SoftwareAlgorithm, TokenKeyView, TokenListSnapshot } from '../../../shared/ipc/custody';
import type { InventoryStore } from '../inventory';
import type { KeyStore } from '../keys';
import { KeyFileCustody, type KeyDutyInput } from './key-files';
import { TokenCustody, type GenerateOnTokenRequest, type TokenCustodyDeps } from './token-custody';
import { inventoryRow } from './views';

export interface CustodyServiceDeps extends Omit<TokenCustodyDeps, 'inventory'> {
  keyStore: KeyStore;
  inventory: InventoryStore;
}

export class CustodyService {
  private readonly tokens: TokenCustody;
  private readonly files: KeyFileCustody;

  constructor(private readonly deps: CustodyServiceDeps) {
    this.tokens = new TokenCustody(deps);
    this.files = new KeyFileCustody(deps.keyStore, deps.inventory);
  }

  /** Starts polling the token list (live `onTokensChanged`). */
  start(): void {
    this.tokens.start();
  }

  listTokens(): Promise<TokenListSnapshot> {
    return this.tokens.list();
  }

  tokenKeys(tokenSerial: string): Promise<TokenKeyView[]> {
    return this.tokens.keys(tokenSerial);
  }

  async generateOnToken(request: GenerateOnTokenRequest): Promise<{ key: TokenKeyView; entry: InventoryRow }> {
    const { key, entry } = await this.tokens.generate(request);
    return { key, entry: inventoryRow(entry) };
  }

  cancelTokenOperation(): { cancelled: boolean } {
    return { cancelled: this.tokens.cancel() };
  }

  async inventory(): Promise<InventoryRow[]> {
    return (await this.deps.inventory.list()).map(inventoryRow);
  }

  async importKeyFile(filePath: string, passphrase: string, duty: KeyDutyInput): Promise<InventoryRow> {
    return inventoryRow(await this.files.importFile(filePath, passphrase, duty));
  }

  exportKeyFile(keyId: string, destination: string, format: 'notary' | 'keyrite', passphrase?: string): Promise<void> {
    return this.files.exportFile(keyId, destination, format, passphrase);
  }

  async generateSoftwareKey(algorithm: SoftwareAlgorithm, passphrase: string, duty: KeyDutyInput & { role: string }): Promise<InventoryRow> {
    return inventoryRow(await this.files.generate(algorithm, passphrase, duty));
  }

  close(): Promise<void> {
    return this.tokens.close();
  }
}
