/**
 * The GUI-facing facade over the ceremony engine (electron/core/ceremonies): plain-data views in,
 * plain-data views out, one token client of its own (a token-host process), and the PIN handled
 * exactly once per signing sitting (logged in, signed, logged out, bytes wiped). Main stays thin:
 * it resolves pick ids to paths and calls these methods.
 */
import { loadRepoState, type KnownKey } from '../../../shared/ceremony';
import type { RepoState } from '../../../shared/ceremony/types';
import type { CeremonyDetail, CeremonyProgressEvent, CeremonySummary, RequestPreview } from '../../../shared/ipc/ceremony';
import type { CryptoProvider } from '../../../shared/tuf/crypto';
import { readBundleFile } from '../bundles';
import {
  CeremonyService,
  exportPartial,
  exportSigned,
  finalizeCeremony,
  mergePartial,
  signCeremony,
  SignerNotRequiredError,
  TokenCeremonySigner,
  type CeremonyView,
  type EnginePlan,
  type KeyAccess,
  type KeySpec,
} from '../ceremonies';
import { FinalTryNotConfirmedError, TokensUnavailableError } from '../custody/errors';
import type { InventoryStore } from '../inventory';
import { Journal } from '../journal';
import type { KeyStore } from '../keys';
import type { HostSpawner, TokenHostLaunch } from '../tokens/host-process';
import { TokenClient } from '../tokens/token-client';
import { mapped, PinNeededError, RequestBundleError } from './errors';
import { detailOf, keyView, localKey, signatureView, summaryOf } from './views';

export interface CeremonyDeskDeps {
  workspaceDir: string;
  clock: () => Date;
  crypto: CryptoProvider;
  keyStore: KeyStore;
  inventory: InventoryStore;
  /** The token host for signing sittings, or why there is none. */
  tokenHost: { launch: TokenHostLaunch | HostSpawner; modulePath: string } | { unavailable: string };
  /**
   * The app's one token client (custody's, retained for the desk): two host processes must not
   * open the same PKCS#11 module. Without it (CLI-like use) the desk starts a host of its own.
   */
  tokenClient?: () => TokenClient | null;
  onProgress?: (event: CeremonyProgressEvent) => void;
}

export type NewKeyChoice = { kind: 'token'; tokenSerial: string; ckaId: string } | { kind: 'file'; keyId: string };

export interface RotateRootInput {
  requestPath: string;
  add: NewKeyChoice[];
  remove: string[];
  threshold: number;
  expires?: string | undefined;
}

export class CeremonyDesk {
  readonly service: CeremonyService;
  /** Which ceremony and token a signature in flight belongs to (for the "touch" prompt). */
  private signing: { id: string; tokenSerial: string } | null = null;
  private readonly unsubscribers: (() => void)[] = [];

