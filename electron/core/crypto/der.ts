/**
 * Just enough DER reading to enforce what OpenSSL lets through: node:crypto accepts an SPKI with
 * trailing bytes, and X509Certificate on Node 20 does not expose the signature algorithm.
 */

export interface DerNode {
  tag: number;
  /** Offset of the content (after tag and length). */
  start: number;
  /** End of the content (exclusive). */
  end: number;
}

/** Read one TLV at `at`; null when the encoding is malformed or runs past `limit`. */
export function readTlv(b: Uint8Array, at: number, limit = b.length): DerNode | null {
  if (at + 2 > limit) return null;
  const tag = b[at]!;
  let len = b[at + 1]!;
  let p = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || p + n > limit) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[p + i]!;
    // DER requires the shortest length form.
    if (len < 0x80 || b[p] === 0) return null;
    p += n;
  }
  if (p + len > limit) return null;
  return { tag, start: p, end: p + len };
}

/** True when `b` is exactly one DER element with nothing after it. */
export function isSingleDerElement(b: Uint8Array): boolean {
  const node = readTlv(b, 0);
  return node !== null && node.end === b.length;
}

/** Children of a constructed node. */
export function children(b: Uint8Array, node: DerNode): DerNode[] | null {
  const out: DerNode[] = [];
  let p = node.start;
  while (p < node.end) {
    const c = readTlv(b, p, node.end);
    if (c === null) return null;
    out.push(c);
    p = c.end;
  }
  return out;
}

export function decodeOid(b: Uint8Array, node: DerNode): string {
  const parts: number[] = [];
  let v = 0;
  for (let i = node.start; i < node.end; i++) {
    const x = b[i]!;
    v = v * 128 + (x & 0x7f);
    if (!(x & 0x80)) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

const SIG_ALGS: Record<string, string> = {
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '1.3.101.112': 'Ed25519',
};

/** Signature algorithm name of a DER certificate (outer `signatureAlgorithm`), or `oid:<x>`. */
export function certSignatureAlgorithm(der: Uint8Array): string | null {
  const cert = readTlv(der, 0);
  if (cert === null) return null;
  const parts = children(der, cert);
  const alg = parts?.[1];
  if (alg === undefined) return null;
  const algParts = children(der, alg);
  const oid = algParts?.[0];
  if (oid === undefined || oid.tag !== 0x06) return null;
  const dotted = decodeOid(der, oid);
  return SIG_ALGS[dotted] ?? `oid:${dotted}`;
}

export function isSha1Algorithm(name: string): boolean {
  return /sha1|md5/i.test(name);
}
