import { constants, createHash, createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto';
import type {
  CryptoProvider,
  KeyAlgorithm,
  KeyImportResult,
  KeyMaterial,
  PublicKeyHandle,
  PublicKeyInfo,
  VerifyMethod,
} from '../../../shared/tuf/crypto';
import { isSingleDerElement } from './der';
import { parseCertificateBundle } from './x509-info';

/** Handle carrying the cached native KeyObject (re-creating it per verify halves ed25519 speed). */
class NodeKeyHandle implements PublicKeyHandle {
  constructor(
    readonly info: PublicKeyInfo,
    readonly keyObject: KeyObject,
  ) {}
}

const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Small-order Ed25519 points (libsodium's blocklist, compared with the sign bit cleared): a
 * signature by such a "key" can verify for many messages, so the key is refused outright.
 */
const ED25519_SMALL_ORDER = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
];

const MAX_CACHE = 10_000;

type Family = 'ed25519' | 'ecdsa' | 'rsa';

/** The node:crypto CryptoProvider: OpenSSL (or BoringSSL in Electron) behind the pure interface. */
export class NodeCryptoProvider implements CryptoProvider {
  private readonly cache = new Map<string, KeyImportResult>();

  sha256(data: Uint8Array): Uint8Array {
    return new Uint8Array(createHash('sha256').update(data).digest());
  }

  sha512(data: Uint8Array): Uint8Array {
    return new Uint8Array(createHash('sha512').update(data).digest());
  }

  importKey(key: KeyMaterial): KeyImportResult {
    const cacheKey = `${key.keytype}\u0000${key.scheme ?? ''}\u0000${key.public}`;
    const hit = this.cache.get(cacheKey);
    if (hit) return hit;
    const result = this.importUncached(key);
    // A bounded cache: 10^6 distinct keys in hostile metadata must not grow memory without limit.
    if (this.cache.size >= MAX_CACHE) this.cache.clear();
    this.cache.set(cacheKey, result);
    return result;
  }

  verify(handle: PublicKeyHandle, method: VerifyMethod, signature: Uint8Array, message: Uint8Array): boolean {
    if (!(handle instanceof NodeKeyHandle)) return false;
    const { algorithm } = handle.info;
    const key = handle.keyObject;
    try {
      switch (method) {
        case 'ed25519':
          return algorithm === 'ed25519' && signature.length === 64 && nodeVerify(null, message, key, signature);
        case 'ecdsa-sha256-der':
        case 'ecdsa-sha384-der':
          return (
            (algorithm === 'ecdsa-p256' || algorithm === 'ecdsa-p384') &&
            nodeVerify(method === 'ecdsa-sha256-der' ? 'sha256' : 'sha384', message, { key, dsaEncoding: 'der' }, signature)
          );
        case 'ecdsa-sha256-raw': {
          const width = algorithm === 'ecdsa-p256' ? 64 : algorithm === 'ecdsa-p384' ? 96 : -1;
          return signature.length === width && nodeVerify('sha256', message, { key, dsaEncoding: 'ieee-p1363' }, signature);
        }
        case 'rsa-pss-sha256':
        case 'rsa-pss-sha256-any-salt': {
          const saltLength = method === 'rsa-pss-sha256' ? 32 : constants.RSA_PSS_SALTLEN_AUTO;
          return algorithm === 'rsa' && nodeVerify('sha256', message, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength }, signature);
        }
        case 'rsa-pkcs1v15-sha256':
          return algorithm === 'rsa' && nodeVerify('sha256', message, { key, padding: constants.RSA_PKCS1_PADDING }, signature);
      }
    } catch {
      // OpenSSL throws on some malformed signatures (e.g. wrong RSA length): that is a failed check.
      return false;
    }
  }

  private importUncached(key: KeyMaterial): KeyImportResult {
    const family = familyOf(key.keytype);
    if (family === null) {
      return { ok: false, reason: 'unsupported-keytype', message: `unsupported keytype ${JSON.stringify(key.keytype)}` };
    }
    const notary = key.scheme === null;
    try {
      if (key.keytype.endsWith('-x509')) return this.importCertificate(key, family, notary);
      const trimmed = key.public.trim();
      if (family === 'ed25519' && !trimmed.startsWith('-----BEGIN')) return this.importEd25519(key.public, notary);
      if (trimmed.startsWith('-----BEGIN')) {
        if (!/^-----BEGIN PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END PUBLIC KEY-----$/.test(trimmed)) {
          return { ok: false, reason: 'malformed', message: 'public key PEM is not a single PUBLIC KEY block' };
        }
        return finish(createPublicKey({ key: trimmed, format: 'pem' }), family, null);
      }
      if (!notary && family === 'ecdsa' && /^04([0-9a-f]{2})+$/i.test(key.public)) {
        return finish(ecPointToKey(Buffer.from(key.public, 'hex')), family, null);
      }
      const der = notary ? decodeBase64(key.public) : decodeHex(key.public);
      if (der === null) return { ok: false, reason: 'malformed', message: `public key is not valid ${notary ? 'base64' : 'hex or PEM'}` };
      if (!isSingleDerElement(der)) return { ok: false, reason: 'malformed', message: 'public key DER has trailing or missing bytes' };
      return finish(createPublicKey({ key: Buffer.from(der), format: 'der', type: 'spki' }), family, null);
    } catch (error) {
      return { ok: false, reason: 'malformed', message: `cannot import ${key.keytype} key: ${(error as Error).message}` };
    }
  }

  private importEd25519(value: string, notary: boolean): KeyImportResult {
    const raw = notary ? decodeBase64(value) : decodeHex(value);
    if (raw === null || raw.length !== 32) {
      return { ok: false, reason: 'malformed', message: 'ed25519 public key must be 32 bytes' };
    }
    const keyObject = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    return finish(keyObject, 'ed25519', null);
  }

  private importCertificate(key: KeyMaterial, family: Family, notary: boolean): KeyImportResult {
    const text = notary ? decodeBase64(key.public) : new TextEncoder().encode(key.public);
    if (text === null) return { ok: false, reason: 'malformed', message: 'certificate is not valid base64' };
    const bundle = parseCertificateBundle(Buffer.from(text).toString('latin1'));
    if (!bundle.ok) return { ok: false, reason: 'bad-certificate', message: bundle.message };
    return finish(bundle.leaf.publicKey, family, bundle);
  }
}

