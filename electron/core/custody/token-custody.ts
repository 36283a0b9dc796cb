/**
 * The GUI's view of PKCS#11 tokens: a live token list (polling watcher, rescans on demand),
 * keys with their attestation badge and inventory record, on-token key generation. All token
 * access goes through the injected client (TokenClient in the app: one queue, one host process).
 */
import type { AttestationView, TokenKeyView, TokenListSnapshot, TokenProgress } from '../../../shared/ipc/custody';
import { PinLockedError } from '../../../shared/token/errors';
import type { GenerateKeyRequest } from '../../../shared/token/token-backend';
import type { PinState, TokenInfo, TokenKey } from '../../../shared/token/types';
import { findTokenEntry, type InventoryEntry, type InventoryStore } from '../inventory';
import type { TokenSignEvent } from '../tokens/token-client';
import { enrollOnToken, readTokenAttestation, type TokenAttestationCertificates } from '../tokens/token-enrollment';
import { rescanOnUsbEvents, type HotplugSource, type HotplugStatus } from '../tokens/usb-hotplug';
import { FinalTryNotConfirmedError, SlotOccupiedError, TokensUnavailableError } from './errors';
import { ckaIdForSlot, type GeneratableSlot } from './piv-slots';
import { SignProgress } from './sign-progress';
import { attestationView, recordedAttestationView, tokenKeyView } from './views';

/** The token calls the facade makes (TokenClient satisfies it; unit tests pass a fake). */
export interface TokenOperations {
  listTokens(): Promise<TokenInfo[]>;
  listKeys(tokenSerial: string): Promise<TokenKey[]>;
  login(tokenSerial: string, pin: Uint8Array, user?: 'user' | 'so'): Promise<{ pinState: PinState }>;
  logout(tokenSerial: string): Promise<void>;
  generateKey(request: GenerateKeyRequest): Promise<TokenKey>;
  cancel(): boolean;
  close(): Promise<void>;
  /** Where the token host offers it (YubiKey PIV): the slot and F9 certificates, DER hex. */
  readAttestation?: (tokenSerial: string, ckaId: string) => Promise<TokenAttestationCertificates>;
  /** Where offered (TokenClient): every signature through the client, for the touch prompt. */
  observeSignatures?: (listener: (event: TokenSignEvent) => void) => () => void;
}

export interface TokenCustodyDeps {
  /** Null when no PKCS#11 module could be found; `unavailableReason` says why. */
  client: TokenOperations | null;
  modulePath: string | null;
  unavailableReason?: string;
  inventory: InventoryStore;
  onTokensChanged?: (snapshot: TokenListSnapshot) => void;
  onProgress?: (progress: TokenProgress) => void;
  /** Log sink for failures the GUI sees as state (never receives PINs). */
  onError?: (message: string, error: unknown) => void;
  pollIntervalMs?: number;
  clock?: () => Date;
  /**
   * USB attach/detach events (main passes `new UsbHotplugSource()`): a Yubico attach or detach
   * rescans at once, and again after `hotplugSettleMs`. Polling stays the fallback; omit for polling only.
   */
  hotplug?: HotplugSource;
  hotplugSettleMs?: number;
  onHotplugStatus?: (status: HotplugStatus) => void;
  /** How long a signature may block before the touch prompt shows (default 400 ms). */
  touchPromptDelayMs?: number;
}

export interface GenerateOnTokenRequest {
  tokenSerial: string;
  slot: GeneratableSlot;
  curve: 'P-256' | 'P-384';
  label: string;
  holder?: string | undefined;
  role?: string | undefined;
  gun?: string | undefined;
  /** The login secret bytes (user PIN, or the SO secret when `user` is 'so'); wiped (fill(0)) before this call returns, whatever the outcome. */
  pin: Uint8Array;
  /** 'so' on YubiKey PIV, where only the management key may generate (hardware.md §1). Default 'user'. */
  user?: 'user' | 'so' | undefined;
  confirmFinalTry?: boolean | undefined;
}

export const PIN_UNBLOCK_PATH =
  'Unblock it with the PUK (ykman piv access unblock-pin) or reset it with the SO PIN; Keyrite never tries a default PIN or management key.';

