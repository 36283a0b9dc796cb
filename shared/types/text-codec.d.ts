// The pure zone has neither DOM nor Node types, yet both runtimes provide the WHATWG text codecs
// globally; declare just the part we use so shared/ stays runtime-neutral.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array): string;
}
