/**
 * The GUI-facing facade over the ceremony engine (electron/core/ceremonies): plain-data views in,
 * plain-data views out, the app's token client (custody's, or a host of its own), and every PIN
 * handled once (logged in, used, logged out, bytes wiped). Each operation lives in a desk-*.ts
 * file; this class wires them to the service. Main stays thin: it resolves pick ids to paths.
 */
import type { KnownKey } from '../../../shared/ceremony';
import type { CeremonyDetail, CeremonyProgressEvent, CeremonySummary, RequestPreview } from '../../../shared/ipc/ceremony';
import type { ImpactView } from '../../../shared/ipc/ceremony-plans';
import { CeremonyPhaseError, exportPartial, exportSigned, finalizeCeremony, keysOnTokens, mergePartial, withLostTokens, withTrustedBaseline, type CeremonyService, type CeremonyView } from '../ceremonies';
import { TokensUnavailableError } from '../custody/errors';
import type { NetworkMode } from '../net/network-policy';
import { signWithKeyFile, type FilePassphrase } from './desk-file-sign';
import { impactOf } from './desk-impact';
import { LoginKeyAccess, type DeskLogin, type DeskUnlock } from './desk-logins';
import { previewOf } from './desk-preview';
import { pullRequestBundle, type PulledRequestFile, type PullSource } from './desk-pull';
import { readRequest } from './desk-request';
import { createDeskService } from './desk-service';
import { signWithToken } from './desk-token-sign';
import type { CeremonyDeskDeps, SignResult, StartInput } from './desk-types';
import { mapped } from './errors';
import { enginePlanOf, keyActsBeforeSigning } from './plan-input';
import { detailOf, signatureView, summaryOf } from './views';

export type { CeremonyDeskDeps, SignResult, StartInput } from './desk-types';
export type { DeskLogin, DeskUnlock, FilePassphrase, PullSource, PulledRequestFile };

export class CeremonyDesk {
  readonly service: CeremonyService;
  /** Which ceremony and token a signature in flight belongs to (for the "touch" prompt). */
  private signing: { id: string | null; tokenSerial: string | null } | null = null;
  /** Ceremonies whose "Yes" gate was passed in this run of the app (one sitting). */
  private readonly confirmedHere = new Set<string>();
  private readonly unsubscribers: (() => void)[] = [];

  constructor(private readonly deps: CeremonyDeskDeps) {
    this.service = createDeskService(deps, {
      onRequestSent: (type) => this.requestSent(type),
      onSubscribed: (unsubscribe) => this.unsubscribers.push(unsubscribe),
    });
  }

  list(): Promise<CeremonySummary[]> {
    return mapped(async () => {
      const views = await this.service.list();
      return views.map(summaryOf).sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    });
  }

  get(id: string): Promise<CeremonyDetail> {
    return mapped(async () => this.detail(await this.service.open(id)));
  }

  /** Reads a request bundle: repository, root, every role and key, server keys, target changes. */
  previewRequest(pickId: string, displayPath: string, filePath: string): Promise<RequestPreview> {
    return mapped(async () => previewOf(await readRequest(filePath), { pickId, displayPath }, this.service.env(), await this.service.knownKeys()));
  }

  /**
   * Starts any ceremony kind from a request bundle. Tokens the plan must use before signing
   * (generated keys, Notary root certificates) are logged in to first with `logins`, so a missing
   * or wrong PIN is refused before anything is journalled; every PIN is wiped and every token
   * logged out before this returns.
   */
  start(input: StartInput): Promise<CeremonyDetail> {
    return mapped(async () => {
      const access = this.loginAccess(input.logins, input.unlocks);
      wipeLogins(input.logins);
      try {
        const request = await readRequest(input.requestPath);
        // A lost token becomes its keys (from the inventory); recover compares against the targets this workstation last trusted.
        const plan = await withTrustedBaseline(this.service, await withLostTokens(this.service, await enginePlanOf(input.plan, input.targetFiles), request), request);
        await access.prepare(keyActsBeforeSigning(plan, request.dialect));
        // A Notary root certificate is signed on the token during start: show the touch prompt then too.
        this.signing = { id: null, tokenSerial: null };
        return await this.detail(await this.service.start(plan, request, access));
      } finally {
        this.signing = null;
        await access.close();
      }
    });
  }

