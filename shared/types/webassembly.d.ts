// WebAssembly and atob exist in Node and in browsers alike; the pure zone has neither DOM nor Node
// types, so declare only what shared/tuf/targets-scan-wasm.ts uses.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: Record<string, never>);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
declare function atob(data: string): string;
