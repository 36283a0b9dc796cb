/** BER-TLV helpers for the PIV emulator (ISO 7816-4 lengths: 1, 81 xx or 82 xx xx). */

export function encodeLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x100) return Buffer.from([0x81, length]);
  return Buffer.from([0x82, length >> 8, length & 0xff]);
}

/** One TLV; `tag` may be one or two bytes (e.g. 0x7f49). */
export function tlv(tag: number, value: Uint8Array): Buffer {
  const tagBytes = tag > 0xff ? Buffer.from([tag >> 8, tag & 0xff]) : Buffer.from([tag]);
  return Buffer.concat([tagBytes, encodeLength(value.length), value]);
}

export interface Tlv {
  tag: number;
  value: Buffer;
}

/** Parses a flat run of TLVs (single-byte tags, or 5F/7F two-byte tags). Throws on truncation. */
export function parseTlvs(data: Buffer): Tlv[] {
  const out: Tlv[] = [];
  let pos = 0;
  while (pos < data.length) {
    let tag = data[pos++] as number;
    if ((tag & 0x1f) === 0x1f) tag = (tag << 8) | (data[pos++] as number);
    let length = data[pos++];
    if (length === undefined) throw new RangeError('TLV truncated (length)');
    if (length === 0x81) length = data[pos++] ?? 0;
    else if (length === 0x82) {
      length = ((data[pos] as number) << 8) | (data[pos + 1] as number);
      pos += 2;
    }
    if (pos + length > data.length) throw new RangeError('TLV truncated (value)');
    out.push({ tag, value: data.subarray(pos, pos + length) });
    pos += length;
  }
  return out;
}

export function findTlv(data: Buffer, tag: number): Buffer | null {
  return parseTlvs(data).find((t) => t.tag === tag)?.value ?? null;
}