  constructor(private readonly deps: CeremonyDeskDeps) {
    const host = deps.tokenHost;
    this.service = new CeremonyService({
      workspaceDir: deps.workspaceDir,
      clock: deps.clock,
      crypto: deps.crypto,
      keyStore: deps.keyStore,
      inventory: deps.inventory,
      journals: (file) => Journal.open(file, { clock: deps.clock }),
      tokenClients: () => {
        if (deps.tokenClient) {
          const shared = deps.tokenClient();
          if (shared === null) throw new TokensUnavailableError('unavailable' in host ? host.unavailable : 'No token host is configured.');
          this.unsubscribers.push(shared.onRequestSent((type) => this.requestSent(type)));
          return shared;
        }
        if ('unavailable' in host) throw new TokensUnavailableError(host.unavailable);
        return new TokenClient({ launch: host.launch, modulePath: host.modulePath, onRequestSent: (type) => this.requestSent(type) });
      },
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

  /** Reads a request bundle and shows what a rotation starts from (repository, root keys, threshold). */
  previewRequest(pickId: string, displayPath: string, filePath: string): Promise<RequestPreview> {
    return mapped(async () => {
      const state = await this.readRequest(filePath);
      const known = await this.service.knownKeys();
      const loaded = loadRepoState(state, this.service.env(), known);
      const root = loaded.root;
      const rootRole = root?.signed.roles.get('root') ?? null;
      const rootKeys = (rootRole?.keyids ?? []).map((keyid) => loaded.keys.get(keyid)).filter((k) => k !== undefined);
      return {
        pickId,
        displayPath,
        dialect: state.dialect,
        repository: state.name,
        source: describeSource(state),
        createdAt: state.createdAt,
        rootVersion: root?.signed.version ?? 0,
        rootExpires: typeof root?.signedJson['expires'] === 'string' ? root.signedJson['expires'] : null,
        rootThreshold: rootRole?.threshold ?? null,
        rootKeys: rootKeys.map((k) => keyView(localKey(k, this.deps.crypto, known))),
      };
    });
  }

  startRotateRoot(input: RotateRootInput): Promise<CeremonyDetail> {
    return mapped(async () => {
      const request = await this.readRequest(input.requestPath);
      const add: KeySpec[] = input.add.map((k) => (k.kind === 'token' ? { kind: 'token', tokenSerial: k.tokenSerial, ckaId: k.ckaId } : { kind: 'file', keyId: k.keyId }));
      const plan: EnginePlan = {
        kind: 'rotate-root',
        ...(add.length > 0 ? { add } : {}),
        ...(input.remove.length > 0 ? { remove: input.remove } : {}),
        threshold: input.threshold,
        ...(input.expires === undefined ? {} : { expires: input.expires }),
      };
      return this.detail(await this.service.start(plan, request, this.keyAccess()));
    });
  }

  resume(id: string): Promise<CeremonyDetail> {
    return mapped(async () => this.detail(await this.service.resume(id, this.keyAccess())));
  }

  confirm(id: string, typed: string): Promise<CeremonyDetail> {
    return mapped(async () => this.detail(await this.service.confirm(id, typed, 'gui')));
  }

  /**
   * One signing sitting with one token: log in with the PIN (the client wipes the bytes once sent),
   * sign every open task of every key of this token that the proposal needs (each signature
   * verified on arrival and journalled), log out. `pin` is wiped here whatever happens.
   */
  sign(id: string, tokenSerial: string, pin: Uint8Array, confirmFinalTry: boolean): Promise<{ signed: ReturnType<typeof signatureView>[]; detail: CeremonyDetail }> {
    return mapped(async () => {
      const owned = Uint8Array.from(pin);
      pin.fill(0);
      let loggedIn = false;
      try {
        const view = await this.service.open(id);
        const known = await this.service.knownKeys();
        const wanted = (view.proposal?.keys ?? []).map((k) => localKey(k, this.deps.crypto, known)).filter((k) => k.signer.kind === 'token' && k.signer.tokenSerial === tokenSerial);
        if (wanted.length === 0) throw new SignerNotRequiredError(`token ${tokenSerial} holds none of the keys this ceremony needs`);
        const client = this.service.tokens();
        const info = (await client.listTokens()).find((t) => t.serial === tokenSerial);
        if (!info) throw new TokensUnavailableError(`token ${tokenSerial} is not attached: insert it and try again`);
        if (info.pinState === 'final-try' && !confirmFinalTry) throw new FinalTryNotConfirmedError(`one PIN try is left on token ${tokenSerial}: confirm the final try first`);
        this.emit({ id, phase: 'working', tokenSerial, message: `Logging in to token ${tokenSerial}…` });
        await client.login(tokenSerial, owned);
        loggedIn = true;
        const onToken = await client.listKeys(tokenSerial);
        const signed: ReturnType<typeof signatureView>[] = [];
        const seen = new Set<string>();
        for (const key of wanted) {
          const ref = key.signer.kind === 'token' ? key.signer : null;
          const tokenKey = onToken.find((k) => ref !== null && k.ckaId === ref.ckaId && k.spkiSha256 === ref.spkiSha256);
          if (!tokenKey || seen.has(tokenKey.spkiSha256)) continue;
          seen.add(tokenKey.spkiSha256);
          const signer = new TokenCeremonySigner(client, tokenKey, { holder: key.holder ?? null });
          this.signing = { id, tokenSerial };
          try {
            const outcome = await signCeremony(this.service, id, signer);
            signed.push(...outcome.signed.map(signatureView));
          } finally {
            this.signing = null;
            await signer.close();
          }
        }
        if (seen.size === 0) throw new SignerNotRequiredError(`token ${tokenSerial} no longer holds the key this ceremony names (CKA_ID or public key differs)`);
        this.emit({ id, phase: 'done', tokenSerial, message: `Token ${tokenSerial} added ${signed.length} verified signature${signed.length === 1 ? '' : 's'}.` });
        return { signed, detail: await this.detail(await this.service.open(id), known) };
      } catch (error) {
        this.emit({ id, phase: 'failed', tokenSerial, message: error instanceof Error ? error.message : String(error) });
        throw error;
      } finally {
        owned.fill(0);
        if (loggedIn) await this.service.tokens().logout(tokenSerial).catch(() => undefined);
      }
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
    return detailOf(view, this.deps.crypto, known ?? (await this.service.knownKeys()));
  }

  /**
   * Before the signing step, the GUI resolves only public keys. Acts that need a token login
   * (generating a key, minting a Notary root certificate) are refused with a clear message.
   */
  private keyAccess(): KeyAccess {
    const refuse = (serial: string): never => {
      throw new PinNeededError(`this step needs the PIN of token ${serial} before signing (a key generated on it, or a Notary root certificate); use "keyrite ceremony" for it`);
    };
    return {
      ensureTokenLogin: (serial) => Promise.resolve(refuse(serial)),
      openSigner: (ref) => Promise.resolve(refuse(ref.kind === 'token' ? ref.tokenSerial : 'key file')),
    };
  }

  private async readRequest(filePath: string): Promise<RepoState> {
    const bundle = await readBundleFile(filePath);
    if (bundle.content.kind !== 'request' || bundle.content.state === undefined) {
      throw new RequestBundleError(`${filePath} is a ${bundle.content.kind} bundle; choose a request bundle (from "keyrite pull")`);
    }
    return bundle.content.state;
  }

  private requestSent(type: string): void {
    if (type !== 'sign' || this.signing === null) return;
    this.emit({ id: this.signing.id, phase: 'touch', tokenSerial: this.signing.tokenSerial, message: `Signing with token ${this.signing.tokenSerial}: touch your YubiKey if it blinks.` });
  }

  private emit(event: CeremonyProgressEvent): void {
    this.deps.onProgress?.(event);
  }
}

function describeSource(state: RepoState): string {
  const s = state.source;
  return s.kind === 'notary-server' ? `${s.url} (GUN ${s.gun})` : s.kind === 'tuf-url' ? s.url : s.path;
}
