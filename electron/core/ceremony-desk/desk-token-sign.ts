/**
 * One signing sitting with one token: log in with the PIN (the client wipes the bytes it sends),
 * sign every open task of every key of this token the proposal needs (each signature verified on
 * arrival and journalled), log out. The caller's PIN copy is wiped whatever happens.
 */
import type { CollectedSignature } from '../../../shared/ceremony/types';
import { signCeremony, SignerNotRequiredError, TokenCeremonySigner, type CeremonyService } from '../ceremonies';
import { FinalTryNotConfirmedError, TokensUnavailableError } from '../custody/errors';
import { loginWithPin } from './desk-logins';
import { localKey } from './views';

export interface TokenSitting {
  id: string;
  tokenSerial: string;
  /** Owned by the sitting: wiped before it returns. */
  pin: Uint8Array;
  confirmFinalTry: boolean;
  /** Marks the signature in flight (for the "touch your token" prompt). */
  onSigning: (active: boolean) => void;
  onLogin: () => void;
}

export async function signWithToken(service: CeremonyService, sitting: TokenSitting): Promise<CollectedSignature[]> {
  const { id, tokenSerial, pin } = sitting;
  let loggedIn = false;
  try {
    const view = await service.open(id);
    const known = await service.knownKeys();
    const wanted = (view.proposal?.keys ?? []).map((k) => localKey(k, service.deps.crypto, known)).filter((k) => k.signer.kind === 'token' && k.signer.tokenSerial === tokenSerial);
    if (wanted.length === 0) throw new SignerNotRequiredError(`token ${tokenSerial} holds none of the keys this ceremony needs`);
    const client = service.tokens();
    const info = (await client.listTokens()).find((t) => t.serial === tokenSerial);
    if (!info) throw new TokensUnavailableError(`token ${tokenSerial} is not attached: insert it and try again`);
    if (info.pinState === 'final-try' && !sitting.confirmFinalTry) throw new FinalTryNotConfirmedError(`one PIN try is left on token ${tokenSerial}: confirm the final try first`);
    sitting.onLogin();
    await loginWithPin(client, tokenSerial, pin);
    loggedIn = true;
    const onToken = await client.listKeys(tokenSerial);
    const signed: CollectedSignature[] = [];
    const seen = new Set<string>();
    for (const key of wanted) {
      const ref = key.signer.kind === 'token' ? key.signer : null;
      const tokenKey = onToken.find((k) => ref !== null && k.ckaId === ref.ckaId && k.spkiSha256 === ref.spkiSha256);
      if (!tokenKey || seen.has(tokenKey.spkiSha256)) continue;
      seen.add(tokenKey.spkiSha256);
      // PIV slot 9c keys want the PIN again for every signature (CKA_ALWAYS_AUTHENTICATE).
      const signer = new TokenCeremonySigner(client, tokenKey, { holder: key.holder ?? null, pin: tokenKey.alwaysAuthenticate === true ? Uint8Array.from(pin) : null });
      sitting.onSigning(true);
      try {
        signed.push(...(await signCeremony(service, id, signer)).signed);
      } finally {
        sitting.onSigning(false);
        await signer.close();
      }
    }
    if (seen.size === 0) throw new SignerNotRequiredError(`token ${tokenSerial} no longer holds the key this ceremony names (CKA_ID or public key differs)`);
    return signed;
  } finally {
    pin.fill(0);
    // Best effort: a token pulled out meanwhile is logged out already.
    if (loggedIn) await service.tokens().logout(tokenSerial).catch(() => undefined);
  }
}