export class TokenCustody {
  private last: TokenListSnapshot;
  private timer: NodeJS.Timeout | null = null;
  private scanning: Promise<TokenListSnapshot> | null = null;
  private usb: { stop(): void } | null = null;
  private readonly settleTimers = new Set<NodeJS.Timeout>();
  private readonly signProgress: SignProgress;
  private readonly stopObservingSignatures: () => void;

  constructor(private readonly deps: TokenCustodyDeps) {
    this.last = this.snapshot([], deps.client === null ? (deps.unavailableReason ?? 'No PKCS#11 module is configured.') : null);
    this.signProgress = new SignProgress((p) => this.progress(p), deps.touchPromptDelayMs);
    this.stopObservingSignatures = deps.client?.observeSignatures?.(this.signProgress.handle) ?? (() => undefined);
  }

  /**
   * Starts the live token list: polls the slot list (the fallback that works everywhere, CI and
   * containers included) and pushes a snapshot whenever tokens, PIN states or the problem change.
   * A failed scan is a state ("problem") the GUI shows, never an unhandled rejection.
   */
  start(): void {
    if (this.deps.client === null || this.timer !== null) return;
    const tick = (): void => {
      void this.list().then(() => {
        if (this.timer === null) return;
        this.timer = setTimeout(tick, this.deps.pollIntervalMs ?? 1_500);
        this.timer.unref();
      });
    };
    this.timer = setTimeout(tick, 0);
    this.timer.unref();
    if (this.deps.hotplug) {
      this.usb = rescanOnUsbEvents(() => this.rescanAfterUsbEvent(), {
        source: this.deps.hotplug,
        ...(this.deps.onHotplugStatus ? { onStatus: this.deps.onHotplugStatus } : {}),
        onError: (error) => this.deps.onError?.('USB hotplug listener failed', error),
      });
    }
  }

  /** A YubiKey came or went: scan now, and once more when pcscd/CCID have caught up. */
  private rescanAfterUsbEvent(): void {
    if (this.timer === null) return;
    void this.list();
    const settle = setTimeout(() => {
      this.settleTimers.delete(settle);
      if (this.timer !== null) void this.list();
    }, this.deps.hotplugSettleMs ?? 750);
    settle.unref();
    this.settleTimers.add(settle);
  }

  /** Scans now (joining a scan under way) and pushes the snapshot to listeners when it changed. */
  list(): Promise<TokenListSnapshot> {
    const client = this.deps.client;
    if (client === null) return Promise.resolve(this.last);
    this.scanning ??= client
      .listTokens()
      .then(
        (tokens) => this.snapshot(tokens, null),
        (error: unknown) => {
          this.deps.onError?.('token list failed', error);
          return this.snapshot([], describe(error));
        },
      )
      .then((snapshot) => {
        this.publish(snapshot);
        return snapshot;
      })
      .finally(() => {
        this.scanning = null;
      });
    return this.scanning;
  }

  async keys(tokenSerial: string): Promise<TokenKeyView[]> {
    const client = this.requireClient();
    const [keys, entries] = await Promise.all([client.listKeys(tokenSerial), this.deps.inventory.list()]);
    const views: TokenKeyView[] = [];
    for (const key of keys) {
      const entry = findTokenEntry(entries, key);
      // The attestation recorded at enrollment, else a fresh read (SoftHSM: "no attestation", shown as such).
      const attestation = entry?.attestation ? recordedAttestationView(entry.attestation) : await this.attest(client, key);
      views.push(tokenKeyView(key, attestation, entry));
    }
    return views;
  }

