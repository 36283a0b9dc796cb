import type { PreverifiedSigned, TargetEvent, TargetScan } from './preverified';
import { unsafeTargetPathReason } from './path-match';
import { DEFAULT_MAX_BYTES, type DelegatedRole, type Signature } from '../tuf/model';
import { scannedHead, targetColumns, trimmedEnd } from '../tuf/targets-scan';
import { scanWithWasm } from '../tuf/targets-scan-wasm';

const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** What verifyLeafRole needs from a canonical hash-bin file, before and after its signatures are checked. */
export interface LeafWasmScan {
  signed: PreverifiedSigned;
  signatures: Signature[];
  signedRange: { start: number; end: number };
  targetCount: number;
  emptyDelegations: boolean;
  /** scanTargets' result for this delegation (call only once the role is trusted). */
  targetScan: () => TargetScan;
}

/**
 * A hash-bin file (a delegation by path_hash_prefixes) scanned in WebAssembly, placement included:
 * each target path's SHA-256 is matched against the prefixes there, so no path becomes a string
 * unless it is a row, an example outside the bin, or one the fast unsafe-path test does not clear.
 * The module marks at most three paths outside the bin (leaf-role.ts OUTSIDE_EXAMPLES).
 * Null when the delegation is not prefix-based or the file is outside the scanner's grammar.
 */
export function scanHashBinWithWasm(bytes: Uint8Array, delegation: DelegatedRole, wantRows: boolean): LeafWasmScan | null {
  if (delegation.paths !== null || bytes.length > DEFAULT_MAX_BYTES) return null;
  const end = trimmedEnd(bytes);
  const r = scanWithWasm({ bytes, end, emitTargets: wantRows, prefixes: delegation.pathHashPrefixes ?? [] });
  if (r === null) return null;
  // The head (signatures, expires, spec_version) precedes the targets: decode just that much.
  const headText = decoder.decode(bytes.subarray(0, r.specVersion[1]));
  const head = scannedHead(r, (a, b) => headText.slice(a, b));
  if (head === null) return null;
  const slice = (a: number, b: number): string => decoder.decode(bytes.subarray(a, b));
  return {
    signed: { version: head.version, expires: head.expires, expiresAt: head.expiresAt, expiresStrict: head.expiresStrict },
    signatures: head.signatures,
    signedRange: head.signedRange,
    targetCount: r.count,
    emptyDelegations: head.emptyDelegations,
    targetScan: () => {
      const events: TargetEvent[] = [];
      for (let k = 0; k < r.events.length; k += 3) {
        const path = slice(r.events[k] as number, r.events[k + 1] as number);
        const bits = r.events[k + 2] as number;
        const unsafe = (bits & 1) !== 0 ? unsafeTargetPathReason(path) : null;
        if (unsafe !== null) events.push({ kind: 'unsafe', path, reason: unsafe });
        if ((bits & 2) !== 0) events.push({ kind: 'outside', path });
      }
      let rows: TargetScan['rows'] = null;
      if (wantRows) {
        const text = decoder.decode(bytes.subarray(0, end));
        const { paths, lengths, hashes } = targetColumns(r, text, true, (admitted) => admitted);
        rows = { paths, lengths, hashes: hashes ?? [], custom: paths.map(() => undefined) };
      }
      return { events, outside: r.outside, admitted: r.admitted, rows };
    },
  };
}
