// AssemblyScript: SHA-256 (FIPS 180-4) of target paths, four at a time in the lanes of one v128,
// for hash-bin placement (path_hash_prefixes). A path is ~100 bytes, two blocks; one scalar
// compression costs about as much as four in SIMD lanes, and node:crypto's call overhead alone
// is ~1 µs per path. Lanes whose path needs fewer blocks are read out when their last block is
// done and then carry on over filler; their result is not touched again.
//
// Scratch (below the module's data at 4 KiB): schedule 64 × v128 at W4, per-lane padded tails
// (128 bytes each) at TAILS, the state as stored at DIGESTS (word i of lane j at i*16 + j*4),
// per-lane block plans at LANES.

const W4: usize = 1280;
const TAILS: usize = 2304;
const DIGESTS: usize = 2816;
const LANES: usize = 2944; // per lane: start, full blocks, blocks (i32 each; 16 bytes per lane)

const K: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

@inline
function rotr4(x: v128, n: i32): v128 {
  return v128.or(i32x4.shr_u(x, n), i32x4.shl(x, 32 - n));
}

let s0: v128 = i32x4.splat(0);
let s1: v128 = i32x4.splat(0);
let s2: v128 = i32x4.splat(0);
let s3: v128 = i32x4.splat(0);
let s4: v128 = i32x4.splat(0);
let s5: v128 = i32x4.splat(0);
let s6: v128 = i32x4.splat(0);
let s7: v128 = i32x4.splat(0);

/** One compression per lane over the four blocks whose words are already in W4[0..15]. */
function compress4(): void {
  for (let t: usize = 16; t < 64; t++) {
    const w15 = v128.load(W4 + ((t - 15) << 4));
    const w2 = v128.load(W4 + ((t - 2) << 4));
    const sig0 = v128.xor(v128.xor(rotr4(w15, 7), rotr4(w15, 18)), i32x4.shr_u(w15, 3));
    const sig1 = v128.xor(v128.xor(rotr4(w2, 17), rotr4(w2, 19)), i32x4.shr_u(w2, 10));
    const sum = i32x4.add(i32x4.add(v128.load(W4 + ((t - 16) << 4)), sig0), i32x4.add(v128.load(W4 + ((t - 7) << 4)), sig1));
    v128.store(W4 + (t << 4), sum);
  }
  let a = s0;
  let b = s1;
  let c = s2;
  let d = s3;
  let e = s4;
  let f = s5;
  let g = s6;
  let h = s7;
  for (let t: i32 = 0; t < 64; t++) {
    const S1 = v128.xor(v128.xor(rotr4(e, 6), rotr4(e, 11)), rotr4(e, 25));
    const ch = v128.bitselect(f, g, e);
    const t1 = i32x4.add(i32x4.add(h, S1), i32x4.add(ch, i32x4.add(i32x4.splat(unchecked(K[t])), v128.load(W4 + (<usize>t << 4)))));
    const S0 = v128.xor(v128.xor(rotr4(a, 2), rotr4(a, 13)), rotr4(a, 22));
    // maj(a, b, c): a where a == b, else c.
    const maj = v128.bitselect(c, a, v128.xor(a, b));
    h = g;
    g = f;
    f = e;
    e = i32x4.add(d, t1);
    d = c;
    c = b;
    b = a;
    a = i32x4.add(t1, i32x4.add(S0, maj));
  }
  s0 = i32x4.add(s0, a);
  s1 = i32x4.add(s1, b);
  s2 = i32x4.add(s2, c);
  s3 = i32x4.add(s3, d);
  s4 = i32x4.add(s4, e);
  s5 = i32x4.add(s5, f);
  s6 = i32x4.add(s6, g);
  s7 = i32x4.add(s7, h);
}