  /**
   * Generates a key on the token and records it in the inventory. Refuses an occupied slot (no
   * silent replacement of a key), a locked PIN (names the unblock path) and an unconfirmed final
   * try, all before the PIN is sent. The PIN buffer is wiped in every case.
   */
  async generate(request: GenerateOnTokenRequest): Promise<{ key: TokenKeyView; entry: InventoryEntry }> {
    const { pin, tokenSerial } = request;
    try {
      const client = this.requireClient();
      const token = (await client.listTokens()).find((t) => t.serial === tokenSerial);
      if (!token) throw new TokensUnavailableError(`Token ${tokenSerial} is not connected any more. Reconnect it and try again.`);
      const user = request.user ?? 'user';
      // The user PIN's retry counter matters only when the user PIN is what we send.
      if (user === 'user') checkPinState(token, request.confirmFinalTry === true);
      const ckaId = ckaIdForSlot(request.slot);
      const occupant = (await client.listKeys(tokenSerial)).find((k) => k.ckaId === ckaId);
      if (occupant) {
        throw new SlotOccupiedError(
          `Slot ${request.slot} of token ${tokenSerial} already holds key ${occupant.keyIds.notary.slice(0, 12)}. Keyrite does not replace keys; choose another slot.`,
        );
      }
      this.progress({ operation: 'login', phase: 'working', tokenSerial, message: user === 'so' ? 'Checking the management key…' : 'Checking the PIN…' });
      await client.login(tokenSerial, pin, user);
      try {
        this.progress({ operation: 'generate', phase: 'touch', tokenSerial, message: `Generating a ${request.curve} key in slot ${request.slot}. If your YubiKey blinks, touch it.` });
        const enrolled = await enrollOnToken(
          { client, inventory: this.deps.inventory, ...(this.deps.clock ? { now: this.deps.clock } : {}) },
          {
            tokenSerial,
            tokenLabel: token.label || null,
            slot: request.slot,
            curve: request.curve,
            label: request.label || null,
            holder: request.holder ?? null,
            roles: request.role ? [request.role] : [],
            gun: request.gun ?? null,
          },
        );
        const { key, entry } = enrolled;
        this.progress({ operation: 'generate', phase: 'done', tokenSerial, message: `Key ${entry.id.slice(0, 12)} generated in slot ${request.slot}.` });
        return { key: tokenKeyView(key, recordedAttestationView(enrolled.attestation), entry), entry };
      } finally {
        await client.logout(tokenSerial).catch((error: unknown) => this.deps.onError?.('logout after generate failed', error));
      }
    } catch (error) {
      const cancelled = error instanceof Error && error.name === 'FunctionCanceledError';
      this.progress({ operation: 'generate', phase: cancelled ? 'cancelled' : 'failed', tokenSerial, message: describe(error) });
      throw error;
    } finally {
      pin.fill(0);
      // A wrong PIN changes the token's PIN state: show it at once instead of at the next poll.
      void this.list();
    }
  }

  /** Cancels the token operation in flight (the host is restarted; nothing is produced). */
  cancel(): boolean {
    return this.deps.client?.cancel() ?? false;
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.usb?.stop();
    this.usb = null;
    for (const settle of this.settleTimers) clearTimeout(settle);
    this.settleTimers.clear();
    this.stopObservingSignatures();
    this.signProgress.stop();
    await this.deps.client?.close();
  }

  private requireClient(): TokenOperations {
    if (this.deps.client === null) throw new TokensUnavailableError(this.deps.unavailableReason ?? 'No PKCS#11 module is configured.');
    return this.deps.client;
  }

  private async attest(client: TokenOperations, key: TokenKey): Promise<AttestationView> {
    try {
      return attestationView((await readTokenAttestation(client, key, this.deps.clock ? { at: this.deps.clock() } : {})).result);
    } catch (error) {
      return { badge: 'unverifiable', reason: `the attestation could not be read: ${describe(error)}`, serial: null, firmware: null, pinPolicy: null, touchPolicy: null };
    }
  }

  private snapshot(tokens: TokenInfo[], problem: string | null): TokenListSnapshot {
    return { modulePath: this.deps.modulePath, tokens, problem, scannedAt: (this.deps.clock?.() ?? new Date()).toISOString() };
  }

  private publish(snapshot: TokenListSnapshot): void {
    const same = JSON.stringify({ ...this.last, scannedAt: '' }) === JSON.stringify({ ...snapshot, scannedAt: '' });
    this.last = snapshot;
    if (!same) this.deps.onTokensChanged?.(snapshot);
  }

  private progress(progress: TokenProgress): void {
    this.deps.onProgress?.(progress);
  }
}

function checkPinState(token: TokenInfo, confirmFinalTry: boolean): void {
  if (token.pinState === 'locked') {
    throw new PinLockedError(`The PIN of token ${token.serial} is locked. ${PIN_UNBLOCK_PATH}`, { tokenSerial: token.serial, pinState: 'locked' });
  }
  if (token.pinState === 'final-try' && !confirmFinalTry) {
    throw new FinalTryNotConfirmedError(`Token ${token.serial} has ONE PIN try left: a wrong PIN locks it. Confirm that you want to use the final try.`);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
