import { z } from 'zod';

/*
 * Must run before any schema is constructed: zod decides per object schema, at construction,
 * whether to JIT-compile a parser with `new Function`. The app's CSP forbids eval, so a schema
 * built before this call would throw EvalError on its first parse. Imported first by the bridge.
 */
z.config({ jitless: true });
