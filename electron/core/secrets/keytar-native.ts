/**
 * The one static import of keytar. keytar-api.ts reaches it through a dynamic import, so esbuild
 * turns it into a lazy `require('keytar')` (resolved from node_modules like pkcs11js, also when
 * packaged) and a missing or broken native build fails inside loadKeytar's try, not at startup.
 */
import * as keytar from 'keytar';

export const nativeKeytar: unknown = keytar;