/** Lane j's digest (in DIGESTS) starts with one of the prefixes (nibble lists from JS). */
function laneMatches(j: usize, prefixes: usize, prefixCount: i32): bool {
  let at = prefixes;
  for (let k = 0; k < prefixCount; k++) {
    const n = <i32>load<u8>(at);
    let match = true;
    for (let i = 0; i < n; i++) {
      const word = load<u32>(DIGESTS + (<usize>(i >> 3) << 4) + (j << 2));
      const nibble = (word >>> (28 - ((i & 7) << 2))) & 15;
      if (nibble != <u32>load<u8>(at + 1 + <usize>i)) {
        match = false;
        break;
      }
    }
    if (match) return true;
    at += 1 + <usize>n;
  }
  return false;
}

/**
 * For each of `count` paths (start and end offsets from `base`, two i32 each at `paths`), writes
 * 1 at adm[t] when the hex of its SHA-256 starts with one of the prefixes, else 0.
 */
export function placePaths(base: usize, paths: usize, count: i32, adm: usize, prefixes: usize, prefixCount: i32): void {
  for (let t = 0; t < count; t += 4) {
    let maxBlocks = 0;
    for (let j: usize = 0; j < 4; j++) {
      const lane = LANES + (j << 4);
      const tail = TAILS + (j << 7);
      if (t + <i32>j >= count) {
        store<i32>(lane + 8, 0);
        continue;
      }
      const rec = paths + (<usize>(t + <i32>j) << 3);
      const p = base + <usize>load<i32>(rec);
      const n = <usize>(load<i32>(rec + 4) - load<i32>(rec));
      const full = n >> 6;
      const rest = n & 63;
      const tailBlocks: usize = rest < 56 ? 1 : 2;
      memory.fill(tail, 0, 128);
      memory.copy(tail, p + (full << 6), rest);
      store<u8>(tail + rest, 0x80);
      store<u64>(tail + (tailBlocks << 6) - 8, bswap<u64>(<u64>n << 3));
      const blocks = <i32>(full + tailBlocks);
      store<i32>(lane, <i32>p);
      store<i32>(lane + 4, <i32>full);
      store<i32>(lane + 8, blocks);
      if (blocks > maxBlocks) maxBlocks = blocks;
    }
    s0 = i32x4.splat(0x6a09e667);
    s1 = i32x4.splat(0xbb67ae85);
    s2 = i32x4.splat(0x3c6ef372);
    s3 = i32x4.splat(0xa54ff53a);
    s4 = i32x4.splat(0x510e527f);
    s5 = i32x4.splat(0x9b05688c);
    s6 = i32x4.splat(0x1f83d9ab);
    s7 = i32x4.splat(0x5be0cd19);
    for (let k = 0; k < maxBlocks; k++) {
      for (let j: usize = 0; j < 4; j++) {
        const lane = LANES + (j << 4);
        const full = load<i32>(lane + 4);
        const blocks = load<i32>(lane + 8);
        let src: usize = TAILS + (j << 7);
        if (k < full) src = <usize>load<i32>(lane) + (<usize>k << 6);
        else if (k < blocks) src += <usize>(k - full) << 6;
        for (let w: usize = 0; w < 16; w++) store<u32>(W4 + (w << 4) + (j << 2), bswap<u32>(load<u32>(src + (w << 2))));
      }
      compress4();
      v128.store(DIGESTS, s0);
      v128.store(DIGESTS + 16, s1);
      v128.store(DIGESTS + 32, s2);
      v128.store(DIGESTS + 48, s3);
      v128.store(DIGESTS + 64, s4);
      v128.store(DIGESTS + 80, s5);
      v128.store(DIGESTS + 96, s6);
      v128.store(DIGESTS + 112, s7);
      for (let j: usize = 0; j < 4; j++) {
        if (load<i32>(LANES + (j << 4) + 8) != k + 1) continue;
        store<u8>(adm + <usize>t + j, laneMatches(j, prefixes, prefixCount) ? 1 : 0);
      }
    }
  }
}