  /** Re-derives the state from the journal and finishes interrupted key acts (with PINs when one needs a token). */
  resume(id: string, logins: readonly DeskLogin[] = [], unlocks: readonly DeskUnlock[] = []): Promise<CeremonyDetail> {
    return mapped(async () => {
      const access = this.loginAccess(logins, unlocks);
      wipeLogins(logins);
      try {
        this.signing = { id, tokenSerial: null };
        return await this.detail(await this.service.resume(id, access));
      } finally {
        this.signing = null;
        await access.close();
      }
    });
  }

  /** Recover's first screen: affected roles, what an attacker can sign, the minimal plan. */
  impact(requestPath: string, compromised: readonly string[], lost: readonly string[], lostTokens: readonly string[] = []): Promise<ImpactView> {
    return mapped(async () => {
      const request = await readRequest(requestPath);
      const onTokens = lostTokens.length > 0 ? Object.values(await keysOnTokens(this.service, request, lostTokens)).flat() : [];
      const allLost = [...new Set([...lost, ...onTokens])].filter((k) => !compromised.includes(k));
      return impactOf(request, compromised, allLost, this.service.env(), await this.service.knownKeys());
    });
  }

  /** Online mode only: pulls a request bundle into `savePath` (never over an existing file). */
  pull(source: PullSource, savePath: string): Promise<PulledRequestFile> {
    return mapped(async () => pullRequestBundle(this.networkMode(), source, savePath));
  }

  /**
   * The exactly-"Yes" gate, once per sitting (review F10): a ceremony confirmed in an earlier run
   * of the app is shown unconfirmed until this sitting types "Yes" again, which is journalled as
   * this sitting's confirmation.
   */
  confirm(id: string, typed: string): Promise<CeremonyDetail> {
    return mapped(async () => {
      const earlier = (await this.service.open(id)).confirmed;
      const view = await this.service.confirm(id, typed, 'gui', earlier ? { via: 'gui', signers: [] } : undefined);
      this.confirmedHere.add(id);
      return this.detail(view);
    });
  }

