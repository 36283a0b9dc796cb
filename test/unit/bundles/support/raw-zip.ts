import { crc32, deflateRawSync } from 'node:zlib';

/**
 * A zip writer with every field under the test's control, to build the malicious bundles of
 * catalogue #31/#32 that no well-behaved library (yazl included) would write: traversal and
 * absolute names, symlink/device modes, lying sizes, shared data offsets, bombs.
 */
export interface RawEntry {
  name: string;
  data: Buffer;
  /** 0 stored, 8 deflate (default). */
  method?: number;
  /** Uncompressed size written in the headers (default: the real one). */
  declaredSize?: number;
  /** Unix mode in the high 16 bits of the external attributes (default 0o100644). */
  mode?: number;
  /** General purpose flags (default 0x800: UTF-8 names). */
  flags?: number;
  /** Name in the local header when it should differ from the central directory's. */
  localName?: string;
  /** Point this entry's central record at the local header of entry #index (a zip "hard link"). */
  sameDataAs?: number;
  /** CRC-32 to write instead of the real one. */
  crc?: number;
}

export function rawZip(entries: RawEntry[], options: { declaredCount?: number } = {}): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  const offsets: number[] = [];
  const compressedSizes: number[] = [];
  let offset = 0;
  entries.forEach((e, i) => {
    const method = e.method ?? 8;
    const compressed = method === 8 ? deflateRawSync(e.data) : e.data;
    const crc = e.crc ?? crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    const flags = e.flags ?? 0x800;
    const name = Buffer.from(e.name, 'utf8');
    const shared = e.sameDataAs;
    if (shared === undefined) {
      const localName = Buffer.from(e.localName ?? e.name, 'utf8');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(flags, 6);
      local.writeUInt16LE(method, 8);
      local.writeUInt16LE(0, 10);
      local.writeUInt16LE(0x21, 12);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(compressed.length, 18);
      local.writeUInt32LE(size, 22);
      local.writeUInt16LE(localName.length, 26);
      local.writeUInt16LE(0, 28);
      offsets.push(offset);
      compressedSizes.push(compressed.length);
      const block = Buffer.concat([local, localName, compressed]);
      locals.push(block);
      offset += block.length;
    } else {
      offsets.push(offsets[shared] as number);
      compressedSizes.push(compressedSizes[shared] as number);
    }
    const record = Buffer.alloc(46);
    record.writeUInt32LE(0x02014b50, 0);
    record.writeUInt16LE((3 << 8) | 20, 4);
    record.writeUInt16LE(20, 6);
    record.writeUInt16LE(flags, 8);
    record.writeUInt16LE(method, 10);
    record.writeUInt16LE(0, 12);
    record.writeUInt16LE(0x21, 14);
    record.writeUInt32LE(shared === undefined ? crc : crc32(entries[shared]?.data ?? Buffer.alloc(0)), 16);
    record.writeUInt32LE(compressedSizes[i] as number, 20);
    record.writeUInt32LE(size, 24);
    record.writeUInt16LE(name.length, 28);
    record.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    record.writeUInt32LE(offsets[i] as number, 42);
    central.push(Buffer.concat([record, name]));
  });
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  const count = options.declaredCount ?? entries.length;
  eocd.writeUInt16LE(Math.min(count, 0xffff), 8);
  eocd.writeUInt16LE(Math.min(count, 0xffff), 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}