function isSmallOrder(raw: Uint8Array): boolean {
  const masked = Buffer.from(raw);
  masked[31] = masked[31]! & 0x7f;
  return ED25519_SMALL_ORDER.includes(masked.toString('hex'));
}

function familyOf(keytype: string): Family | null {
  if (keytype === 'ed25519') return 'ed25519';
  if (keytype === 'ecdsa' || keytype === 'ecdsa-x509' || keytype.startsWith('ecdsa-sha2-nistp')) return 'ecdsa';
  if (keytype === 'rsa' || keytype === 'rsa-x509') return 'rsa';
  return null;
}

function finish(
  keyObject: KeyObject,
  family: Family,
  bundle: { chain: PublicKeyInfo['chain'] } | null,
): KeyImportResult {
  const algorithm = algorithmOf(keyObject);
  const expected: Record<Family, KeyAlgorithm[]> = { ed25519: ['ed25519'], ecdsa: ['ecdsa-p256', 'ecdsa-p384'], rsa: ['rsa'] };
  if (!expected[family].includes(algorithm)) {
    return { ok: false, reason: 'algorithm-mismatch', message: `keytype says ${family} but the key is ${algorithm}` };
  }
  const spkiDer = new Uint8Array(keyObject.export({ type: 'spki', format: 'der' }));
  if (algorithm === 'ed25519' && isSmallOrder(spkiDer.subarray(spkiDer.length - 32))) {
    return { ok: false, reason: 'invalid-point', message: 'ed25519 public key is a small-order point' };
  }
  const bits =
    algorithm === 'rsa' ? (keyObject.asymmetricKeyDetails?.modulusLength ?? null) : algorithm === 'ecdsa-p384' ? 384 : 256;
  const info: PublicKeyInfo = {
    algorithm,
    bits,
    weakReason: algorithm === 'rsa' && (bits ?? 0) < 2048 ? `RSA key of ${bits ?? '?'} bits (minimum 2048)` : null,
    spkiDer,
    spkiPem: keyObject.export({ type: 'spki', format: 'pem' }).toString(),
    identity: createHash('sha256').update(spkiDer).digest('hex'),
    cert: bundle?.chain[0] ?? null,
    chain: bundle?.chain ?? [],
  };
  return { ok: true, handle: new NodeKeyHandle(info, keyObject) };
}

function algorithmOf(k: KeyObject): KeyAlgorithm {
  switch (k.asymmetricKeyType) {
    case 'ed25519':
      return 'ed25519';
    case 'rsa':
      return 'rsa';
    case 'ec': {
      const curve = k.asymmetricKeyDetails?.namedCurve;
      return curve === 'prime256v1' ? 'ecdsa-p256' : curve === 'secp384r1' ? 'ecdsa-p384' : 'unknown';
    }
    default:
      return 'unknown';
  }
}

/** Uncompressed SEC1 point (sigstore's early hex keys) to a KeyObject; JWK import checks the curve. */
function ecPointToKey(point: Buffer): KeyObject {
  const half = (point.length - 1) / 2;
  const crv = half === 32 ? 'P-256' : half === 48 ? 'P-384' : null;
  if (crv === null) throw new Error(`EC point of ${point.length} bytes is neither P-256 nor P-384`);
  const x = point.subarray(1, 1 + half).toString('base64url');
  const y = point.subarray(1 + half).toString('base64url');
  return createPublicKey({ key: { kty: 'EC', crv, x, y }, format: 'jwk' });
}

function decodeHex(s: string): Uint8Array | null {
  return /^([0-9a-fA-F]{2})*$/.test(s) ? new Uint8Array(Buffer.from(s, 'hex')) : null;
}

function decodeBase64(s: string): Uint8Array | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) return null;
  return new Uint8Array(Buffer.from(s, 'base64'));
}