  /** One signing sitting with one token (see desk-token-sign.ts). `pin` is wiped here whatever happens. */
  sign(id: string, tokenSerial: string, pin: Uint8Array, confirmFinalTry: boolean): Promise<SignResult> {
    return mapped(async () => {
      const owned = Uint8Array.from(pin);
      pin.fill(0);
      try {
        this.requireSittingConfirmed(id);
        const signed = await signWithToken(this.service, {
          id,
          tokenSerial,
          pin: owned,
          confirmFinalTry,
          onLogin: () => this.emit({ id, phase: 'working', tokenSerial, message: `Logging in to token ${tokenSerial}…` }),
          onSigning: (active) => {
            this.signing = active ? { id, tokenSerial } : null;
          },
        });
        this.emit({ id, phase: 'done', tokenSerial, message: `Token ${tokenSerial} added ${signed.length} verified signature${signed.length === 1 ? '' : 's'}.` });
        return { signed: signed.map(signatureView), detail: await this.detail(await this.service.open(id)) };
      } catch (error) {
        this.emit({ id, phase: 'failed', tokenSerial, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        owned.fill(0);
      }
    });
  }

  /** Signs every open task with one workspace key file (passphrase given once, or the keychain's). */
  signWithFile(id: string, keyId: string, secret: FilePassphrase): Promise<SignResult> {
    return mapped(async () => {
      this.requireSittingConfirmed(id);
      const outcome = await signWithKeyFile({ service: this.service, keyStore: this.deps.keyStore, inventory: this.deps.inventory, secrets: this.deps.secrets }, id, keyId, secret);
      return { signed: outcome.signed.map(signatureView), detail: await this.detail(outcome.view) };
    });
  }

  cancel(): { cancelled: boolean } {
    const signing = this.signing;
    let cancelled = false;
    try {
      cancelled = this.service.tokens().cancel();
    } catch (error) {
      // No token host (none configured): there is nothing in flight to cancel.
      if (!(error instanceof TokensUnavailableError)) throw error;
    }
    if (cancelled) this.emit({ id: signing?.id ?? null, phase: 'cancelled', tokenSerial: signing?.tokenSerial ?? null, message: 'The token operation was cancelled.' });
    return { cancelled };
  }

  finalize(id: string): Promise<CeremonyDetail> {
    return mapped(async () => this.detail(await finalizeCeremony(this.service, id)));
  }

  exportSigned(id: string, filePath: string): Promise<{ displayPath: string; sha256: string; journalHead: string }> {
    return mapped(async () => {
      const out = await exportSigned(this.service, id, filePath);
      return { displayPath: out.path, sha256: out.sha256, journalHead: out.journalHead };
    });
  }

  exportPartial(id: string, filePath: string): Promise<{ displayPath: string; sha256: string; journalHead: string }> {
    return mapped(async () => {
      const out = await exportPartial(this.service, id, filePath);
      return { displayPath: out.path, sha256: out.sha256, journalHead: out.journalHead };
    });
  }

  mergePartial(id: string, filePath: string): Promise<CeremonyDetail> {
    return mapped(async () => this.detail((await mergePartial(this.service, id, filePath)).view));
  }

  abort(id: string, reason: string): Promise<CeremonyDetail> {
    return mapped(async () => this.detail(await this.service.abort(id, reason)));
  }

  close(): Promise<void> {
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    return this.service.close();
  }

  private async detail(view: CeremonyView, known?: KnownKey[]): Promise<CeremonyDetail> {
    const detail = detailOf(view, this.deps.crypto, known ?? (await this.service.knownKeys()));
    return { ...detail, confirmed: detail.confirmed && this.confirmedHere.has(view.id) };
  }

  private requireSittingConfirmed(id: string): void {
    if (!this.confirmedHere.has(id)) throw new CeremonyPhaseError(`ceremony ${id} is not confirmed in this sitting: read the review and type exactly "Yes" before signing; nothing was signed`);
  }

  private loginAccess(logins: readonly DeskLogin[] = [], unlocks: readonly DeskUnlock[] = []): LoginKeyAccess {
    const onLogin = (tokenSerial: string) => this.emit({ id: this.signing?.id ?? null, phase: 'working', tokenSerial, message: `Logging in to token ${tokenSerial}…` });
    return new LoginKeyAccess({ tokens: () => this.service.tokens(), keyStore: this.deps.keyStore, inventory: this.deps.inventory, onLogin }, logins, unlocks);
  }

  private networkMode(): NetworkMode {
    const mode = this.deps.networkMode ?? 'offline';
    return typeof mode === 'function' ? mode() : mode;
  }

  private requestSent(type: string): void {
    if (type !== 'sign' || this.signing === null) return;
    const { id, tokenSerial } = this.signing;
    const what = tokenSerial === null ? 'Signing with a token (a Notary root certificate)' : `Signing with token ${tokenSerial}`;
    this.emit({ id, phase: 'touch', tokenSerial, message: `${what}: touch your YubiKey if it blinks.` });
  }

  private emit(event: CeremonyProgressEvent): void {
    this.deps.onProgress?.(event);
  }
}

/** The access owns copies: the caller's PIN bytes are wiped at once (as `sign` does). */
function wipeLogins(logins: readonly DeskLogin[] | undefined): void {
  for (const login of logins ?? []) login.pin.fill(0);
}
